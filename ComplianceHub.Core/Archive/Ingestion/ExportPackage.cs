using System.IO.Compression;
using System.Text;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// An export on disk: a chat <c>.txt</c>, or a <c>.zip</c> holding the chat text (<c>_chat.txt</c> on iOS,
/// <c>WhatsApp Chat with … .txt</c> on Android) and its media. Zips are checked before anything is read:
/// entries pointing outside the archive, too many entries, absurd sizes or compression ratios are refused.
/// </summary>
public sealed class ExportPackage : IDisposable
{
    /// <summary>Largest uncompressed size of all entries together.</summary>
    public const long MaxTotalUncompressedBytes = 8L * 1024 * 1024 * 1024;

    /// <summary>Largest uncompressed size of one entry (WhatsApp documents are at most 2 GB).</summary>
    public const long MaxEntryBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>Highest compression ratio accepted for entries over 1 MB (zip-bomb guard).</summary>
    public const int MaxCompressionRatio = 200;

    public const int MaxEntries = 100_000;

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly string _path;
    private readonly ZipArchive? _zip;
    private readonly ZipArchiveEntry? _chatEntry;
    private readonly Dictionary<string, ZipArchiveEntry> _media = new(StringComparer.Ordinal);

    private ExportPackage(string path, string originalFileName, ZipArchive? zip, ZipArchiveEntry? chatEntry)
    {
        _path = path;
        _zip = zip;
        _chatEntry = chatEntry;
        OriginalFileName = originalFileName;
        if (zip is not null)
        {
            foreach (var entry in zip.Entries)
            {
                if (entry != chatEntry && entry.Name.Length > 0)
                {
                    _media.TryAdd(entry.Name, entry);
                }
            }
        }
    }

    public string OriginalFileName { get; }

    public bool IsZip => _zip is not null;

    /// <summary>File names of the media in the zip (none for a plain text export).</summary>
    public IReadOnlyCollection<string> MediaFileNames => _media.Keys;

    /// <summary>The chat's name from the file names WhatsApp gives exports, else the file's own name.</summary>
    public string ChatTitle => TitleFromFileName(_chatEntry is not null && _chatEntry.Name != "_chat.txt" ? _chatEntry.Name : OriginalFileName);

    /// <summary>Opens <paramref name="path"/> (named <paramref name="originalFileName"/> by its uploader) as an export.</summary>
    public static ExportPackage Open(string path, string originalFileName)
    {
        var extension = Path.GetExtension(originalFileName).ToLowerInvariant();
        if (extension == ".txt")
        {
            return new ExportPackage(path, originalFileName, null, null);
        }

        if (extension != ".zip")
        {
            throw new ExportFormatException(0, $"'{originalFileName}' is neither a .txt nor a .zip WhatsApp export");
        }

        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException ex)
        {
            throw new ExportFormatException(0, $"'{originalFileName}' is not a readable zip file ({ex.Message})");
        }

        try
        {
            var chat = CheckAndFindChat(zip, originalFileName);
            CheckRealLengths(path, originalFileName);
            return new ExportPackage(path, originalFileName, zip, chat);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>A fresh reader over the chat text (UTF-8, BOM tolerated); each pass opens its own.</summary>
    public TextReader OpenText() => new StreamReader(OpenBytes(), Utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);

    /// <summary>
    /// The chat text as UTF-8 bytes (for the first pass, which decodes only header candidates). A file saved as
    /// UTF-16 with a byte-order mark (as some desktop tools re-save exports) is transcoded as it is read; the
    /// original, kept byte for byte, is not touched.
    /// </summary>
    public Stream OpenBytes()
    {
        var raw = OpenRaw();
        Span<byte> bom = stackalloc byte[2];
        var read = raw.ReadAtLeast(bom, 2, throwOnEndOfStream: false);
        Encoding? utf16 = read == 2 ? (bom[0], bom[1]) switch
        {
            (0xFF, 0xFE) => Encoding.Unicode,
            (0xFE, 0xFF) => Encoding.BigEndianUnicode,
            _ => null,
        } : null;
        if (utf16 is not null)
        {
            return Encoding.CreateTranscodingStream(raw, utf16, Utf8);
        }

        raw.Dispose();
        return OpenRaw();
    }

    private Stream OpenRaw() => _chatEntry is not null
        ? _chatEntry.Open()
        : new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    public bool TryOpenMedia(string fileName, out Stream content, out long length)
    {
        if (_media.TryGetValue(fileName, out var entry))
        {
            content = entry.Open();
            length = entry.Length;
            return true;
        }

        content = Stream.Null;
        length = 0;
        return false;
    }

    public void Dispose() => _zip?.Dispose();

    internal static string TitleFromFileName(string fileName)
    {
        var name = Path.GetFileNameWithoutExtension(fileName).Replace('\u00A0', ' ').Trim();
        string[] prefixes = ["WhatsApp Chat with ", "WhatsApp Chat - ", "WhatsApp-Chat mit ", "Discussion WhatsApp avec ", "Chat de WhatsApp con ", "Conversa do WhatsApp com "];
        foreach (var prefix in prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && name.Length > prefix.Length)
            {
                return name[prefix.Length..].Trim();
            }
        }

        return name.Length > 0 ? name : "Untitled chat";
    }

    /// <summary>Every entry must inflate to exactly its declared size: one that holds more would be read cut short, silently.</summary>
    private static void CheckRealLengths(string path, string originalFileName)
    {
        ZipLengths.Mismatch? mismatch;
        try
        {
            mismatch = ZipLengths.FindMismatch(path);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new ExportFormatException(0, $"'{originalFileName}' is not a readable zip file ({e.Message})");
        }

        if (mismatch is not null)
        {
            throw new ExportFormatException(0,
                $"zip entry '{mismatch.Entry}' inflates to {mismatch.Actual:N0} bytes but its header declares {mismatch.Declared:N0}; the file is refused rather than read cut short");
        }
    }

    private static ZipArchiveEntry CheckAndFindChat(ZipArchive zip, string originalFileName)
    {
        if (zip.Entries.Count > MaxEntries)
        {
            throw new ExportFormatException(0, $"'{originalFileName}' has {zip.Entries.Count:N0} entries; at most {MaxEntries:N0} are accepted");
        }

        long total = 0;
        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName.Replace('\\', '/');
            if (name.StartsWith('/') || name.Contains(':', StringComparison.Ordinal)
                || name.Split('/').Any(part => part == ".."))
            {
                throw new ExportFormatException(0, $"zip entry '{entry.FullName}' points outside the archive; the file is refused");
            }

            if (entry.Length > MaxEntryBytes)
            {
                throw new ExportFormatException(0, $"zip entry '{entry.FullName}' would unpack to {entry.Length:N0} bytes; the file is refused");
            }

            if (entry.Length > 1024 * 1024 && entry.CompressedLength > 0 && entry.Length / entry.CompressedLength > MaxCompressionRatio)
            {
                throw new ExportFormatException(0,
                    $"zip entry '{entry.FullName}' is compressed {entry.Length / entry.CompressedLength}:1, beyond any real export; the file is refused");
            }

            total += entry.Length;
            if (total > MaxTotalUncompressedBytes)
            {
                throw new ExportFormatException(0, $"'{originalFileName}' would unpack to more than {MaxTotalUncompressedBytes:N0} bytes; the file is refused");
            }
        }

        var texts = zip.Entries.Where(e => e.Name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)).ToList();
        var chat = texts.FirstOrDefault(e => e.Name == "_chat.txt")
            ?? texts.FirstOrDefault(e => e.Name.StartsWith("WhatsApp", StringComparison.OrdinalIgnoreCase))
            ?? (texts.Count == 1 ? texts[0] : null);
        return chat ?? throw new ExportFormatException(0,
            texts.Count == 0
                ? $"'{originalFileName}' holds no chat text file (_chat.txt or 'WhatsApp Chat with ….txt')"
                : $"'{originalFileName}' holds several text files and none is named like a WhatsApp chat");
    }
}
