namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>The order of day, month and year in an export's dates (whatsapp-formats.md §1.6).</summary>
public enum DateOrder
{
    DayMonthYear,
    MonthDayYear,
    YearMonthDay,
}

public static class DateOrderNames
{
    public static string ToCode(this DateOrder order) => order switch
    {
        DateOrder.DayMonthYear => "dmy",
        DateOrder.MonthDayYear => "mdy",
        DateOrder.YearMonthDay => "ymd",
    };

    public static bool TryParse(string? code, out DateOrder order)
    {
        switch (code?.Trim().ToLowerInvariant())
        {
            case "dmy":
                order = DateOrder.DayMonthYear;
                return true;
            case "mdy":
                order = DateOrder.MonthDayYear;
                return true;
            case "ymd":
                order = DateOrder.YearMonthDay;
                return true;
            default:
                order = default;
                return false;
        }
    }
}
