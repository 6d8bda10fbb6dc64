using System.Globalization;
using CsvHelper;

namespace ComplianceHub.Core.Common;

/// <summary>One CSV record and the line of the file it starts on (1-based).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// CSV as the portal reads and writes it, through CsvHelper: RFC 4180, comma-separated, fields in double quotes when they
/// hold a comma, quote or line break. Reading is strict and says where a file breaks the rules; writing uses CRLF line
/// ends and writes a cell a spreadsheet would run as a formula (it begins with = + - @, a tab or a carriage return) after
/// an apostrophe, as OWASP recommends, which <see cref="Restore"/> takes off again on import.
/// </summary>
public static class Csv
{
    /// <summary>
    /// The records of <paramref name="reader"/>, each with the line it starts on; blank lines are skipped and a byte
    /// order mark ignored. A quote left open, a quote inside an unquoted field or text after a closing quote is a
    /// <see cref="FormatException"/> that names the line.
    /// </summary>
    public static IEnumerable<CsvRecord> Read(TextReader reader)
    {
        using var csv = CsvReader.Create(reader, new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = false,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
        }, leaveOpen: true);
        while (Next(csv))
        {
            var fields = new string[csv.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = csv.GetString(i);
            }

            yield return new CsvRecord(checked((int)csv.LineNumber), fields);
        }
    }

    /// <summary>A writer of records onto <paramref name="writer"/> (left open); dispose it to flush what it holds.</summary>
    public static CsvWriter CreateWriter(TextWriter writer) => CsvWriter.Create(writer, new CsvWriterOptions
    {
        Separator = ',',
        NewLine = "\r\n",
        Injection = CsvInjection.Escape,
    }, leaveOpen: true);

    /// <summary>
    /// A cell as written before it was kept from running as a formula: the apostrophe the writer (or a spreadsheet) put
    /// before = + - @, a tab or a carriage return is taken off, so that a file exported and imported again reads the same.
    /// </summary>
    public static string Restore(string cell) => cell.Length > 1 && cell[0] == '\'' && RunsAsFormula(cell[1..]) ? cell[1..] : cell;

    /// <summary>A whole file: UTF-8 with a byte-order mark (spreadsheets then read it as UTF-8), the header, then the rows.</summary>
    public static byte[] ToBytes(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CreateWriter(text))
        {
            csv.WriteRecord([.. header]);
            foreach (var row in rows)
            {
                csv.WriteRecord([.. row]);
            }
        }

        return [.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static bool RunsAsFormula(string cell) => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    private static bool Next(CsvReader csv)
    {
        try
        {
            return csv.Read();
        }
        catch (CsvFormatException ex)
        {
            throw new FormatException($"Line {ex.LineNumber}: {Reason(ex.Message)}", ex);
        }
    }

    /// <summary>CsvHelper's reason without its own "Malformed CSV in record N (line N):" prefix and byte offset.</summary>
    private static string Reason(string message)
    {
        var reason = message[(message.IndexOf("):", StringComparison.Ordinal) is >= 0 and var at ? at + 2 : 0)..].Trim();
        reason = reason.Split(" (byte offset", 2)[0];
        return reason.Length == 0 ? message : char.ToUpperInvariant(reason[0]) + reason[1..] + ".";
    }
}
