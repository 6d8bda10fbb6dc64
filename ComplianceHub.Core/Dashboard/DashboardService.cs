using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Policies;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Training;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Dashboard;

/// <summary>A feature's part of the dashboard; the portal asks only for the parts the signed-in user's policies admit.</summary>
public enum DashboardSection
{
    Archive,
    Roster,
    LegalHolds,
    Accounts,
    Audit,
    Policies,
    Training,
}

/// <summary>
/// The dashboard's figures, each from the feature that owns it, computed only for the sections asked
/// for: a user who may not see a feature's data never has it counted for them.
/// </summary>
public sealed class DashboardService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, TimeProvider clock, CaptureMonitor capture, RosterMonitor roster,
    RecertificationService recertification, LegalHoldService holds, PolicyReport policies,
    TrainingReport training)
{
    public async Task<DashboardFigures> GetAsync(IReadOnlySet<DashboardSection> sections, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var dayAgo = now.AddHours(-24);
        return new DashboardFigures(
            sections.Contains(DashboardSection.Archive)
                ? new ArchiveFigures(
                    await db.ChatMessages.CountAsync(ct),
                    await db.Conversations.CountAsync(ct),
                    await db.ImportBatches.OrderByDescending(b => b.Id).Select(b => (DateTimeOffset?)b.UploadedAt).FirstOrDefaultAsync(ct),
                    await capture.SilentNumbersAsync(ct))
                : null,
            sections.Contains(DashboardSection.Roster)
                ? new RosterFigures(await roster.CountOpenAsync(ct), await recertification.CountOverdueAsync(ct))
                : null,
            sections.Contains(DashboardSection.LegalHolds) ? new LegalHoldFigures(await holds.CountActiveAsync(ct)) : null,
            sections.Contains(DashboardSection.Accounts)
                ? new AccountFigures(await db.Users.CountAsync(ct), await db.Users.CountAsync(u => u.LockoutEnd > now, ct))
                : null,
            sections.Contains(DashboardSection.Audit)
                ? new AuditFigures(
                    await db.AuditEvents.CountAsync(ct),
                    await db.AuditEvents.CountAsync(e => e.OccurredAt >= dayAgo, ct),
                    await db.AuditEvents.CountAsync(
                        e => e.OccurredAt >= dayAgo && (e.Type == AuditEventType.SignInFailed || e.Type == AuditEventType.AccountLockedOut), ct))
                : null,
            sections.Contains(DashboardSection.Policies) ? PolicyFigures.From(await policies.StandingsAsync(ct)) : null,
            sections.Contains(DashboardSection.Training) ? TrainingFigures.From(await training.CoursesAsync(ct)) : null);
    }
}

/// <summary>The dashboard's figures; a section not asked for is null.</summary>
public sealed record DashboardFigures(
    ArchiveFigures? Archive, RosterFigures? Roster, LegalHoldFigures? LegalHolds, AccountFigures? Accounts, AuditFigures? Audit,
    PolicyFigures? Policies = null, TrainingFigures? Training = null);

/// <summary>Completion of the courses assigned, all together: completed (current) of assigned, overdue, and expiring within 30 days.</summary>
public sealed record TrainingFigures(int Courses, int Completed, int Assigned, int Overdue, int Expiring30)
{
    public double CompletedPercent => Assigned == 0 ? 100 : 100.0 * Completed / Assigned;

    public static TrainingFigures From(IReadOnlyList<CourseStanding> courses) =>
        new(courses.Count, courses.Sum(c => c.Completed), courses.Sum(c => c.Assigned), courses.Sum(c => c.Overdue), courses.Sum(c => c.Expiring30));
}

/// <summary>Signatures of the policies in force, all versions together: signed of asked, and how many are late.</summary>
public sealed record PolicyFigures(int InForce, int Acknowledged, int Asked, int Overdue)
{
    public double AcknowledgedPercent => Asked == 0 ? 100 : 100.0 * Acknowledged / Asked;

    public static PolicyFigures From(IReadOnlyList<PolicyStanding> standings) =>
        new(standings.Count, standings.Sum(s => s.Acknowledged), standings.Sum(s => s.Total), standings.Sum(s => s.Overdue));
}

/// <summary>What the archive holds, and the configured business numbers that have gone quiet (capture may be broken).</summary>
public sealed record ArchiveFigures(int Messages, int Conversations, DateTimeOffset? LastImportAt, IReadOnlyList<SilentNumber> SilentNumbers);

public sealed record RosterFigures(int OpenAlerts, int OverdueReviews);

public sealed record LegalHoldFigures(int Active);

public sealed record AccountFigures(int Users, int LockedOut);

public sealed record AuditFigures(int Events, int Last24Hours, int FailedSignInsLast24Hours);
