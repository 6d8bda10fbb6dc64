using System.Globalization;

namespace ComplianceHub.Web.Components.Shared;

/// <summary>How the portal writes instants: always UTC, always labelled, never the server's local zone.</summary>
internal static class Formats
{
    public static string Utc(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Utc(DateTimeOffset? value) => value is { } v ? Utc(v) : "—";

    /// <summary>A calendar date in ISO-8601 (2026-03-02).</summary>
    public static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Date(DateOnly? value) => value is { } v ? Date(v) : "—";

    /// <summary>A byte count as people read it: "512 B", "3.4 KB", "12.5 MB", "1.2 GB" (binary units).</summary>
    public static string FileSize(long? length) => ComplianceHub.Core.Common.ByteSize.Describe(length);

    /// <summary>The start of a UTC calendar day picked in a date field (pickers give a local-kind date).</summary>
    public static DateTimeOffset? UtcDayStart(DateTime? day) =>
        day is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d.Date, DateTimeKind.Utc)) : null;

    /// <summary>The end (exclusive) of a UTC calendar day picked as the last day of a range.</summary>
    public static DateTimeOffset? UtcDayAfter(DateTime? day) => UtcDayStart(day)?.AddDays(1);
}
