using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Findings;

/// <summary>
/// The watermarks of one pass of checks, read at its start and moved in the same transaction as the
/// findings it raises: a pass that fails leaves them where they were, so nothing is skipped.
/// </summary>
public sealed class FindingScans
{
    private readonly ComplianceHubDbContext _db;
    private readonly Dictionary<(string Check, long ScopeId), FindingScan> _scans;
    private readonly DateTimeOffset _now;

    private FindingScans(ComplianceHubDbContext db, Dictionary<(string, long), FindingScan> scans, long upTo, DateTimeOffset now)
    {
        _db = db;
        _scans = scans;
        UpTo = upTo;
        _now = now;
    }

    /// <summary>The newest message when the pass began: every window of this pass ends here.</summary>
    public long UpTo { get; }

    public static async Task<FindingScans> BeginAsync(ComplianceHubDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var scans = await db.Set<FindingScan>().ToDictionaryAsync(s => (s.Check, s.ScopeId), ct);
        // Up to the newest message readers see, but never past a running import's first message: its messages
        // appear all at once when it completes, and a watermark already beyond them would never read them.
        var upTo = await db.ChatMessages.MaxAsync(m => (long?)m.Id, ct) ?? 0;
        var running = await db.ImportBatches.Where(b => b.CompletedAt == null).Select(b => (long?)b.Id).ToListAsync(ct);
        if (running.Count > 0 && await db.ChatMessages.IgnoreQueryFilters().Where(m => running.Contains(m.ImportBatchId))
                .MinAsync(m => (long?)m.Id, ct) is { } firstHidden)
        {
            upTo = Math.Min(upTo, firstHidden - 1);
        }

        return new FindingScans(db, scans, upTo, now);
    }

    /// <summary>
    /// The messages <paramref name="check"/> has not judged in <paramref name="scopeId"/>: ids after the
    /// returned one, up to <see cref="UpTo"/>. Moves the watermark to <see cref="UpTo"/> (saved with the
    /// caller's changes); a different <paramref name="basis"/> from last time starts the scope again.
    /// </summary>
    public long Since(string check, long scopeId, string? basis = null)
    {
        if (!_scans.TryGetValue((check, scopeId), out var scan))
        {
            scan = new FindingScan(check, scopeId);
            _scans[(check, scopeId)] = scan;
            _db.Add(scan);
        }

        var since = string.Equals(scan.Basis, basis, StringComparison.Ordinal) ? scan.LastMessageId : 0;
        scan.Advance(UpTo, basis, _now);
        return since;
    }
}
