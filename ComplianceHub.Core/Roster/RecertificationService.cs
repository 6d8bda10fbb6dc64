using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Roster;

/// <summary>A review item as its reviewer sees it.</summary>
public sealed record ReviewItem(
    long ReviewId, long CampaignId, string Campaign, DateOnly DueDate, string Employee, string PhoneE164, AuthorizationStatus Status,
    string? Reviewer, ReviewDecision Decision, string? DecidedBy, string? Comment, bool IsOverdue);

/// <summary>
/// Re-certification: a campaign puts every authorization still in force to the employee's manager (to
/// compliance when there is no manager) by a due date; each reviewer confirms or removes, removal
/// revokes the number, and every outcome is recorded and audited. Pending items past the due date are
/// overdue.
/// </summary>
public sealed class RecertificationService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, TimeProvider clock, RosterService roster)
{
    public async Task<RecertificationCampaign> StartAsync(string name, DateOnly dueDate, AuditActor actor, CancellationToken ct = default)
    {
        var title = name.Trim();
        if (title.Length is 0 or > 200)
        {
            throw new ComplianceRuleException("Name the campaign (1 to 200 characters).");
        }

        var now = clock.GetUtcNow();
        if (dueDate <= DateOnly.FromDateTime(now.UtcDateTime))
        {
            throw new ComplianceRuleException("The due date must be in the future.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var numbers = await db.AuthorizedNumbers.AsNoTracking().Where(n => n.Status != AuthorizationStatus.Revoked)
            .Join(db.People, n => n.PersonId, p => p.Id, (n, p) => new { n.Id, p.ManagerId })
            .ToListAsync(ct);
        if (numbers.Count == 0)
        {
            throw new ComplianceRuleException("There is nothing to review: no authorization is in force.");
        }

        var campaign = new RecertificationCampaign(title, dueDate, actor.Name, now);
        campaign.Reviews.AddRange(numbers.Select(n => new RecertificationReview(n.Id, n.ManagerId)));
        db.RecertificationCampaigns.Add(campaign);
        await db.SaveChangesAsync(ct);
        audit.Record(db, AuditEventType.RecertificationStarted, actor, Subject(campaign.Id), new { name = title, due = dueDate, reviews = numbers.Count });
        await db.SaveChangesAsync(ct);
        return campaign;
    }

    /// <summary>Records a reviewer's decision; removing revokes the number (with the campaign as the reason).</summary>
    public async Task DecideAsync(long reviewId, ReviewDecision decision, string? comment, AuditActor actor, CancellationToken ct = default)
    {
        if (decision == ReviewDecision.Pending)
        {
            throw new ComplianceRuleException("Confirm or remove.");
        }

        var note = comment?.Trim();
        if (decision == ReviewDecision.Removed && string.IsNullOrEmpty(note))
        {
            throw new ComplianceRuleException("Say why the number is no longer needed.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var review = await db.RecertificationReviews.SingleOrDefaultAsync(r => r.Id == reviewId, ct)
            ?? throw new ComplianceRuleException("That review does not exist.");
        if (review.Decision != ReviewDecision.Pending)
        {
            throw new ComplianceRuleException($"That review was already decided by {review.DecidedBy}.");
        }

        var campaign = await db.RecertificationCampaigns.AsNoTracking().SingleAsync(c => c.Id == review.CampaignId, ct);
        review.Decide(decision, actor.Name, note, clock.GetUtcNow());
        audit.Record(db, AuditEventType.RecertificationDecided, actor, new AuditSubject("RecertificationReview", reviewId.ToString(CultureInfo.InvariantCulture)), new
        {
            campaign = campaign.Name,
            authorizedNumberId = review.AuthorizedNumberId,
            decision = decision.ToString(),
            comment = note,
        });
        await db.SaveChangesAsync(ct);

        if (decision == ReviewDecision.Removed)
        {
            var status = await db.AuthorizedNumbers.Where(n => n.Id == review.AuthorizedNumberId).Select(n => n.Status).SingleAsync(ct);
            if (status != AuthorizationStatus.Revoked)
            {
                await roster.ChangeStatusAsync(review.AuthorizedNumberId, AuthorizationStatus.Revoked, $"Removed in re-certification \"{campaign.Name}\": {note}", actor, ct);
            }
        }
    }

    /// <summary>Review items, optionally only one reviewer's (a roster person) or only the overdue ones.</summary>
    public async Task<IReadOnlyList<ReviewItem>> ListAsync(long? reviewerId = null, bool overdueOnly = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var rows = await db.RecertificationReviews.AsNoTracking()
            .Where(r => reviewerId == null || r.ReviewerId == reviewerId)
            .Join(db.RecertificationCampaigns, r => r.CampaignId, c => c.Id, (r, c) => new { r, c })
            .Join(db.AuthorizedNumbers, x => x.r.AuthorizedNumberId, n => n.Id, (x, n) => new { x.r, x.c, n })
            .Join(db.People, x => x.n.PersonId, p => p.Id, (x, p) => new
            {
                x.r.Id, CampaignId = x.c.Id, Campaign = x.c.Name, x.c.DueDate, Employee = p.Name, x.n.PhoneE164, x.n.Status,
                Reviewer = db.People.Where(v => v.Id == x.r.ReviewerId).Select(v => v.Name).FirstOrDefault(),
                x.r.Decision, x.r.DecidedBy, x.r.Comment,
            })
            .ToListAsync(ct);
        return rows
            .Select(r => new ReviewItem(r.Id, r.CampaignId, r.Campaign, r.DueDate, r.Employee, r.PhoneE164, r.Status, r.Reviewer, r.Decision, r.DecidedBy,
                r.Comment, r.Decision == ReviewDecision.Pending && r.DueDate < today))
            .Where(r => !overdueOnly || r.IsOverdue)
            .OrderBy(r => r.DueDate).ThenBy(r => r.Employee, StringComparer.CurrentCulture).ThenBy(r => r.PhoneE164, StringComparer.Ordinal)
            .ToList();
    }

    private static AuditSubject Subject(long campaignId) => new("RecertificationCampaign", campaignId.ToString(CultureInfo.InvariantCulture));
}
