using System.ComponentModel.DataAnnotations;

namespace ComplianceHub.Core.Retention;

/// <summary>
/// <c>Retention:*</c>: the default period (the default rule until one is set in the portal), and the administrator's
/// switch for disposition (off until turned on) and for four-eyes approval of its runs (on), until changed in the portal.
/// </summary>
public sealed class RetentionOptions : IValidatableObject
{
    public const string SectionName = "Retention";

    /// <summary>How long messages are kept when no rule in the database says otherwise (<c>7y</c>, <c>5y</c>, <c>30d</c>).</summary>
    public string DefaultPeriod { get; set; } = "7y";

    /// <summary>Whether disposition may remove anything at all; dry runs are always allowed. An administrator's change in the portal overrides it.</summary>
    public bool DispositionEnabled { get; set; }

    /// <summary>
    /// Whether a run's report needs a second person's approval before anything is removed (four eyes); on unless turned
    /// off. An administrator's change in the portal overrides it.
    /// </summary>
    public bool RequireApproval { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!RetentionPeriod.TryParse(DefaultPeriod, out _))
        {
            yield return new ValidationResult(
                $"Retention:DefaultPeriod '{DefaultPeriod}' is not a retention period: write a whole number of years, months, weeks or days, such as 7y, 18m, 6w or 30d.",
                [nameof(DefaultPeriod)]);
        }
    }
}
