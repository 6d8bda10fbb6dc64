using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Web.Security;

/// <summary>Records a signed-in user's attempt to open a page their roles do not allow.</summary>
public sealed class AccessDeniedAudit(IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit)
{
    public const int MaxPathLength = 512;

    public async Task RecordAsync(AuditActor actor, string? path, CancellationToken ct = default)
    {
        if (actor.UserId is null)
        {
            return;
        }

        path ??= "";
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        audit.Record(db, AuditEventType.AccessDenied, actor, new AuditSubject("Page", path.Length <= MaxPathLength ? path : path[..MaxPathLength]));
        await db.SaveChangesAsync(ct);
    }
}
