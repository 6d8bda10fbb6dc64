namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// What the first pass over an export learned: the header shape every message line shares, and the
/// date order inferred over the whole file (or given as an override).
/// </summary>
public sealed record ExportLayout(
    HeaderShape Shape,
    DateOrder DateOrder,
    bool DateOrderAmbiguous,
    bool DateOrderOverridden,
    int HeaderLines)
{
    /// <summary>
    /// iOS only: the author the export's first message, a marked notice, is written as (the chat's name), or
    /// null when the first message is not one.
    /// </summary>
    public string? NoticeAuthor { get; init; }

    /// <summary>
    /// True when <see cref="NoticeAuthor"/> also writes unmarked messages, so is a person (the other party of a
    /// direct chat) rather than a group's name.
    /// </summary>
    public bool NoticeAuthorWrites { get; init; }

    /// <summary>"Android" or "iOS" and the header's look, e.g. "Android dd/mm/yyyy, 24h".</summary>
    public string Describe() => Shape.Describe(DateOrder);
}

/// <summary>The invariant parts of a header line, fixed by the first header in the file.</summary>
public sealed record HeaderShape(bool Bracketed, char DateSeparator, bool TimeFirst, bool TwelveHour, bool ColonTerminator)
{
    public string Platform => Bracketed ? "iOS" : "Android";

    public string Describe(DateOrder order)
    {
        var sep = DateSeparator;
        var date = order switch
        {
            DateOrder.DayMonthYear => $"d{sep}m{sep}y",
            DateOrder.MonthDayYear => $"m{sep}d{sep}y",
            DateOrder.YearMonthDay => $"y{sep}m{sep}d",
        };
        return $"{Platform} {date}{(TimeFirst ? ", time first" : "")}, {(TwelveHour ? "12h" : "24h")}";
    }
}
