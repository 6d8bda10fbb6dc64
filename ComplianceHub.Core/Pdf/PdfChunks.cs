using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Common;
using SkiaSharp;

namespace ComplianceHub.Core.Pdf;

/// <summary>
/// Skia keeps every page's dictionary until its document closes (a few kilobytes a page), so a long transcript is drawn
/// as several Skia documents of at most <c>pagesPerChunk</c> pages (<see cref="DefaultPagesPerChunk"/>), each in its own temporary file, and
/// <see cref="PdfMerge"/> joins them into one: memory stays flat however many pages there are. A document that fits
/// in one chunk is used as Skia wrote it.
/// </summary>
internal sealed class PdfChunks(SKDocumentPdfMetadata metadata, int pagesPerChunk) : IDisposable
{
    public const int DefaultPagesPerChunk = 2_000;

    private readonly List<FileStream> _files = [];
    private SKDocument? _document;
    private int _pagesInChunk;

    public SKCanvas BeginPage(float width, float height)
    {
        if (_document is null || _pagesInChunk == pagesPerChunk)
        {
            CloseChunk();
            var file = new FileStream(Path.Combine(Path.GetTempPath(), $"compliancehub-pdf-{Guid.NewGuid():N}.part"), FileMode.CreateNew, FileAccess.ReadWrite,
                FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            _files.Add(file);
            _document = SKDocument.CreatePdf(file, metadata);
            _pagesInChunk = 0;
        }

        _pagesInChunk++;
        return _document.BeginPage(width, height);
    }

    public void EndPage() => _document!.EndPage();

    /// <summary>Closes the last chunk and returns the whole document: the one chunk, or the chunks merged into <paramref name="merged"/>.</summary>
    public FileStream Finish(FileStream merged)
    {
        CloseChunk();
        if (_files.Count == 0)
        {
            throw new InvalidOperationException("The document has no pages.");
        }

        if (_files.Count == 1)
        {
            _files[0].Flush();
            return _files[0];
        }

        foreach (var file in _files)
        {
            file.Flush();
        }

        PdfMerge.Merge(_files, merged);
        return merged;
    }

    public void Dispose()
    {
        _document?.Dispose();
        foreach (var file in _files)
        {
            file.Dispose();
        }
    }

    private void CloseChunk()
    {
        if (_document is not null)
        {
            _document.Close();
            _document.Dispose();
            _document = null;
            NativeHeap.Trim();
        }
    }
}

/// <summary>
/// Joins PDFs written by Skia (classic cross-reference tables, one catalog each) into one document, object by object:
/// the later files' objects are renumbered after the earlier ones', their page trees become kids of one new root,
/// their named destinations one dictionary, and the first file's catalog, metadata and document ID are kept. Only the
/// part of an object before its stream is rewritten; stream data is copied as is.
/// </summary>
internal static partial class PdfMerge
{
    public static void Merge(IReadOnlyList<FileStream> parts, FileStream output)
    {
        var files = parts.Select(Read).ToList();
        var bases = new List<int>();
        var next = 0;
        foreach (var f in files)
        {
            bases.Add(next);
            next += f.Size;
        }

        var newRoot = next;
        var newDests = next + 1;
        var size = next + 2;
        var offsets = new long[size];

        output.SetLength(0);
        var first = files[0];
        parts[0].Position = 0;
        var header = new byte[first.Objects.Values.Min()];
        parts[0].ReadExactly(header);
        output.Write(header);

        var dests = new StringBuilder();
        var totalPages = 0;
        var buffer = new byte[1 << 16];
        for (var k = 0; k < files.Count; k++)
        {
            var f = files[k];
            var shift = bases[k];
            var catalog = Body(parts[k], f, f.Root);
            var pagesRoot = int.Parse(PagesRef().Match(catalog).Groups[1].Value, CultureInfo.InvariantCulture);
            var destsRef = DestsRef().Match(catalog) is { Success: true } d ? int.Parse(d.Groups[1].Value, CultureInfo.InvariantCulture) : (int?)null;
            totalPages += int.Parse(Count().Match(Body(parts[k], f, pagesRoot)).Groups[1].Value, CultureInfo.InvariantCulture);
            if (destsRef is { } dn)
            {
                var dict = Renumber(Body(parts[k], f, dn), shift).Trim();
                dests.Append(dict[2..^2]).Append('\n');
            }

            foreach (var (number, _) in f.Objects.OrderBy(o => o.Value))
            {
                if (number == destsRef || (k > 0 && (number == f.Root || number == f.Info)))
                {
                    continue;
                }

                var (head, stream) = Split(parts[k], f, number);
                var body = Renumber(head, shift);
                if (number == f.Root)
                {
                    body = PagesRef().Replace(body, $"/Pages {newRoot} 0 R", 1);
                    body = DestsRef().IsMatch(body)
                        ? DestsRef().Replace(body, $"/Dests {newDests} 0 R", 1)
                        : InsertAfterOpen(body, $"/Dests {newDests} 0 R\n");
                }
                else if (number == pagesRoot)
                {
                    body = InsertAfterOpen(body, $"/Parent {newRoot} 0 R\n");
                }

                offsets[number + shift] = output.Position;
                output.Write(Encoding.Latin1.GetBytes($"{number + shift} 0 obj\n{body}"));
                if (stream is { } range)
                {
                    // The stream (content, font, image data) goes across as is, through one buffer: nothing the size of a page is held.
                    parts[k].Seek(range.Start, SeekOrigin.Begin);
                    for (var left = range.End - range.Start; left > 0;)
                    {
                        var read = parts[k].Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                        output.Write(buffer, 0, read);
                        left -= read;
                    }

                    output.Write("endobj\n"u8);
                }
                else
                {
                    output.Write("\nendobj\n"u8);
                }
            }
        }

        offsets[newRoot] = output.Position;
        var kids = string.Join(" ", files.Select((f, k) => $"{PagesRoot(parts[k], f) + bases[k]} 0 R"));
        output.Write(Encoding.Latin1.GetBytes($"{newRoot} 0 obj\n<</Type /Pages\n/Count {totalPages}\n/Kids [{kids}]>>\nendobj\n"));
        offsets[newDests] = output.Position;
        output.Write(Encoding.Latin1.GetBytes($"{newDests} 0 obj\n<<{dests}>>\nendobj\n"));

        var xref = output.Position;
        var table = new StringBuilder($"xref\n0 {size}\n");
        for (var n = 0; n < size; n++)
        {
            table.Append(n == 0 ? "0000000000 65535 f \n" : offsets[n] == 0 ? "0000000000 00000 f \n" : $"{offsets[n]:D10} 00000 n \n");
        }

        var trailer = first.Trailer;
        trailer = SizeEntry().Replace(trailer, $"/Size {size}", 1);
        table.Append(CultureInfo.InvariantCulture, $"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n");
        output.Write(Encoding.Latin1.GetBytes(table.ToString()));
        output.Flush();
    }

    /// <summary>A part's trailer entries and where each object starts and ends (the next object's start, or the cross-reference table).</summary>
    private sealed record PartFile(int Size, int Root, int? Info, string Trailer, Dictionary<int, long> Objects, Dictionary<int, long> Ends);

    private static PartFile Read(FileStream file)
    {
        var tailLength = (int)Math.Min(4096, file.Length);
        file.Seek(-tailLength, SeekOrigin.End);
        var tailBytes = new byte[tailLength];
        file.ReadExactly(tailBytes);
        var tail = Encoding.Latin1.GetString(tailBytes);
        var startXref = long.Parse(StartXref().Match(tail).Groups[1].Value, CultureInfo.InvariantCulture);
        var trailerStart = tail.LastIndexOf("trailer", StringComparison.Ordinal);
        var trailer = tail[(trailerStart + "trailer".Length)..tail.LastIndexOf("startxref", StringComparison.Ordinal)].Trim();

        file.Seek(startXref, SeekOrigin.Begin);
        var objects = new Dictionary<int, long>();
        using (var reader = new StreamReader(file, Encoding.Latin1, false, 1 << 16, leaveOpen: true))
        {
            if (reader.ReadLine() != "xref")
            {
                throw new InvalidOperationException("A PDF part's cross-reference section is not a classic table.");
            }

            while (reader.ReadLine() is { } line && line != "trailer")
            {
                var parts = line.Split(' ');
                var start = int.Parse(parts[0], CultureInfo.InvariantCulture);
                var count = int.Parse(parts[1], CultureInfo.InvariantCulture);
                for (var n = 0; n < count; n++)
                {
                    var entry = reader.ReadLine()!;
                    if (entry.Length >= 17 && entry[17] == 'n')
                    {
                        objects[start + n] = long.Parse(entry[..10], CultureInfo.InvariantCulture);
                    }
                }
            }
        }

        var ordered = objects.OrderBy(o => o.Value).ToList();
        var ends = new Dictionary<int, long>(ordered.Count);
        for (var n = 0; n < ordered.Count; n++)
        {
            ends[ordered[n].Key] = n + 1 < ordered.Count ? ordered[n + 1].Value : startXref;
        }

        return new PartFile(
            int.Parse(SizeEntry().Match(trailer).Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(RootRef().Match(trailer).Groups[1].Value, CultureInfo.InvariantCulture),
            InfoRef().Match(trailer) is { Success: true } i ? int.Parse(i.Groups[1].Value, CultureInfo.InvariantCulture) : null,
            trailer, objects, ends);
    }

    private static int PagesRoot(FileStream file, PartFile f) =>
        int.Parse(PagesRef().Match(Body(file, f, f.Root)).Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>An object's text before any stream (dictionaries, arrays, numbers), without its "N 0 obj" line.</summary>
    private static string Body(FileStream file, PartFile f, int number) => Encoding.Latin1.GetString(Split(file, f, number).Head);

    /// <summary>
    /// An object's text before its stream, and where the stream (from its keyword to just before "endobj") lies in the
    /// file; only the object's first 64 KB are read unless it has no stream and is longer.
    /// </summary>
    private static (byte[] Head, (long Start, long End)? Stream) Split(FileStream file, PartFile f, int number)
    {
        var start = f.Objects[number];
        var end = f.Ends[number];
        var tail = new byte[Math.Min(64, end - start)];
        file.Seek(end - tail.Length, SeekOrigin.Begin);
        file.ReadExactly(tail);
        var close = end - tail.Length + tail.AsSpan().LastIndexOf("endobj"u8);

        var prefix = new byte[Math.Min(1 << 16, end - start)];
        file.Seek(start, SeekOrigin.Begin);
        file.ReadExactly(prefix);
        var open = prefix.AsSpan().IndexOf("obj"u8) + 3;
        if (open < 3 || close < start + open)
        {
            throw new InvalidOperationException($"Object {number} of a PDF part is not where its cross-reference table says.");
        }

        var body = start + prefix.Length >= close ? prefix[open..(int)(close - start)] : prefix[open..];
        var (head, streamAt) = SplitAtStream(body);
        if (streamAt is { } at)
        {
            return (head, (start + open + at, close));
        }

        if (start + prefix.Length >= close)
        {
            return (head, null);
        }

        // A long object without a stream (rare): read it whole.
        var whole = new byte[close - start - open];
        file.Seek(start + open, SeekOrigin.Begin);
        file.ReadExactly(whole);
        var (wholeHead, wholeAt) = SplitAtStream(whole);
        return (wholeHead, wholeAt is { } w ? (start + open + w, close) : null);
    }

    /// <summary>The part of an object before its "stream" keyword (outside strings), to renumber, and where the keyword is (null: no stream).</summary>
    private static (byte[] Head, int? StreamAt) SplitAtStream(byte[] body)
    {
        var i = 0;
        while (i < body.Length)
        {
            switch (body[i])
            {
                case (byte)'(':
                    i = SkipLiteral(body, i);
                    continue;
                case (byte)'<':
                    i = i + 1 < body.Length && body[i + 1] == '<' ? i + 2 : Array.IndexOf(body, (byte)'>', i) + 1;
                    if (i == 0)
                    {
                        return (TrimEndNewline(body), null);
                    }

                    continue;
                case (byte)'s' when body.AsSpan(i).StartsWith("stream"u8) && (i == 0 || body[i - 1] is (byte)'\n' or (byte)'\r' or (byte)' ' or (byte)'>'):
                    return (body[..i], i);
                default:
                    i++;
                    continue;
            }
        }

        return (TrimEndNewline(body), null);
    }

    private static byte[] TrimEndNewline(byte[] bytes)
    {
        var end = bytes.Length;
        while (end > 0 && bytes[end - 1] is (byte)'\n' or (byte)'\r')
        {
            end--;
        }

        return bytes[..end];
    }

    private static int SkipLiteral(byte[] body, int i)
    {
        var depth = 0;
        for (; i < body.Length; i++)
        {
            switch (body[i])
            {
                case (byte)'\\':
                    i++;
                    break;
                case (byte)'(':
                    depth++;
                    break;
                case (byte)')':
                    if (--depth == 0)
                    {
                        return i + 1;
                    }

                    break;
            }
        }

        return i;
    }

    /// <summary>Adds <paramref name="shift"/> to every indirect reference ("12 0 R") outside strings.</summary>
    private static string Renumber(byte[] head, int shift) => Renumber(Encoding.Latin1.GetString(head), shift);

    private static string Renumber(string text, int shift)
    {
        if (shift == 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length + 16);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '(')
            {
                var end = SkipLiteral(Encoding.Latin1.GetBytes(text[i..]), 0) + i;
                result.Append(text, i, end - i);
                i = end;
            }
            else if (c == '<' && i + 1 < text.Length && text[i + 1] != '<' && (i == 0 || text[i - 1] != '<'))
            {
                var end = text.IndexOf('>', i) + 1;
                result.Append(text, i, end - i);
                i = end;
            }
            else if (char.IsAsciiDigit(c) && (i == 0 || !char.IsAsciiLetterOrDigit(text[i - 1]) && text[i - 1] is not ('.' or '-' or '+'))
                     && Reference().Match(text, i) is { Success: true } m && m.Index == i)
            {
                result.Append(CultureInfo.InvariantCulture, $"{int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + shift} {m.Groups[2].Value} R");
                i += m.Length;
            }
            else
            {
                result.Append(c);
                i++;
            }
        }

        return result.ToString();
    }

    private static string InsertAfterOpen(string body, string entry)
    {
        var open = body.IndexOf("<<", StringComparison.Ordinal);
        return body[..(open + 2)] + entry + body[(open + 2)..];
    }

    [GeneratedRegex(@"\G(\d+)\s+(\d+)\s+R(?![A-Za-z0-9])")]
    private static partial Regex Reference();

    [GeneratedRegex(@"/Pages\s+(\d+)\s+0\s+R")]
    private static partial Regex PagesRef();

    [GeneratedRegex(@"/Dests\s+(\d+)\s+0\s+R")]
    private static partial Regex DestsRef();

    [GeneratedRegex(@"/Count\s+(\d+)")]
    private static partial Regex Count();

    [GeneratedRegex(@"/Size\s+(\d+)")]
    private static partial Regex SizeEntry();

    [GeneratedRegex(@"/Root\s+(\d+)\s+0\s+R")]
    private static partial Regex RootRef();

    [GeneratedRegex(@"/Info\s+(\d+)\s+0\s+R")]
    private static partial Regex InfoRef();

    [GeneratedRegex(@"startxref\s+(\d+)")]
    private static partial Regex StartXref();
}
