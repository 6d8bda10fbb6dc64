using System.ComponentModel.DataAnnotations;

namespace ComplianceHub.Core.Roster;

/// <summary>Roster settings, bound from the configuration section <c>Roster</c> (environment variables such as <c>Roster__SilentAfterDays</c>).</summary>
public sealed class RosterOptions
{
    public const string SectionName = "Roster";

    /// <summary>
    /// The ISO country code (<c>GB</c>) national numbers are read in; none means roster numbers must be
    /// written internationally (<c>+44…</c>, <c>0044…</c>).
    /// </summary>
    [RegularExpression("^[A-Za-z]{2}$", ErrorMessage = "Roster:DefaultRegion must be a two-letter ISO country code such as GB.")]
    public string? DefaultRegion { get; set; }

    /// <summary>An active authorized number with no captured traffic for longer than this many days is flagged.</summary>
    [Range(1, 3650)]
    public int SilentAfterDays { get; set; } = 30;
}
