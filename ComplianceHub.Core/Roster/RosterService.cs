using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Roster;

/// <summary>Changes to single authorizations: suspend, revoke or activate a number, with the reason kept in its history and audited.</summary>
public sealed class RosterService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, TimeProvider clock, ActivationPrerequisites prerequisites)
{
    /// <summary>
    /// Moves number <paramref name="numberId"/> to <paramref name="status"/>. Suspending and revoking
    /// need a reason; a revoked authorization is final (authorize the number again as a new request);
    /// activating asks every prerequisite first and refuses with its reason.
    /// </summary>
    public async Task ChangeStatusAsync(long numberId, AuthorizationStatus status, string? reason, AuditActor actor, CancellationToken ct = default)
    {
        var why = reason?.Trim();
        if (status is AuthorizationStatus.Suspended or AuthorizationStatus.Revoked && string.IsNullOrEmpty(why))
        {
            throw new ComplianceRuleException($"Say why the number is {status.ToString().ToLowerInvariant()}.");
        }

        if (why is { Length: > 1000 })
        {
            throw new ComplianceRuleException("The reason can be at most 1,000 characters.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var number = await db.AuthorizedNumbers.Include(n => n.History).SingleOrDefaultAsync(n => n.Id == numberId, ct)
            ?? throw new ComplianceRuleException("That number is not on the roster.");
        if (number.Status == AuthorizationStatus.Revoked)
        {
            throw new ComplianceRuleException($"The authorization of {number.PhoneE164} was revoked; that is final. Authorize the number again as a new request.");
        }

        if (number.Status == status)
        {
            throw new ComplianceRuleException($"{number.PhoneE164} is already {status.ToString().ToLowerInvariant()}.");
        }

        var person = await db.People.SingleAsync(p => p.Id == number.PersonId, ct);
        if (status == AuthorizationStatus.Active && await prerequisites.BlockingReasonAsync(person, ct) is { } blocked)
        {
            throw new ComplianceRuleException($"{number.PhoneE164} cannot be active yet: {blocked}");
        }

        var from = number.Status;
        number.ChangeStatus(status, why, actor.Name, clock.GetUtcNow());
        audit.Record(db, AuditEventType.NumberStatusChanged, actor, new AuditSubject("AuthorizedNumber", numberId.ToString(CultureInfo.InvariantCulture)), new
        {
            phone = number.PhoneE164,
            person = person.Name,
            from = from.ToString(),
            to = status.ToString(),
            reason = why,
        });
        await db.SaveChangesAsync(ct);
    }
}
