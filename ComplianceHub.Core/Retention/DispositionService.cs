using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Archive.Writing;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Integrity;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Retention;

/// <summary>What a disposition run did, or has done so far: its report's figures and, once completed, its removals.</summary>
public sealed record DispositionOutcome(
    long RunId, DispositionRunStatus Status, int Expired, int KeptByHold, int Named, int Removed, int HeldSinceReport, int Tombstones, int BlobsRemoved)
{
    internal static DispositionOutcome Of(DispositionRun run, int tombstones) =>
        new(run.Id, run.Status, run.Expired, run.KeptByHold + run.HeldSinceReport, run.Named, run.Removed, run.HeldSinceReport, tombstones, run.BlobsRemoved);
}

/// <summary>
/// Lawful disposition: a run computes its report the way the dry run does (expired messages, less what active legal holds
/// keep) and records the messages it names; with four eyes on, a second person approves it; then it removes them a
/// conversation at a time (<see cref="MessageDisposal"/>: tombstones, search entries, attachments, emptied payloads and
/// released originals, one transaction each), checking again before each conversation what holds keep and what has expired
/// now (a hold placed or a rule lengthened after the report wins). Files nothing kept names any more leave the blob store,
/// the database's free space is purged, and the run closes with one audit event and a summary signed with the checkpoint
/// key, which <see cref="DispositionRunVerifier"/> checks against the tombstones. Off until an administrator turns it on.
/// A run stopped half-way (the process died) is resumed by <see cref="ResumeAsync"/>: what it removed stays removed, the
/// rest goes.
/// </summary>
public sealed class DispositionService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, RetentionService retention, ArchiveWriteGate gate, ISearchIndex index,
    IBlobStore blobs, IEnumerable<BlobUses> blobUses, CheckpointService checkpoints, AuditLog audit, IOptions<RetentionOptions> options,
    TimeProvider clock, ILogger<DispositionService> logger)
{
    private static readonly JsonSerializerOptions SummaryJson = new() { WriteIndented = false };

    /// <summary>One run at a time in this process; across hosts the database's archive lock orders the removals themselves.</summary>
    private readonly SemaphoreSlim _running = new(1, 1);

    public async Task<DispositionSettings> SettingsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await DispositionSettings.CurrentAsync(db, options.Value, ct);
    }

    /// <summary>Turns disposition on or off and four-eyes approval on or off (an administrator's decision; audited with what it was).</summary>
    public async Task<DispositionSettings> ChangeSettingsAsync(bool enabled, bool requireApproval, AuditActor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var before = await DispositionSettings.CurrentAsync(db, options.Value, ct);
        if (before.Enabled == enabled && before.RequireApproval == requireApproval)
        {
            return before;
        }

        var setting = new DispositionSetting(enabled, requireApproval, actor.Name, clock.GetUtcNow());
        db.DispositionSettings.Add(setting);
        audit.Record(db, AuditEventType.DispositionSettingsChanged, actor, null, new
        {
            enabled,
            requireApproval,
            wasEnabled = before.Enabled,
            requiredApproval = before.RequireApproval,
        });
        await db.SaveChangesAsync(ct);
        return new DispositionSettings(enabled, requireApproval, setting.ChangedBy, setting.ChangedAt);
    }

    /// <summary>The latest runs, newest first.</summary>
    public async Task<IReadOnlyList<DispositionRun>> RunsAsync(int take = 20, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DispositionRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(take).ToListAsync(ct);
    }

    /// <summary>The run awaiting approval, approved or removing, if there is one (there is at most one).</summary>
    public async Task<DispositionRun?> OpenRunAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await OpenRunAsync(db, ct);
    }

    /// <summary>A run's report per conversation and rule: the messages it names.</summary>
    public async Task<IReadOnlyList<DispositionReportRow>> ReportAsync(long runId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.DispositionItems.AsNoTracking().Where(i => i.RunId == runId)
            .GroupBy(i => new { i.ConversationId, i.Rule })
            .Select(g => new { g.Key.ConversationId, g.Key.Rule, Count = g.Count() })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.ConversationId).Distinct().ToList();
        var titles = await db.Conversations.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Title, ct);
        var removed = (await db.MessageTombstones.AsNoTracking().Where(t => t.RunId == runId)
                .GroupBy(t => new { t.ConversationId, t.Rule }).Select(g => new { g.Key.ConversationId, g.Key.Rule, Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(r => (r.ConversationId, r.Rule), r => r.Count);
        return rows.Select(r => new DispositionReportRow(r.ConversationId, titles.GetValueOrDefault(r.ConversationId) ?? "", r.Rule, r.Count,
                removed.GetValueOrDefault((r.ConversationId, r.Rule))))
            .OrderBy(r => r.Title, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.ConversationId).ThenBy(r => r.Rule, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Starts a run: its report (what has expired now, less what holds keep) is recorded, then, unless four eyes are on, the
    /// named messages are removed at once. Refused while disposition is off or another run is open.
    /// </summary>
    public async Task<DispositionOutcome> RequestAsync(DispositionTrigger trigger, AuditActor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        long runId;
        bool needsApproval;
        await _running.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var settings = await DispositionSettings.CurrentAsync(db, options.Value, ct);
            if (!settings.Enabled)
            {
                throw new ComplianceRuleException("Disposition is off: an administrator turns it on under Legal holds → Retention (or Retention:DispositionEnabled). A dry run shows what it would remove.");
            }

            if (await OpenRunAsync(db, ct) is { } open)
            {
                throw new ComplianceRuleException(open.Status == DispositionRunStatus.AwaitingApproval
                    ? $"Disposition run {open.Id} (requested by {open.RequestedBy} on {open.RequestedAt:yyyy-MM-dd HH:mm} UTC) awaits a second person's approval: approve or reject it first."
                    : $"Disposition run {open.Id} is under way; it finishes before another starts.");
            }

            var now = clock.GetUtcNow();
            var plan = await retention.ComputeAsync(db, now, ct);
            // A report that names nothing has nothing to approve: it completes at once, on record.
            needsApproval = settings.RequireApproval && plan.WouldRemove > 0;
            var run = new DispositionRun(trigger, actor.Name, now, now, needsApproval);
            run.Report(plan.Expired, plan.KeptByHold, plan.WouldRemove);
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                db.DispositionRuns.Add(run);
                await db.SaveChangesAsync(ct);
                // The report, set-based: per conversation and source with anything to remove, what has expired and no active hold
                // covers (the rows the dry run just counted, with their deciding rules and dates).
                foreach (var row in plan.Rows.Where(r => r.WouldRemove > 0))
                {
                    var insert = $$"""
                        INSERT INTO "DispositionItems" ("RunId", "MessageId", "ConversationId", "RuleId", "Rule")
                        SELECT {{Number(run.Id)}}, m."Id", m."ConversationId", {{(row.Rule.Id is { } ruleId ? Number(ruleId) : "NULL")}}, {1}
                        FROM "ChatMessages" m
                        WHERE m."ConversationId" = {{Number(row.ConversationId)}} AND m."Source" = {{Number((int)row.Source)}} AND m."SentAt" <= {0}
                          AND {{ArchiveVisibility.SqlCondition("m")}} AND NOT {{LegalHoldScope.OnHoldCondition("m")}}
                        """;
                    await db.Database.ExecuteSqlRawAsync(insert, [db.InstantParameter(row.ExpiredOnOrBefore), row.Rule.Describe()], ct);
                }

                var newRun = run.Id;
                var named = await db.DispositionItems.CountAsync(i => i.RunId == newRun, ct);
                if (named != plan.WouldRemove)
                {
                    // An import completing between the count and the report: the report is what the run acts on.
                    logger.LogWarning("Disposition run {Run}'s report names {Named} message(s); the count just before it was {Counted}", newRun, named, plan.WouldRemove);
                }

                run.Report(plan.Expired, plan.KeptByHold, named);
                await db.SaveChangesAsync(ct);

                audit.Record(db, AuditEventType.DispositionRequested, actor, Subject(run.Id), new
                {
                    trigger = trigger.ToString(),
                    plannedAt = now,
                    expired = plan.Expired,
                    keptByHold = plan.KeptByHold,
                    named,
                    conversations = plan.Rows.Count(r => r.WouldRemove > 0),
                    needsApproval,
                    holds = plan.KeptBy.Select(h => new { h.HoldId, h.Messages }),
                });
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }

            runId = run.Id;
        }
        finally
        {
            _running.Release();
        }

        return needsApproval ? await OutcomeAsync(runId, ct) : await ExecuteAsync(runId, ct);
    }

    /// <summary>Approves a run awaiting approval (not by who requested it) and removes what it names.</summary>
    public async Task<DispositionOutcome> ApproveAsync(long runId, AuditActor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await _running.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var run = await AwaitingAsync(db, runId, ct);
            if (string.Equals(run.RequestedBy, actor.Name, StringComparison.OrdinalIgnoreCase))
            {
                throw new ComplianceRuleException($"Disposition run {runId} was requested by {run.RequestedBy}: a second person approves it.");
            }

            if (await DispositionSettings.CurrentAsync(db, options.Value, ct) is { Enabled: false })
            {
                throw new ComplianceRuleException("Disposition is off: an administrator turns it on before a run can be approved.");
            }

            run.Approve(actor.Name, clock.GetUtcNow());
            audit.Record(db, AuditEventType.DispositionApproved, actor, Subject(runId), new { requestedBy = run.RequestedBy, named = run.Named });
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            _running.Release();
        }

        return await ExecuteAsync(runId, ct);
    }

    /// <summary>Turns down a run awaiting approval, with the reason: nothing it names is removed.</summary>
    public async Task RejectAsync(long runId, string reason, AuditActor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        reason = reason?.Trim() ?? "";
        if (reason.Length == 0 || reason.Length > DispositionRun.MaxReasonLength)
        {
            throw new ComplianceRuleException($"Say why the run is rejected, in at most {DispositionRun.MaxReasonLength} characters.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await AwaitingAsync(db, runId, ct);
        run.Reject(actor.Name, clock.GetUtcNow(), reason);
        audit.Record(db, AuditEventType.DispositionRejected, actor, Subject(runId), new { requestedBy = run.RequestedBy, named = run.Named, reason });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Finishes a run that was approved or stopped half-way (its process died); null when there is none.</summary>
    public async Task<DispositionOutcome?> ResumeAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = await OpenRunAsync(db, ct);
        return open is { Status: DispositionRunStatus.Approved or DispositionRunStatus.Removing } ? await ExecuteAsync(open.Id, ct) : null;
    }

    private async Task<DispositionOutcome> ExecuteAsync(long runId, CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var run = await db.DispositionRuns.SingleAsync(r => r.Id == runId, ct);
            if (run.Status is not (DispositionRunStatus.Approved or DispositionRunStatus.Removing))
            {
                return await OutcomeAsync(db, run, ct);
            }

            if (run.Status == DispositionRunStatus.Approved)
            {
                run.Start(clock.GetUtcNow());
                await db.SaveChangesAsync(ct);
                logger.LogInformation("Disposition run {Run} started: {Named} message(s) named", runId, run.Named);
            }
            else
            {
                logger.LogWarning("Disposition run {Run} resumed: it stopped before it finished", runId);
            }

            var heldSinceReport = await RemoveAsync(db, run, ct);
            var blobsRemoved = await ReleaseFilesAsync(db, runId, ct);
            await using (var compaction = await MessageDisposal.BeginAsync(db, gate, index, ct))
            {
                await compaction.CompactIndexAsync(ct);
                await compaction.CommitAsync(ct);
            }

            var purge = await db.PurgeRemovedAsync(ct);
            await CompleteAsync(db, run, heldSinceReport, blobsRemoved, purge, ct);
            return await OutcomeAsync(db, run, ct);
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>
    /// Removes, conversation by conversation, what the report names and is still expired and not held; returns how many named
    /// messages holds placed since the report keep (a rule lengthened since keeps the others it now keeps, uncounted there).
    /// </summary>
    private async Task<int> RemoveAsync(ComplianceHubDbContext db, DispositionRun run, CancellationToken ct)
    {
        var runId = run.Id;
        // Expiry as of now under the rules in force now: a rule lengthened since the report keeps what it now keeps.
        var now = clock.GetUtcNow();
        var cutoffs = (await retention.ExpiryAsync(db, now, ct)).ToDictionary(r => (r.ConversationId, r.Source), r => r.ExpiredOnOrBefore);
        var conversations = await db.DispositionItems.AsNoTracking().Where(i => i.RunId == runId)
            .Where(i => db.ChatMessages.IgnoreQueryFilters().Any(m => m.Id == i.MessageId))
            .Select(i => i.ConversationId).Distinct().OrderBy(c => c).ToListAsync(ct);
        var keptSince = 0;
        var byConversation = cutoffs.GroupBy(c => c.Key.ConversationId).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<MessageSource, DateTimeOffset>)g.ToDictionary(c => c.Key.Source, c => c.Value));
        foreach (var conversationId in conversations)
        {
            db.ChangeTracker.Clear();
            await using var disposal = await MessageDisposal.BeginAsync(db, gate, index, ct);
            var named = $"""SELECT i."MessageId", i."RuleId", i."Rule" FROM "DispositionItems" i WHERE i."RunId" = {Number(runId)} AND i."ConversationId" = {Number(conversationId)}""";
            var result = await disposal.RemoveAsync(runId, conversationId, named, LegalHoldScope.OnHoldCondition("m"),
                byConversation.GetValueOrDefault(conversationId) ?? new Dictionary<MessageSource, DateTimeOffset>(), clock.GetUtcNow(), ct);
            keptSince += result.Held;
            if (result.FilesToRelease.Count > 0)
            {
                var known = (await db.DispositionBlobs.Where(b => b.RunId == runId && result.FilesToRelease.Contains(b.Sha256)).Select(b => b.Sha256).ToListAsync(ct))
                    .ToHashSet(StringComparer.Ordinal);
                db.DispositionBlobs.AddRange(result.FilesToRelease.Where(f => !known.Contains(f)).Select(f => new DispositionBlob(runId, f)));
                await db.SaveChangesAsync(ct);
            }

            await disposal.CommitAsync(ct);
        }

        // Every conversation with a named message still stored is gone through (a resumed run's too), so this counts them all.
        return keptSince;
    }

    /// <summary>
    /// Removes the files earlier runs left pending (put again too recently to be removed then) that nothing names now; the
    /// daily worker calls it. Returns how many went.
    /// </summary>
    public async Task<int> ReleasePendingFilesAsync(CancellationToken ct = default)
    {
        await _running.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var before = await db.DispositionBlobs.CountAsync(b => b.RemovedAt != null, ct);
            await ReleaseFilesAsync(db, null, ct);
            return await db.DispositionBlobs.CountAsync(b => b.RemovedAt != null, ct) - before;
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>
    /// Removes each file the run's removals (or, with no run, any run's) left that nothing kept names any more, unless it was put
    /// again within the orphan sweep's grace period (a writer about to name it: it stays pending); returns how many of the run's went.
    /// </summary>
    private async Task<int> ReleaseFilesAsync(ComplianceHubDbContext db, long? runId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var pending = await db.DispositionBlobs.Where(b => (runId == null || b.RunId == runId) && b.RemovedAt == null && !b.StillNamed).ToListAsync(ct);
        if (pending.Count > 0)
        {
            var named = new HashSet<string>(StringComparer.Ordinal);
            var candidates = pending.Select(p => p.Sha256).ToList();
            foreach (var column in blobUses)
            {
                foreach (var chunk in candidates.Chunk(500))
                {
                    named.UnionWith((await column.Hashes(db).Where(h => chunk.Contains(h)).ToListAsync(ct)).Select(h => h.Trim()));
                }
            }

            var putBefore = clock.GetUtcNow() - OrphanSweep.OrphanAfter;
            foreach (var blob in pending)
            {
                if (named.Contains(blob.Sha256))
                {
                    blob.Settle(null, stillNamed: true);
                }
                else if (await blobs.RemoveDisposedAsync(blob.Sha256, putBefore, ct) || !await blobs.ExistsAsync(blob.Sha256, ct))
                {
                    blob.Settle(clock.GetUtcNow(), stillNamed: false);
                }
            }

            await db.SaveChangesAsync(ct);
        }

        return runId is null ? 0 : await db.DispositionBlobs.CountAsync(b => b.RunId == runId && b.RemovedAt != null, ct);
    }

    private async Task CompleteAsync(ComplianceHubDbContext db, DispositionRun run, int heldSinceReport, int blobsRemoved, string purge, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var runId = run.Id;
        var tombstones = await db.MessageTombstones.AsNoTracking().Where(t => t.RunId == runId).OrderBy(t => t.MessageId).ToListAsync(ct);
        var completedAt = clock.GetUtcNow();
        var summary = Summary(run, completedAt, tombstones.Count, heldSinceReport, blobsRemoved, TombstoneDigest(tombstones));
        var signer = checkpoints.Signer;
        var signature = signer.Sign(Encoding.UTF8.GetBytes(summary));
        var tracked = await db.DispositionRuns.SingleAsync(r => r.Id == runId, ct);
        tracked.Complete(completedAt, tombstones.Count, heldSinceReport, blobsRemoved, summary, signature, signer.KeyId);
        audit.Record(db, AuditEventType.DispositionCompleted, AuditActor.System, Subject(runId), new
        {
            requestedBy = tracked.RequestedBy,
            approvedBy = tracked.DecidedBy,
            expired = tracked.Expired,
            keptByHold = tracked.KeptByHold + heldSinceReport,
            heldSinceReport,
            removed = tombstones.Count,
            tombstones = tombstones.Count,
            blobsRemoved,
            conversations = tombstones.Select(t => t.ConversationId).Distinct().Count(),
            purge,
            summarySha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(summary))),
            signature,
            key = signer.KeyId,
        });
        await db.SaveChangesAsync(ct);
        logger.LogInformation(
            "Disposition run {Run} completed: {Removed} message(s) removed, {Kept} kept by holds, {Blobs} file(s) removed; {Purge}",
            runId, tombstones.Count, tracked.KeptByHold + heldSinceReport, blobsRemoved, purge);
        db.Entry(tracked).State = EntityState.Detached;
        db.Entry(run).State = EntityState.Detached;
    }

    /// <summary>The digest of a run's tombstones (each sealed whole, in message order), which its signed summary carries.</summary>
    internal static string TombstoneDigest(IEnumerable<MessageTombstone> tombstones)
    {
        var writer = new CanonicalWriter();
        foreach (var tombstone in tombstones.OrderBy(t => t.MessageId))
        {
            writer.Add(tombstone.Digest());
        }

        return writer.Sha256Hex();
    }

    /// <summary>The summary a completed run signs: canonical JSON of its figures and the digest of its tombstones.</summary>
    internal static string Summary(DispositionRun run, DateTimeOffset completedAt, int removed, int heldSinceReport, int blobsRemoved, string tombstoneDigest) =>
        JsonSerializer.Serialize(new
        {
            run = run.Id,
            requestedBy = run.RequestedBy,
            requestedAt = run.RequestedAt.ToUnixTimeMilliseconds(),
            plannedAt = run.PlannedAt.ToUnixTimeMilliseconds(),
            approvedBy = run.Status == DispositionRunStatus.AwaitingApproval ? null : run.DecidedBy,
            completedAt = completedAt.ToUnixTimeMilliseconds(),
            expired = run.Expired,
            keptByHold = run.KeptByHold + heldSinceReport,
            named = run.Named,
            removed,
            tombstones = removed,
            blobsRemoved,
            tombstoneDigest,
        }, SummaryJson);

    private static async Task<DispositionRun?> OpenRunAsync(ComplianceHubDbContext db, CancellationToken ct) =>
        await db.DispositionRuns.AsNoTracking()
            .Where(r => r.Status == DispositionRunStatus.AwaitingApproval || r.Status == DispositionRunStatus.Approved || r.Status == DispositionRunStatus.Removing)
            .OrderBy(r => r.Id).FirstOrDefaultAsync(ct);

    private static async Task<DispositionRun> AwaitingAsync(ComplianceHubDbContext db, long runId, CancellationToken ct)
    {
        var run = await db.DispositionRuns.SingleOrDefaultAsync(r => r.Id == runId, ct)
            ?? throw new ComplianceRuleException($"There is no disposition run {runId}.");
        return run.Status == DispositionRunStatus.AwaitingApproval
            ? run
            : throw new ComplianceRuleException($"Disposition run {runId} does not await approval: it is {Describe(run.Status)}.");
    }

    private async Task<DispositionOutcome> OutcomeAsync(long runId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await OutcomeAsync(db, await db.DispositionRuns.AsNoTracking().SingleAsync(r => r.Id == runId, ct), ct);
    }

    private static async Task<DispositionOutcome> OutcomeAsync(ComplianceHubDbContext db, DispositionRun run, CancellationToken ct)
    {
        var runId = run.Id;
        var fresh = await db.DispositionRuns.AsNoTracking().SingleAsync(r => r.Id == runId, ct);
        return DispositionOutcome.Of(fresh, await db.MessageTombstones.CountAsync(t => t.RunId == runId, ct));
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static AuditSubject Subject(long runId) => new("DispositionRun", runId.ToString(CultureInfo.InvariantCulture));

    /// <summary>A status in words: "awaiting approval", "completed".</summary>
    public static string Describe(DispositionRunStatus status) => status switch
    {
        DispositionRunStatus.AwaitingApproval => "awaiting approval",
        DispositionRunStatus.Approved => "approved",
        DispositionRunStatus.Removing => "removing",
        DispositionRunStatus.Completed => "completed",
        DispositionRunStatus.Rejected => "rejected",
        _ => status.ToString(),
    };
}

/// <summary>One conversation and rule of a run's report: how many messages it named and how many it removed.</summary>
public sealed record DispositionReportRow(long ConversationId, string Title, string Rule, int Named, int Removed);
