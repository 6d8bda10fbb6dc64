using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Findings;
using ComplianceHub.Core.Roster.Monitoring;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Roster;

/// <summary>
/// Compares the archive with the roster and raises an alert for each finding, once: one
/// <see cref="IRosterCheck"/> per kind (<see cref="RosterAlertKind"/>), each reading only the messages
/// archived since its watermark. A compliance officer acknowledges an alert with a comment, audited
/// (<see cref="FindingQueue"/>).
/// </summary>
public sealed class RosterMonitor(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, TimeProvider clock, FindingQueue findings, IEnumerable<IRosterCheck> checks)
{
    /// <summary>One pass at a time in this process (the worker and "Check now" would otherwise raise the same findings twice).</summary>
    private readonly SemaphoreSlim _pass = new(1, 1);

    /// <summary>Runs every check on what arrived since its last pass and stores new findings as alerts, with the watermarks; returns how many were raised.</summary>
    public async Task<int> ScanAsync(CancellationToken ct = default)
    {
        await _pass.WaitAsync(ct);
        try
        {
            return await ScanOnceAsync(ct);
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task<int> ScanOnceAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scan = await RosterScan.LoadAsync(db, clock.GetUtcNow(), ct);
        var candidates = new List<RosterAlert>();
        foreach (var check in checks)
        {
            candidates.AddRange(await check.FindAsync(scan, ct));
        }

        var raised = await findings.RaiseAsync(db, candidates, ct);
        if (raised.Count > 0)
        {
            audit.Record(db, AuditEventType.RosterAlertsRaised, AuditActor.System, null, new
            {
                alerts = raised.GroupBy(a => RosterAlert.KindCode(a.Kind)).ToDictionary(g => g.Key, g => g.Count()),
            });
        }

        await db.SaveChangesAsync(ct);
        return raised.Count;
    }

    /// <summary>Alerts, newest first; unacknowledged only unless <paramref name="includeAcknowledged"/>.</summary>
    public async Task<IReadOnlyList<RosterAlert>> ListAsync(bool includeAcknowledged = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.RosterAlerts.AsNoTracking().Where(a => includeAcknowledged || a.DecidedAt == null)
            .OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id).ToListAsync(ct);
    }

    public async Task<int> CountOpenAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.RosterAlerts.CountAsync(a => a.DecidedAt == null, ct);
    }

    /// <summary>Closes an alert with the officer's comment (required), audited.</summary>
    public async Task AcknowledgeAsync(long alertId, string comment, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await findings.DecideAsync(db, alertId, new FindingDecision<RosterAlert>(comment, CommentRequired: true, AuditEventType.RosterAlertAcknowledged,
            (alert, note, _) => Task.FromResult<object>(new
            {
                kind = RosterAlert.KindCode(alert.Kind),
                phone = alert.Phone,
                conversationId = alert.ConversationId,
                comment = note,
            })), actor, ct);
        await db.SaveChangesAsync(ct);
    }
}
