using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Web.Security;

/// <summary>Audits what users change on their own account from the (static) Identity pages.</summary>
public sealed class IdentityAudit(IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit)
{
    public async Task RecordAsync(HttpContext context, AuditEventType type, string userId, object? details = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        audit.Record(db, type, CurrentActor.From(context), AuditSubject.User(userId), details);
        await db.SaveChangesAsync(context.RequestAborted);
    }
}
