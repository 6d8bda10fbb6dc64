namespace ComplianceHub.Core.Common;

/// <summary>
/// Writes CSV as the portal's downloads and packages do: RFC 4180, CRLF line ends. A cell a spreadsheet would run as a
/// formula (it begins with = + - @, a tab or a carriage return) is written after an apostrophe, as OWASP recommends;
/// <see cref="Restore"/> reads it back.
/// </summary>
public static class CsvWriter
{
    public static void WriteLine(TextWriter writer, IReadOnlyList<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            var cell = cells[i];
            if (RunsAsFormula(cell))
            {
                cell = "'" + cell;
            }

            if (cell.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                writer.Write('"');
                writer.Write(cell.Replace("\"", "\"\"", StringComparison.Ordinal));
                writer.Write('"');
            }
            else
            {
                writer.Write(cell);
            }
        }

        writer.Write("\r\n");
    }

    /// <summary>
    /// A cell as written before it was kept from running as a formula: the apostrophe this writer (or a spreadsheet) put
    /// before = + - @, a tab or a carriage return is taken off, so that a file exported and imported again reads the same.
    /// </summary>
    public static string Restore(string cell) => cell.Length > 1 && cell[0] == '\'' && RunsAsFormula(cell[1..]) ? cell[1..] : cell;

    private static bool RunsAsFormula(string cell) => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>A whole file: UTF-8 with a byte-order mark (spreadsheets then read it as UTF-8), the header, then the rows.</summary>
    public static byte[] ToBytes(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        WriteLine(text, header);
        foreach (var row in rows)
        {
            WriteLine(text, row);
        }

        return [.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes(text.ToString())];
    }
}
