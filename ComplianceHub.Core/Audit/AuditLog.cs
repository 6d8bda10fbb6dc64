using System.Text.Json;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Audit;

/// <summary>
/// Writes audit events. <see cref="Record"/> queues the event on the caller's DbContext so that the action
/// and its audit record commit in the same transaction; the context seals it into the hash chain
/// when it saves. There is no update or delete path.
/// </summary>
public sealed class AuditLog(TimeProvider clock, IDbContextFactory<ComplianceHubDbContext> dbFactory)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>Maximum length of the details JSON; details are facts, not payloads.</summary>
    public const int MaxDetailsLength = 4000;

    /// <summary>
    /// Writes one audit event in a transaction of its own: for reads, verifications and refusals, where
    /// there is no other change to commit with it.
    /// </summary>
    public async Task RecordInOwnTransactionAsync(
        AuditEventType type, AuditActor actor, AuditSubject? subject = null, object? details = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        Record(db, type, actor, subject, details);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Adds an audit event to <paramref name="db"/>; it is written by the caller's next save.</summary>
    public AuditEvent Record(
        ComplianceHubDbContext db, AuditEventType type, AuditActor actor, AuditSubject? subject = null, object? details = null)
    {
        var json = details switch
        {
            null => null,
            string s => s,
            _ => JsonSerializer.Serialize(details, details.GetType(), JsonOptions),
        };
        if (json is { Length: > MaxDetailsLength })
        {
            throw new ArgumentException($"Audit details are limited to {MaxDetailsLength} characters.", nameof(details));
        }

        // Millisecond precision: the hash covers Unix milliseconds and PostgreSQL keeps microseconds.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var auditEvent = new AuditEvent(now, type, actor, subject, json);
        db.EnqueueAuditEvent(auditEvent);
        return auditEvent;
    }
}
