using System.IO.Compression;
using System.Text;

namespace ComplianceHub.Tests.TestSupport;

/// <summary>Writes synthetic WhatsApp exports (text or zip with media) to a temporary folder.</summary>
public sealed class ExportFiles : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "compliancehub-tests", "exports-" + Guid.NewGuid().ToString("N"));

    public ExportFiles() => System.IO.Directory.CreateDirectory(Directory);

    public string Text(string fileName, string content)
    {
        var path = Path.Combine(Directory, fileName);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    /// <summary>The chat text in <paramref name="encoding"/>, with its byte-order mark when the encoding has one.</summary>
    public string Text(string fileName, string content, Encoding encoding)
    {
        var path = Path.Combine(Directory, fileName);
        File.WriteAllBytes(path, [.. encoding.GetPreamble(), .. encoding.GetBytes(content)]);
        return path;
    }

    /// <summary>A zip with the chat text under <paramref name="chatEntryName"/> and the given media files.</summary>
    public string Zip(string fileName, string chatEntryName, string chat, params (string Name, byte[] Bytes)[] media)
    {
        var path = Path.Combine(Directory, fileName);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var writer = new StreamWriter(zip.CreateEntry(chatEntryName).Open(), new UTF8Encoding(false)))
        {
            writer.Write(chat);
        }

        foreach (var (name, bytes) in media)
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(bytes);
        }

        return path;
    }

    public void Dispose() => TestHost.TryDeleteDirectory(Directory);
}
