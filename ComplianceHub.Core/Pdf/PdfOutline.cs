using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ComplianceHub.Core.Pdf;

/// <summary>
/// Adds bookmarks (the PDF outline) to a finished file as an incremental update, which Skia cannot write itself:
/// new outline objects and a copy of the catalog that points at them, appended after the original bytes with their
/// own cross-reference section (PDF 1.7 §7.5.6; PDF/A-2 permits incremental updates). Each bookmark goes to one of
/// the file's named destinations.
/// </summary>
internal static partial class PdfOutline
{
    /// <summary>Appends <paramref name="entries"/> (title, named destination) to the PDF in <paramref name="file"/>.</summary>
    public static void Append(FileStream file, IReadOnlyList<(string Title, string Destination)> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var tail = ReadTail(file, 4096);
        var startXref = long.Parse(StartXref().Match(tail).Groups[1].Value, CultureInfo.InvariantCulture);
        var trailer = tail[tail.LastIndexOf("trailer", StringComparison.Ordinal)..];
        var size = int.Parse(Size().Match(trailer).Groups[1].Value, CultureInfo.InvariantCulture);
        var root = int.Parse(Root().Match(trailer).Groups[1].Value, CultureInfo.InvariantCulture);
        var info = Info().Match(trailer) is { Success: true } i ? $"/Info {i.Groups[1].Value} 0 R\n" : "";
        var id = Id().Match(trailer) is { Success: true } d ? $"/ID {d.Value[4..].Trim()}\n" : "";

        var catalog = ReadObject(file, CatalogOffset(file, startXref, root), root);
        var dictionary = catalog[..catalog.LastIndexOf(">>", StringComparison.Ordinal)];

        var outlines = size;
        var first = size + 1;
        var last = size + entries.Count;
        var objects = new List<(int Number, string Body)>
        {
            (root, $"{dictionary}\n/Outlines {outlines} 0 R\n/PageMode /UseOutlines>>"),
            (outlines, $"<</Type /Outlines\n/First {first} 0 R\n/Last {last} 0 R\n/Count {entries.Count}>>"),
        };
        for (var n = 0; n < entries.Count; n++)
        {
            var number = first + n;
            var links = (n > 0 ? $"\n/Prev {number - 1} 0 R" : "") + (n < entries.Count - 1 ? $"\n/Next {number + 1} 0 R" : "");
            objects.Add((number, $"<</Title {TextString(entries[n].Title)}\n/Parent {outlines} 0 R{links}\n/Dest /{Name(entries[n].Destination)}>>"));
        }

        file.Seek(0, SeekOrigin.End);
        var offsets = new Dictionary<int, long>();
        foreach (var (number, body) in objects)
        {
            offsets[number] = file.Position;
            Write(file, $"{number} 0 obj\n{body}\nendobj\n");
        }

        var xref = file.Position;
        var table = new StringBuilder("xref\n");
        table.Append(CultureInfo.InvariantCulture, $"{root} 1\n{offsets[root]:D10} 00000 n \n");
        table.Append(CultureInfo.InvariantCulture, $"{outlines} {entries.Count + 1}\n");
        for (var number = outlines; number <= last; number++)
        {
            table.Append(CultureInfo.InvariantCulture, $"{offsets[number]:D10} 00000 n \n");
        }

        table.Append(CultureInfo.InvariantCulture, $"trailer\n<</Size {last + 1}\n/Root {root} 0 R\n{info}{id}/Prev {startXref}>>\nstartxref\n{xref}\n%%EOF\n");
        Write(file, table.ToString());
    }

    /// <summary>The catalog's offset, from the last cross-reference table (a classic table, as Skia writes).</summary>
    private static long CatalogOffset(FileStream file, long startXref, int root)
    {
        file.Seek(startXref, SeekOrigin.Begin);
        using var reader = new StreamReader(file, Encoding.Latin1, false, 4096, leaveOpen: true);
        if (reader.ReadLine() != "xref")
        {
            throw new InvalidOperationException("The PDF's cross-reference section is not a classic table.");
        }

        while (reader.ReadLine() is { } header && header != "trailer")
        {
            var parts = header.Split(' ');
            var start = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var count = int.Parse(parts[1], CultureInfo.InvariantCulture);
            for (var n = 0; n < count; n++)
            {
                var entry = reader.ReadLine()!;
                if (start + n == root)
                {
                    return long.Parse(entry[..10], CultureInfo.InvariantCulture);
                }
            }
        }

        throw new InvalidOperationException($"The PDF's catalog (object {root}) is not in its cross-reference table.");
    }

    private static string ReadObject(FileStream file, long offset, int number)
    {
        file.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[Math.Min(64 * 1024, file.Length - offset)];
        file.ReadExactly(buffer);
        var text = Encoding.Latin1.GetString(buffer);
        var header = $"{number} 0 obj";
        var end = text.IndexOf("endobj", StringComparison.Ordinal);
        if (!text.StartsWith(header, StringComparison.Ordinal) || end < 0)
        {
            throw new InvalidOperationException($"Object {number} is not where the cross-reference table says.");
        }

        return text[header.Length..end].Trim();
    }

    private static string ReadTail(FileStream file, int length)
    {
        var size = (int)Math.Min(length, file.Length);
        file.Seek(-size, SeekOrigin.End);
        var buffer = new byte[size];
        file.ReadExactly(buffer);
        return Encoding.Latin1.GetString(buffer);
    }

    /// <summary>A text string in UTF-16BE with its byte-order mark, as hex (any script, no escaping).</summary>
    private static string TextString(string text) => "<FEFF" + Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(text)) + ">";

    /// <summary>A name as the PDF writes it: characters outside ! to ~, and delimiters, as #xx.</summary>
    private static string Name(string name)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            if (b is > 0x20 and < 0x7F && "()<>[]{}/%#".IndexOf((char)b, StringComparison.Ordinal) < 0)
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"#{b:X2}");
            }
        }

        return builder.ToString();
    }

    private static void Write(FileStream file, string text) => file.Write(Encoding.Latin1.GetBytes(text));

    [GeneratedRegex(@"startxref\s+(\d+)\s+%%EOF\s*$")]
    private static partial Regex StartXref();

    [GeneratedRegex(@"/Size (\d+)")]
    private static partial Regex Size();

    [GeneratedRegex(@"/Root (\d+) 0 R")]
    private static partial Regex Root();

    [GeneratedRegex(@"/Info (\d+) 0 R")]
    private static partial Regex Info();

    [GeneratedRegex(@"/ID \[[^\]]*\]")]
    private static partial Regex Id();
}
