using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Findings;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Roster;

/// <summary>
/// Re-certification: a campaign puts every authorization still in force to the employee's manager (to
/// compliance when there is no manager) and every current participant of an official group to the
/// group's owner (the owner's own participation to their manager), by a due date; each reviewer confirms or removes (removal revokes the number, or
/// records the participant as leaving the group), and every outcome is recorded and audited. Pending
/// items past the due date are overdue.
/// </summary>
public sealed class RecertificationService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, TimeProvider clock, FindingQueue findings, RosterService roster, OfficialGroupService groups)
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
        // A group's owner reviews its participants, except themselves: their own manager (or compliance) does.
        var members = await db.GroupMembers.AsNoTracking().Where(m => m.LeftOn == null)
            .Join(db.OfficialGroups, m => m.GroupId, g => g.Id, (m, g) => new
            {
                m.Id,
                OwnerId = m.PersonId == g.OwnerId ? db.People.Where(p => p.Id == g.OwnerId).Select(p => p.ManagerId).FirstOrDefault() : g.OwnerId,
            })
            .ToListAsync(ct);
        if (numbers.Count + members.Count == 0)
        {
            throw new ComplianceRuleException("There is nothing to review: no authorization is in force and no official group has participants.");
        }

        var campaign = new RecertificationCampaign(title, dueDate, actor.Name, now);
        campaign.Reviews.AddRange(numbers.Select(n => new RecertificationReview(n.Id, null, n.ManagerId)));
        campaign.Reviews.AddRange(members.Select(m => new RecertificationReview(null, m.Id, m.OwnerId)));
        db.RecertificationCampaigns.Add(campaign);
        await db.SaveChangesAsync(ct);
        audit.Record(db, AuditEventType.RecertificationStarted, actor, Subject(campaign.Id), new
        {
            name = title,
            due = dueDate,
            reviews = campaign.Reviews.Count,
            numbers = numbers.Count,
            groupParticipants = members.Count,
        });
        await db.SaveChangesAsync(ct);
        return campaign;
    }

    /// <summary>
    /// Records a reviewer's decision; removing revokes the number, or records the group participant as
    /// leaving today (with the campaign as the reason). With <paramref name="asReviewer"/> (a roster
    /// person deciding for themselves, from My compliance) only that person's own reviews can be decided.
    /// </summary>
    public async Task DecideAsync(
        long reviewId, ReviewDecision decision, string? comment, AuditActor actor, long? asReviewer = null, CancellationToken ct = default)
    {
        if (decision == ReviewDecision.Pending)
        {
            throw new ComplianceRuleException("Confirm or remove.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        RecertificationCampaign? campaign = null;
        var review = await findings.DecideAsync(db, reviewId, new FindingDecision<RecertificationReview>(
            comment, CommentRequired: decision == ReviewDecision.Removed, AuditEventType.RecertificationDecided,
            async (r, note, token) =>
            {
                campaign = await db.RecertificationCampaigns.AsNoTracking().SingleAsync(c => c.Id == r.CampaignId, token);
                return new
                {
                    campaign = campaign.Name,
                    authorizedNumberId = r.AuthorizedNumberId,
                    groupMemberId = r.GroupMemberId,
                    decision = decision.ToString(),
                    comment = note,
                };
            })
        {
            Check = r =>
            {
                if (asReviewer is { } reviewer && r.ReviewerId != reviewer)
                {
                    throw new ComplianceRuleException("That review is not yours to decide.");
                }
            },
            Apply = r => r.Record(decision),
        }, actor, ct);
        var note = review.Comment;
        var reason = $"Removed in re-certification \"{campaign!.Name}\": {note}";
        if (decision == ReviewDecision.Removed && review.GroupMemberId is { } memberId
            && await db.GroupMembers.AnyAsync(m => m.Id == memberId && m.LeftOn == null, ct))
        {
            await groups.EndMembershipAsync(db, memberId, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), reason, actor, ct);
        }

        await db.SaveChangesAsync(ct);
        if (decision == ReviewDecision.Removed && review.AuthorizedNumberId is { } numberId
            && await db.AuthorizedNumbers.AnyAsync(n => n.Id == numberId && n.Status != AuthorizationStatus.Revoked, ct))
        {
            await roster.ChangeStatusAsync(numberId, AuthorizationStatus.Revoked, reason, actor, ct);
        }
    }

    /// <summary>Review items, optionally only one reviewer's (a roster person) or only the overdue ones.</summary>
    public async Task<IReadOnlyList<ReviewItem>> ListAsync(long? reviewerId = null, bool overdueOnly = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var reviews = db.RecertificationReviews.AsNoTracking()
            .Where(r => reviewerId == null || r.ReviewerId == reviewerId)
            .Join(db.RecertificationCampaigns, r => r.CampaignId, c => c.Id, (r, c) => new { r, c });
        var numberRows = await reviews
            .Join(db.AuthorizedNumbers, x => x.r.AuthorizedNumberId, n => n.Id, (x, n) => new { x.r, x.c, n.PersonId, n.PhoneE164, Status = (AuthorizationStatus?)n.Status, Group = (string?)null })
            .ToListAsync(ct);
        var memberRows = await reviews
            .Join(db.GroupMembers, x => x.r.GroupMemberId, m => m.Id, (x, m) => new { x.r, x.c, m.PersonId, m.PhoneE164, m.GroupId })
            .Join(db.OfficialGroups, x => x.GroupId, g => g.Id, (x, g) => new { x.r, x.c, x.PersonId, x.PhoneE164, Status = (AuthorizationStatus?)null, Group = (string?)g.Name })
            .ToListAsync(ct);
        var rows = numberRows.Concat(memberRows).ToList();
        var personIds = rows.Select(x => x.PersonId).Concat(rows.Where(x => x.r.ReviewerId != null).Select(x => x.r.ReviewerId!.Value)).Distinct().ToList();
        var names = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return rows
            .Select(x => new ReviewItem(x.r.Id, x.c.Id, x.c.Name, x.c.DueDate, names[x.PersonId], x.PhoneE164, x.Status, x.Group,
                x.r.ReviewerId is { } v ? names[v] : null, x.r.Decision, x.r.DecidedBy, x.r.Comment,
                x.r.Decision == ReviewDecision.Pending && x.c.DueDate < today))
            .Where(r => !overdueOnly || r.IsOverdue)
            .OrderBy(r => r.DueDate).ThenBy(r => r.Group ?? "", StringComparer.CurrentCulture).ThenBy(r => r.Person, StringComparer.CurrentCulture)
            .ThenBy(r => r.PhoneE164, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>How many review items are still undecided after their campaign's due date (the dashboard's figure).</summary>
    public async Task<int> CountOverdueAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return await db.RecertificationReviews.CountAsync(
            r => r.Decision == ReviewDecision.Pending && db.RecertificationCampaigns.Any(c => c.Id == r.CampaignId && c.DueDate < today), ct);
    }

    private static AuditSubject Subject(long campaignId) => new("RecertificationCampaign", campaignId.ToString(CultureInfo.InvariantCulture));
}

/// <summary>
/// A review item as its reviewer sees it: an employee's authorized number (<see cref="Group"/> null,
/// with its <see cref="Status"/>) or a participant of an official group (<see cref="Group"/> named).
/// </summary>
public sealed record ReviewItem(
    long ReviewId, long CampaignId, string Campaign, DateOnly DueDate, string Person, string PhoneE164, AuthorizationStatus? Status, string? Group,
    string? Reviewer, ReviewDecision Decision, string? DecidedBy, string? Comment, bool IsOverdue);
