using System.IO.Compression;
using ComplianceHub.Core.Archive.Ingestion;

namespace ComplianceHub.Core.Demo;

/// <summary>
/// The synthetic exports the demo seed imports: an Android English group chat, an iOS German direct
/// chat zipped with a photo (and a PDF it references but lacks), an Android Spanish 12-hour chat, and an Android
/// group in Arabic, Hindi, Chinese and Russian with emoji (so a first production shows every script).
/// </summary>
internal static class DemoExports
{
    public const string Custodian = "employee@example.com";

    public static IEnumerable<(string FileName, ImportOptions Options)> All =>
    [
        ("WhatsApp Chat with Rates Desk.txt", new ImportOptions("Europe/London", Custodian, DateOrder.DayMonthYear)),
        ("WhatsApp Chat - Jonas Weber.zip", new ImportOptions("Europe/Berlin", Custodian, DateOrder.DayMonthYear)),
        ("WhatsApp Chat with Lucía Fernández.txt", new ImportOptions("Europe/Madrid", Custodian, DateOrder.DayMonthYear)),
        ("WhatsApp Chat with Global Markets.txt", new ImportOptions("Europe/London", Custodian, DateOrder.DayMonthYear)),
    ];

    /// <summary>Writes the named export into <paramref name="directory"/> and returns its path.</summary>
    public static string WriteTo(string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        if (fileName.EndsWith(".zip", StringComparison.Ordinal))
        {
            using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
            foreach (var entry in new[] { "_chat.txt", "00000012-PHOTO-2026-10-06-10-15-02.png" })
            {
                using var source = Resource(entry);
                using var target = zip.CreateEntry(entry).Open();
                source.CopyTo(target);
            }
        }
        else
        {
            using var source = Resource(fileName);
            using var target = File.Create(path);
            source.CopyTo(target);
        }

        return path;
    }

    private static Stream Resource(string name) =>
        typeof(DemoExports).Assembly.GetManifestResourceStream("demo-exports/" + name)
        ?? throw new InvalidOperationException($"Demo export '{name}' is not embedded.");
}
