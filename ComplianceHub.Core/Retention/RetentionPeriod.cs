using System.Globalization;
using System.Text.RegularExpressions;

namespace ComplianceHub.Core.Retention;

/// <summary>
/// How long a record is kept from the day it was sent: whole years, months, weeks or days, written as the rules
/// write them (<c>7y</c>, <c>18m</c>, <c>6w</c>, <c>30d</c>). Calendar arithmetic: seven years from 29 February ends on
/// 28 February, as a lawyer counts.
/// </summary>
public readonly partial record struct RetentionPeriod(int Count, RetentionUnit Unit) : IComparable<RetentionPeriod>
{
    /// <summary>The longest period a rule may name (a hold keeps anything longer).</summary>
    public const int MaxYears = 100;

    /// <summary>Reads <c>7y</c>, <c>18m</c>, <c>6w</c> or <c>30d</c> (any case, spaces around ignored); a clear error for anything else.</summary>
    public static RetentionPeriod Parse(string? text)
    {
        var match = Shape().Match(text?.Trim() ?? "");
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            throw new FormatException($"'{text}' is not a retention period: write a whole number of years, months, weeks or days, such as 7y, 18m, 6w or 30d.");
        }

        var period = new RetentionPeriod(count, char.ToLowerInvariant(match.Groups[2].Value[0]) switch
        {
            'y' => RetentionUnit.Years,
            'm' => RetentionUnit.Months,
            'w' => RetentionUnit.Weeks,
            _ => RetentionUnit.Days,
        });
        return period.ExpiresAfter(DateTimeOffset.UnixEpoch) > DateTimeOffset.UnixEpoch.AddYears(MaxYears)
            ? throw new FormatException($"'{text}' is longer than {MaxYears} years; a legal hold keeps records for longer.")
            : period;
    }

    public static bool TryParse(string? text, out RetentionPeriod period)
    {
        try
        {
            period = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            period = default;
            return false;
        }
    }

    /// <summary>When a record sent at <paramref name="sentAt"/> has been kept for this long.</summary>
    public DateTimeOffset ExpiresAfter(DateTimeOffset sentAt) => Unit switch
    {
        RetentionUnit.Years => sentAt.AddYears(Count),
        RetentionUnit.Months => sentAt.AddMonths(Count),
        RetentionUnit.Weeks => sentAt.AddDays(7 * Count),
        _ => sentAt.AddDays(Count),
    };

    /// <summary>
    /// The earliest sent time still kept at <paramref name="now"/>: a record sent before it has expired. Exact for
    /// days and weeks; for months and years, a record sent at the returned instant expires at <paramref name="now"/> or
    /// later (month ends counted the way <see cref="ExpiresAfter"/> counts them).
    /// </summary>
    public DateTimeOffset KeepsSentFrom(DateTimeOffset now) => Unit switch
    {
        RetentionUnit.Years => now.AddYears(-Count),
        RetentionUnit.Months => now.AddMonths(-Count),
        RetentionUnit.Weeks => now.AddDays(-7 * Count),
        _ => now.AddDays(-Count),
    };

    /// <summary>Longer periods sort after shorter ones (compared on the same start: 12m equals 1y, 52w is shorter).</summary>
    public int CompareTo(RetentionPeriod other) => ExpiresAfter(Reference).CompareTo(other.ExpiresAfter(Reference));

    public static bool operator <(RetentionPeriod left, RetentionPeriod right) => left.CompareTo(right) < 0;

    public static bool operator >(RetentionPeriod left, RetentionPeriod right) => left.CompareTo(right) > 0;

    public static bool operator <=(RetentionPeriod left, RetentionPeriod right) => left.CompareTo(right) <= 0;

    public static bool operator >=(RetentionPeriod left, RetentionPeriod right) => left.CompareTo(right) >= 0;

    /// <summary>The form rules are written and stored in: <c>7y</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Count}{Unit switch
    {
        RetentionUnit.Years => 'y',
        RetentionUnit.Months => 'm',
        RetentionUnit.Weeks => 'w',
        _ => 'd',
    }}");

    /// <summary>As people read it: "7 years", "1 month".</summary>
    public string Describe() => $"{Count.ToString("N0", CultureInfo.InvariantCulture)} {Unit switch
    {
        RetentionUnit.Years => Count == 1 ? "year" : "years",
        RetentionUnit.Months => Count == 1 ? "month" : "months",
        RetentionUnit.Weeks => Count == 1 ? "week" : "weeks",
        _ => Count == 1 ? "day" : "days",
    }}";

    private static readonly DateTimeOffset Reference = new(2001, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [GeneratedRegex(@"^(\d{1,5})\s*([yYmMwWdD])$")]
    private static partial Regex Shape();
}

public enum RetentionUnit
{
    Days = 0,
    Weeks = 1,
    Months = 2,
    Years = 3,
}
