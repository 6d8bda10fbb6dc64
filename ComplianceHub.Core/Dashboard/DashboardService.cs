using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Dashboard;

public sealed class DashboardService(IDbContextFactory<ComplianceHubDbContext> dbFactory, TimeProvider clock)
{
    public async Task<DashboardSummary> GetSummaryAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var dayAgo = now.AddHours(-24);
        return new DashboardSummary(
            Users: await db.Users.CountAsync(ct),
            LockedOutUsers: await db.Users.CountAsync(u => u.LockoutEnd > now, ct),
            AuditEvents: await db.AuditEvents.CountAsync(ct),
            AuditEventsLast24Hours: await db.AuditEvents.CountAsync(e => e.OccurredAt >= dayAgo, ct),
            FailedSignInsLast24Hours: await db.AuditEvents.CountAsync(
                e => e.OccurredAt >= dayAgo && (e.Type == AuditEventType.SignInFailed || e.Type == AuditEventType.AccountLockedOut), ct),
            Conversations: await db.Conversations.CountAsync(ct),
            ArchivedMessages: await db.ChatMessages.CountAsync(ct),
            LastImportAt: await db.ImportBatches.OrderByDescending(b => b.Id).Select(b => (DateTimeOffset?)b.UploadedAt).FirstOrDefaultAsync(ct));
    }
}
