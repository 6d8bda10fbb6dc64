namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// Converts an export's device wall-clock times to UTC in the custodian's zone, with its DST rules.
/// A time in a spring-forward gap never existed and one in a fall-back overlap happened twice: both
/// are converted by a stated rule and flagged, never guessed silently (whatsapp-formats.md §1.1).
/// </summary>
internal sealed class WallClockConverter(TimeZoneInfo zone)
{
    private DateTime _cachedMinute = DateTime.MinValue;
    private TimeSpan _cachedOffset;
    private TimestampFlag _cachedFlag;

    public TimeZoneInfo Zone { get; } = zone;

    public static TimeZoneInfo FindZone(string timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId) || !timeZoneId.Contains('/', StringComparison.Ordinal) && timeZoneId != "UTC")
        {
            throw new Common.ComplianceRuleException(
                $"'{timeZoneId}' is not an IANA time zone; give the custodian's zone, such as Europe/London or America/New_York.");
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        }
        catch (TimeZoneNotFoundException)
        {
            throw new Common.ComplianceRuleException(
                $"'{timeZoneId}' is not a known IANA time zone; give the custodian's zone, such as Europe/London or America/New_York.");
        }
    }

    public (DateTimeOffset Utc, TimestampFlag Flag) ToUtc(DateTime local)
    {
        // Messages arrive minute by minute; the offset only changes at a transition.
        var minute = new DateTime(local.Ticks - (local.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Unspecified);
        if (minute != _cachedMinute)
        {
            (_cachedOffset, _cachedFlag) = OffsetAt(minute);
            _cachedMinute = minute;
        }

        return (new DateTimeOffset(local.Ticks - _cachedOffset.Ticks, TimeSpan.Zero), _cachedFlag);
    }

    private (TimeSpan Offset, TimestampFlag Flag) OffsetAt(DateTime local)
    {
        if (Zone.IsInvalidTime(local))
        {
            // The clocks had not yet moved: read with the offset in force just before the gap.
            return (Zone.GetUtcOffset(local.AddHours(-3)), TimestampFlag.Nonexistent);
        }

        if (Zone.IsAmbiguousTime(local))
        {
            // Both readings exist; take the first occurrence (the larger, daylight offset).
            return (Zone.GetAmbiguousTimeOffsets(local).Max(), TimestampFlag.Ambiguous);
        }

        return (Zone.GetUtcOffset(local), TimestampFlag.Exact);
    }
}
