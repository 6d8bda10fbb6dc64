using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Integrity;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Retention;

/// <summary>
/// Checks every completed disposition run: its summary's signature by the checkpoint key, and that the tombstones it left
/// still match the count and digest the summary sealed (a tombstone altered, added or taken away turns it red, naming the run).
/// </summary>
public sealed class DispositionRunVerifier(IDbContextFactory<ComplianceHubDbContext> dbFactory, CheckpointService checkpoints) : IIntegrityCheck
{
    public const string ChainName = "disposition runs";

    public async Task<IReadOnlyList<ChainVerificationResult>> VerifyAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var runs = await db.DispositionRuns.AsNoTracking().Where(r => r.Status == DispositionRunStatus.Completed).OrderBy(r => r.Id).ToListAsync(ct);
        long checkedRuns = 0;
        foreach (var run in runs)
        {
            var runId = run.Id;
            var problem = await ProblemAsync(db, run, ct);
            if (problem is not null)
            {
                return [new ChainVerificationResult(ChainName, checkedRuns, $"disposition run {runId}", problem, null)];
            }

            checkedRuns++;
        }

        // Tombstones of a run that never completed (or of none at all) were not written by a disposition.
        var stray = await db.MessageTombstones.AsNoTracking()
            .Where(t => !db.DispositionRuns.Any(r => r.Id == t.RunId && (r.Status == DispositionRunStatus.Completed || r.Status == DispositionRunStatus.Removing)))
            .Select(t => new { t.MessageId, t.RunId }).FirstOrDefaultAsync(ct);
        return stray is null
            ? [new ChainVerificationResult(ChainName, checkedRuns, null, null, null)]
            : [new ChainVerificationResult(ChainName, checkedRuns, $"tombstone of message {stray.MessageId}", $"it names disposition run {stray.RunId}, which removed nothing", null)];
    }

    private async Task<string?> ProblemAsync(ComplianceHubDbContext db, DispositionRun run, CancellationToken ct)
    {
        if (run.Summary is null || run.Signature is null)
        {
            return "it completed without a signed summary";
        }

        if (run.SignedByKey != checkpoints.Signer.KeyId)
        {
            return $"its summary was signed by key {run.SignedByKey}, not this archive's checkpoint key {checkpoints.Signer.KeyId}";
        }

        if (!checkpoints.Signer.Verify(Encoding.UTF8.GetBytes(run.Summary), run.Signature))
        {
            return "its summary does not match its signature";
        }

        using var summary = JsonDocument.Parse(run.Summary);
        var root = summary.RootElement;
        var runId = run.Id;
        var tombstones = await db.MessageTombstones.AsNoTracking().Where(t => t.RunId == runId).OrderBy(t => t.MessageId).ToListAsync(ct);
        if (root.GetProperty("run").GetInt64() != runId)
        {
            return $"its summary is run {root.GetProperty("run").GetInt64()}'s";
        }

        if (root.GetProperty("removed").GetInt32() != tombstones.Count || run.Removed != tombstones.Count)
        {
            return $"its signed summary says {root.GetProperty("removed").GetInt32()} message(s) removed; {tombstones.Count} tombstone(s) name it";
        }

        return root.GetProperty("tombstoneDigest").GetString() != DispositionService.TombstoneDigest(tombstones)
            ? "its tombstones no longer match the digest its signed summary sealed: one was altered"
            : null;
    }
}
