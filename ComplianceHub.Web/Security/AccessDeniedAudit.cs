using ComplianceHub.Core.Audit;

namespace ComplianceHub.Web.Security;

/// <summary>Records a signed-in user's attempt to open a page their roles do not allow.</summary>
public sealed class AccessDeniedAudit(AuditLog audit)
{
    public const int MaxPathLength = 512;

    public async Task RecordAsync(AuditActor actor, string? path, CancellationToken ct = default)
    {
        if (actor.UserId is null)
        {
            return;
        }

        path ??= "";
        await audit.RecordInOwnTransactionAsync(AuditEventType.AccessDenied, actor, new AuditSubject("Page", path.Length <= MaxPathLength ? path : path[..MaxPathLength]), ct: ct);
    }
}
