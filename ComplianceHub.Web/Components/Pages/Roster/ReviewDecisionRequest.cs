using ComplianceHub.Core.Roster;

namespace ComplianceHub.Web.Components.Pages.Roster;

/// <summary>A reviewer's click in <see cref="ReviewTable"/>: the item, the decision and the comment typed for it.</summary>
public sealed record ReviewDecisionRequest(ReviewItem Item, ReviewDecision Decision, string? Comment);
