using System.Text;

namespace ComplianceHub.Core.Common;

/// <summary>One CSV record and the line of the file it starts on (1-based).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// RFC 4180 CSV: comma-separated, fields optionally in double quotes (a quote inside doubled, commas and
/// line breaks allowed inside), CRLF or LF line ends, a UTF-8 byte order mark ignored. Blank lines are
/// skipped. An unterminated quote is a <see cref="FormatException"/> naming the line it opened on.
/// </summary>
public static class CsvReader
{
    public static IEnumerable<CsvRecord> Read(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var fieldWasQuoted = false;
        var recordStarted = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        line++;
                    }

                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"' when field.Length == 0 && !fieldWasQuoted:
                    quoted = true;
                    fieldWasQuoted = true;
                    recordStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldWasQuoted = false;
                    recordStarted = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (recordStarted || field.Length > 0)
                    {
                        fields.Add(field.ToString());
                        yield return new CsvRecord(recordLine, fields.ToArray());
                    }

                    fields.Clear();
                    field.Clear();
                    fieldWasQuoted = false;
                    recordStarted = false;
                    line++;
                    recordLine = line;
                    break;
                case '\uFEFF' when line == 1 && !recordStarted:
                    break;
                default:
                    field.Append(ch);
                    recordStarted = true;
                    break;
            }
        }

        if (quoted)
        {
            throw new FormatException($"Line {recordLine}: a quoted field is never closed.");
        }

        if (recordStarted || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return new CsvRecord(recordLine, fields.ToArray());
        }
    }
}
