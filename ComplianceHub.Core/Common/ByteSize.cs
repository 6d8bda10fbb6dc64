using System.Globalization;

namespace ComplianceHub.Core.Common;

/// <summary>A file's size as people read it, the same on screen and in documents ("1.5 MB", invariant digits).</summary>
public static class ByteSize
{
    public static string Describe(long? length) => length switch
    {
        null => "size unknown",
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{length} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{length / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{length / 1024.0 / 1024.0:0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{length / 1024.0 / 1024.0 / 1024.0:0.#} GB"),
    };
}
