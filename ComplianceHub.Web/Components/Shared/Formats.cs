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
}
