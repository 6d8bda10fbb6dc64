namespace ComplianceHub.Core.Audit;

/// <summary>
/// Recomputes every hash chain (SEC 17a-4: automatically verify that records are complete and
/// accurate) and records the outcome in the audit trail.
/// </summary>
public sealed class IntegrityVerificationService(IEnumerable<IIntegrityCheck> checks, AuditLog audit)
{
    /// <summary>Runs every registered check, and <paramref name="additional"/> ones asked for this time (such as the search index's), and audits the outcome.</summary>
    public Task<IReadOnlyList<ChainVerificationResult>> VerifyAllAsync(AuditActor actor, CancellationToken ct = default, params IEnumerable<IIntegrityCheck> additional) =>
        VerifyAllAsync(actor, IntegrityRun.Default, ct, additional);

    /// <summary>The same, reporting progress to and resuming as <paramref name="run"/> says.</summary>
    public async Task<IReadOnlyList<ChainVerificationResult>> VerifyAllAsync(
        AuditActor actor, IntegrityRun run, CancellationToken ct, params IEnumerable<IIntegrityCheck> additional)
    {
        var results = new List<ChainVerificationResult>();
        foreach (var check in checks.Concat(additional))
        {
            results.AddRange(await check.VerifyAsync(run, ct));
        }

        await audit.RecordInOwnTransactionAsync(AuditEventType.IntegrityVerified, actor, details: new
        {
            intact = results.All(r => r.IsIntact),
            chains = results.Select(r => new { r.Chain, r.RecordsChecked, r.TombstonesCrossed, r.BrokenRecord, r.Problem }),
        }, ct: ct);
        return results;
    }
}
