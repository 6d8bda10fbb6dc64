using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Core.Roster;

/// <summary>
/// A roster CSV file read against its template: the header must name every template column once and
/// nothing else, each row must have as many fields as the header, and each field is read by column
/// name with its problems reported by row and column.
/// </summary>
internal sealed class RosterCsv
{
    private readonly string[] _header;

    private RosterCsv(string[] header, List<RosterCsvRow> rows)
    {
        _header = header;
        Rows = rows;
    }

    public List<RosterCsvRow> Rows { get; }

    /// <summary>Reads <paramref name="csv"/>; null when the file cannot be read as the template at all (the reasons are in <paramref name="errors"/>).</summary>
    public static RosterCsv? Read(Stream csv, string[] columns, List<RosterImportError> errors)
    {
        var template = string.Join(',', columns);
        List<CsvRecord> records;
        try
        {
            using var reader = new StreamReader(csv, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
            records = Csv.Read(reader).ToList();
        }
        catch (FormatException ex)
        {
            errors.Add(new RosterImportError(0, "*", ex.Message));
            return null;
        }

        if (records.Count == 0)
        {
            errors.Add(new RosterImportError(1, "*", $"The file is empty: the first line must be the header {template}."));
            return null;
        }

        var header = records[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var headerErrors = errors.Count;
        foreach (var (name, index) in header.Select((h, i) => (h, i)))
        {
            if (!columns.Contains(name))
            {
                errors.Add(new RosterImportError(1, name.Length == 0 ? $"column {index + 1}" : name, $"Unknown column: the template is {template}."));
            }
            else if (Array.IndexOf(header, name) != index)
            {
                errors.Add(new RosterImportError(1, name, "This column appears twice."));
            }
        }

        foreach (var missing in columns.Where(c => !header.Contains(c)))
        {
            errors.Add(new RosterImportError(1, missing, "Missing column."));
        }

        if (errors.Count > headerErrors)
        {
            return null;
        }

        var table = new RosterCsv(header, []);
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count != header.Length)
            {
                errors.Add(new RosterImportError(record.Line, "*", $"The row has {record.Fields.Count} fields; the header has {header.Length}."));
                continue;
            }

            table.Rows.Add(new RosterCsvRow(table, record, errors));
        }

        if (table.Rows.Count == 0 && errors.Count == headerErrors)
        {
            errors.Add(new RosterImportError(2, "*", "The file has a header but no rows."));
        }

        return table;
    }

    internal int IndexOf(string column) => Array.IndexOf(_header, column);

    public static bool IsEmail(string text) => text.Length is > 0 and <= 256 && new EmailAddressAttribute().IsValid(text);
}

/// <summary>One data row of a <see cref="RosterCsv"/>: its fields by column, and a way to report what is wrong with them.</summary>
internal sealed class RosterCsvRow(RosterCsv table, CsvRecord record, List<RosterImportError> errors)
{
    public int Line => record.Line;

    /// <summary>The field under <paramref name="column"/>, trimmed, without the apostrophe an export put before a cell a spreadsheet would run.</summary>
    public string Field(string column) => Csv.Restore(record.Fields[table.IndexOf(column)].Trim());

    public string? Optional(string column) => Field(column) is { Length: > 0 } text ? text : null;

    public void Error(string column, string reason) => errors.Add(new RosterImportError(Line, column, reason));

    /// <summary>A required field of at most <paramref name="maxLength"/> characters; null (reported) when empty or too long.</summary>
    public string? Required(string column, int maxLength)
    {
        var text = Field(column);
        if (text.Length is > 0 && text.Length <= maxLength)
        {
            return text;
        }

        Error(column, $"Required, at most {maxLength} characters.");
        return null;
    }

    /// <summary>An e-mail address, lower case; null when empty (reported if <paramref name="required"/>) or not an address (reported).</summary>
    public string? Email(string column, bool required)
    {
        var text = Field(column).ToLowerInvariant();
        if (text.Length == 0)
        {
            if (required)
            {
                Error(column, "Required.");
            }

            return null;
        }

        if (RosterCsv.IsEmail(text))
        {
            return text;
        }

        Error(column, $"'{text}' is not an e-mail address.");
        return null;
    }

    /// <summary>A phone number in E.164 (national forms read in <paramref name="region"/>); null (reported) when empty or not a number.</summary>
    public string? Phone(string column, string? region)
    {
        var text = Field(column);
        var phone = PhoneNumberNormalizer.TryNormalize(text, region);
        if (phone is null)
        {
            Error(column, text.Length == 0 ? "Required." : $"'{text}' is not a phone number in international form (+44 7700 900123 or 0044 7700 900123).");
        }

        return phone;
    }

    /// <summary>An ISO-8601 date; null when empty (reported if <paramref name="required"/>) or not a date (reported).</summary>
    public DateOnly? Date(string column, bool required)
    {
        var text = Field(column);
        if (text.Length == 0)
        {
            if (required)
            {
                Error(column, "Required: a date such as 2025-01-31.");
            }

            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Error(column, $"'{text}' is not an ISO-8601 date such as 2025-01-31.");
        return null;
    }
}
