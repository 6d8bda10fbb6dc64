using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Integrity;

/// <summary>
/// Checks the database against the checkpoints sealed outside it: the log itself (every line signed and linked, its
/// mirror agreeing, the database's notes matching its lines), then every chain and sealed record as the latest
/// checkpoint saw it. A chain shorter than it was, a head that differs, a conversation or an import batch gone or
/// rewritten, a webhook delivery removed or its recorded hash changed, an evidence record (<see cref="EvidenceRecords"/>)
/// removed or rewritten other than by closing it: each is a finding naming the record and what the checkpoint expected. Also re-hashes every webhook body against its recorded SHA-256.
/// </summary>
public sealed class CheckpointVerifier(IDbContextFactory<ComplianceHubDbContext> dbFactory, CheckpointService checkpoints, IEnumerable<EvidenceRecords> evidence)
    : IIntegrityCheck
{
    public const string LogKind = "checkpoint log";
    public const string RollbackKind = "rollback";
    public const string AuditKind = "audit chain head";
    public const string ConversationKind = "conversation head";
    public const string ImportKind = "import batch";
    public const string InboxKind = "webhook inbox";
    public const string TimestampKind = "checkpoint timestamp";

    /// <summary>How much later than a checkpoint says it was sealed its token may say it was stamped (the authority's round trip, clocks apart).</summary>
    public static readonly TimeSpan StampedWithin = TimeSpan.FromMinutes(10);
    private const int Batch = 2000;

    public async Task<IReadOnlyList<ChainVerificationResult>> VerifyAsync(CancellationToken ct = default)
    {
        var findings = new List<ChainVerificationResult>();
        var (path, mirror, _) = checkpoints.Paths;
        var contents = new CheckpointLogContents();
        if (File.Exists(path))
        {
            await using var log = await CheckpointLog.OpenExclusiveAsync(path, ct);
            CheckpointLog.Read(log, checkpoints.Signer, contents);
        }

        findings.AddRange(contents.Problems.Select(p => Finding(LogKind, path, p)));
        if (mirror is not null)
        {
            findings.AddRange(CompareMirror(contents, mirror));
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var notes = await db.IntegrityCheckpoints.AsNoTracking().OrderBy(c => c.Sequence).ToListAsync(ct);
        var lines = contents.Lines.ToDictionary(l => l.Checkpoint.Sequence, l => l.LineSha256);
        foreach (var note in notes)
        {
            if (!lines.TryGetValue(note.Sequence, out var hash))
            {
                findings.Add(Finding(LogKind, $"checkpoint {note.Sequence}",
                    $"the database notes checkpoint {note.Sequence} (sealed {Stamp(note.SealedAt)}) but the log ends at checkpoint {contents.Sequence}: the log was truncated"));
                break;
            }

            if (hash != note.LineSha256)
            {
                findings.Add(Finding(LogKind, $"checkpoint {note.Sequence}", $"the log's line for checkpoint {note.Sequence} is not the one the database noted when it was sealed"));
            }
        }

        var noted = notes.Count == 0 ? 0 : notes[^1].Sequence;
        if (contents.Sequence > noted)
        {
            var first = contents.Lines.First(l => l.Checkpoint.Sequence > noted).Checkpoint;
            findings.Add(Finding(RollbackKind, $"checkpoints {noted + 1}–{contents.Sequence}",
                $"the database has no note of checkpoints sealed since {Stamp(first.SealedAt)}: it was restored from a backup taken before them, or their notes were removed"));
        }

        findings.AddRange(CheckTimestamps(contents));
        if (contents.Lines.Count == 0)
        {
            return findings.Count == 0 ? [new ChainVerificationResult("checkpoints", 0, null, null, null)] : findings;
        }

        var latest = contents.Lines[^1].Checkpoint;
        await CompareAuditAsync(db, contents.Audit, latest, findings, ct);
        await CompareConversationsAsync(db, contents, latest, findings, ct);
        await CompareImportsAsync(db, contents, findings, ct);
        await CompareInboxAsync(db, contents, findings, ct);
        await CompareRecordsAsync(db, contents, findings, ct);
        return findings.Count == 0 ? [new ChainVerificationResult("checkpoints", contents.Lines.Count, null, null, contents.LastLineSha256)] : findings;
    }

    private static async Task CompareAuditAsync(ComplianceHubDbContext db, ChainHead sealedHead, Checkpoint latest, List<ChainVerificationResult> findings, CancellationToken ct)
    {
        if (sealedHead.Length == 0)
        {
            return;
        }

        var length = sealedHead.Length;
        var atSealedPosition = await db.AuditEvents.AsNoTracking().Where(e => e.Id == length).Select(e => e.Hash).SingleOrDefaultAsync(ct);
        if (atSealedPosition is null)
        {
            var now = await db.AuditEvents.AsNoTracking().CountAsync(ct);
            findings.Add(Finding(AuditKind, $"audit event {length}",
                $"checkpoint {latest.Sequence} ({Stamp(latest.SealedAt)}) sealed {length} audit events ending in {Short(sealedHead.Head)}; the database has {now}"));
        }
        else if (atSealedPosition != sealedHead.Head)
        {
            findings.Add(Finding(AuditKind, $"audit event {length}",
                $"checkpoint {latest.Sequence} sealed audit event {length} with hash {Short(sealedHead.Head)}; it now has {Short(atSealedPosition)}"));
        }
    }

    private static async Task CompareConversationsAsync(ComplianceHubDbContext db, CheckpointLogContents contents, Checkpoint latest, List<ChainVerificationResult> findings, CancellationToken ct)
    {
        var now = (await ChainHeads.ConversationsAsync(db, ct)).ToDictionary(c => c.Id);
        var hashes = new Dictionary<long, string>();
        foreach (var conversation in contents.Conversations.Values)
        {
            // The hash at each sealed position (the chain may have grown since); one index seek each.
            var (id, length) = (conversation.Id, conversation.Length);
            var hash = await db.ChatMessages.AsNoTracking().Where(m => m.ConversationId == id && m.ChainSequence == length).Select(m => m.Hash).SingleOrDefaultAsync(ct)
                ?? await db.MessageTombstones.AsNoTracking().Where(t => t.ConversationId == id && t.ChainSequence == length).Select(t => t.Hash).SingleOrDefaultAsync(ct);
            if (hash is not null)
            {
                hashes[id] = hash;
            }
        }

        foreach (var expected in contents.Conversations.Values.OrderBy(c => c.Id))
        {
            var sealedBy = $"checkpoint {latest.Sequence} ({Stamp(latest.SealedAt)}) sealed {expected.Length} message(s) ending in {Short(expected.Head)}";
            if (!now.TryGetValue(expected.Id, out var current))
            {
                var exists = await db.Conversations.AsNoTracking().AnyAsync(c => c.Id == expected.Id, ct);
                findings.Add(Finding(ConversationKind, $"conversation {expected.Id}", exists ? $"{sealedBy}; it has no message left" : $"{sealedBy}; the conversation is gone"));
            }
            else if (current.Length < expected.Length)
            {
                findings.Add(Finding(ConversationKind, $"conversation {expected.Id}", $"{sealedBy}; it has {current.Length}"));
            }
            else if (hashes.GetValueOrDefault(expected.Id) != expected.Head)
            {
                findings.Add(Finding(ConversationKind, $"conversation {expected.Id}, message {expected.Length}",
                    $"{sealedBy}; message {expected.Length} now has hash {Short(hashes.GetValueOrDefault(expected.Id) ?? "none")}"));
            }
        }
    }

    private static async Task CompareImportsAsync(ComplianceHubDbContext db, CheckpointLogContents contents, List<ChainVerificationResult> findings, CancellationToken ct)
    {
        var batches = await db.ImportBatches.AsNoTracking().ToDictionaryAsync(b => b.Id, ct);
        foreach (var (id, digest) in contents.Imports.OrderBy(i => i.Key))
        {
            if (!batches.TryGetValue(id, out var batch))
            {
                findings.Add(Finding(ImportKind, $"import batch {id}", "a checkpoint sealed this import batch; it is gone"));
            }
            else if (ChainHeads.Digest(batch) != digest)
            {
                findings.Add(Finding(ImportKind, $"import batch {id} ({batch.OriginalFileName})",
                    "its original's name, hash or size, its uploader or what it added differ from what a checkpoint sealed"));
            }
        }
    }

    private static async Task CompareInboxAsync(ComplianceHubDbContext db, CheckpointLogContents contents, List<ChainVerificationResult> findings, CancellationToken ct)
    {
        var boundaries = new Queue<(long Sequence, SealedRange Range)>(contents.InboxRanges.Where(r => r.Range.Count > 0).DistinctBy(r => r.Range));
        var running = ChainHeads.EmptyInbox;
        var previousBoundary = ChainHeads.EmptyInbox;
        long lastId = 0;
        var rangeReported = false;
        while (true)
        {
            var after = lastId;
            var rows = await db.WebhookDeliveries.AsNoTracking().Where(d => d.Id > after).OrderBy(d => d.Id).Take(Batch)
                .Select(d => new { d.Id, d.ReceivedAt, d.BodySha256, d.Body, d.RawBody, d.PayloadDisposedByRun }).ToListAsync(ct);
            foreach (var row in rows)
            {
                // A sealed range's boundary passed without reaching it exactly: rows were removed at its end.
                while (!rangeReported && boundaries.TryPeek(out var boundary) && row.Id > boundary.Range.LastId)
                {
                    findings.Add(InboxRangeFinding(previousBoundary, boundary, running));
                    rangeReported = true;
                }

                // A payload a disposition emptied (every message captured from it was removed) keeps its recorded hash only.
                var disposed = row.PayloadDisposedByRun is not null && row.Body.Length == 0 && row.RawBody is null;
                var bodyHash = disposed ? row.BodySha256 : Convert.ToHexStringLower(SHA256.HashData(row.RawBody ?? Encoding.UTF8.GetBytes(row.Body)));
                if (bodyHash != row.BodySha256)
                {
                    findings.Add(Finding(InboxKind, $"webhook delivery {row.Id}", $"its body hashes to {Short(bodyHash)}, not the {Short(row.BodySha256)} recorded when it was received"));
                }

                running = ChainHeads.Next(running, row.Id, row.ReceivedAt, row.BodySha256);
                lastId = row.Id;
                if (!rangeReported && boundaries.TryPeek(out var reached) && row.Id == reached.Range.LastId)
                {
                    boundaries.Dequeue();
                    if (running != reached.Range)
                    {
                        findings.Add(InboxRangeFinding(previousBoundary, reached, running));
                        rangeReported = true;
                    }

                    previousBoundary = reached.Range;
                }
            }

            if (rows.Count < Batch)
            {
                break;
            }
        }

        if (!rangeReported && boundaries.TryPeek(out var missing))
        {
            findings.Add(InboxRangeFinding(previousBoundary, missing, running));
        }
    }

    private static ChainVerificationResult InboxRangeFinding(SealedRange from, (long Sequence, SealedRange Range) sealedRange, SealedRange found) =>
        Finding(InboxKind, $"webhook deliveries {from.LastId + 1}–{sealedRange.Range.LastId}",
            $"checkpoint {sealedRange.Sequence} sealed {sealedRange.Range.Count - from.Count} deliveries here (digest {Short(sealedRange.Range.Digest)}); "
            + $"the database has {found.Count - from.Count} up to there, and their ids, times or recorded hashes differ");

    private static IEnumerable<ChainVerificationResult> CompareMirror(CheckpointLogContents contents, string mirror)
    {
        if (!File.Exists(mirror))
        {
            yield return Finding(LogKind, mirror, "the mirror of the checkpoint log is missing");
            yield break;
        }

        var mirrored = File.ReadAllText(mirror).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(CheckpointLog.LineHash).ToList();
        var logged = contents.Lines.Select(l => l.LineSha256).ToHashSet();
        if (mirrored.Count > 0 && (mirrored[^1] != contents.LastLineSha256 || mirrored.Any(h => !logged.Contains(h))))
        {
            yield return Finding(LogKind, mirror, "the checkpoint log and its mirror disagree: one was truncated or rewritten");
        }
    }

    /// <summary>
    /// Every time-stamp token must stamp its checkpoint's line as the log holds it, under a valid signature (by the
    /// configured authority when one is), no earlier nor much later than the line says it was sealed: a line rewritten
    /// and re-signed after the fact, even with the signing key, no longer matches the token stamped when it was sealed.
    /// </summary>
    private IEnumerable<ChainVerificationResult> CheckTimestamps(CheckpointLogContents contents)
    {
        var path = checkpoints.TimestampsPath;
        if (!File.Exists(path))
        {
            yield break;
        }

        using var trusted = checkpoints.TrustedTimestampAuthority;
        var lines = contents.Lines.ToDictionary(l => l.Checkpoint.Sequence);
        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            var fields = text.Split('\t');
            byte[]? token = null;
            if (fields.Length != 3 || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
                || !Convert.TryFromBase64String(fields[2], token = new byte[fields[2].Length], out var length))
            {
                yield return Finding(TimestampKind, $"{path} line {number}", "the line is not a sequence, a hash and a base64 token separated by tabs");
                continue;
            }

            var record = $"checkpoint {sequence}";
            if (!lines.TryGetValue(sequence, out var line))
            {
                yield return Finding(TimestampKind, record, $"a token was stamped for checkpoint {sequence}, which the checkpoint log does not hold");
                continue;
            }

            if (fields[1] != line.LineSha256)
            {
                yield return Finding(TimestampKind, record,
                    $"the token was stamped for a line hashing to {Short(fields[1])}; the log's line now hashes to {Short(line.LineSha256)}: it was rewritten after it was stamped");
                continue;
            }

            var (time, problem) = TimestampTokens.Check(token[..length], Convert.FromHexString(line.LineSha256), trusted);
            if (problem is not null)
            {
                yield return Finding(TimestampKind, record, problem);
            }
            else if (time < line.Checkpoint.SealedAt - StampedWithin || time > line.Checkpoint.SealedAt + StampedWithin)
            {
                yield return Finding(TimestampKind, record,
                    $"the authority stamped it at {Stamp(time!.Value)}, but the line says it was sealed at {Stamp(line.Checkpoint.SealedAt)}");
            }
        }
    }

    /// <summary>
    /// Every evidence record a checkpoint sealed must still be there as sealed, or closed since when it was sealed open
    /// (a stay ended, a hold released); a record of a kind no longer registered is not looked for.
    /// </summary>
    private async Task CompareRecordsAsync(ComplianceHubDbContext db, CheckpointLogContents contents, List<ChainVerificationResult> findings, CancellationToken ct)
    {
        foreach (var kind in evidence)
        {
            var sealedRecords = contents.Records.Values.Where(r => r.Kind == kind.Kind).OrderBy(r => r.Id).ToList();
            if (sealedRecords.Count == 0)
            {
                continue;
            }

            var now = (await kind.ReadAsync(db, ct)).ToDictionary(r => r.Id);
            foreach (var sealedRecord in sealedRecords)
            {
                var record = $"{kind.Kind} {sealedRecord.Id}";
                if (!now.TryGetValue(sealedRecord.Id, out var current))
                {
                    findings.Add(Finding(kind.Kind, record, $"a checkpoint sealed it (digest {Short(sealedRecord.Digest)}); it is no longer in the database"));
                }
                else if (current.Digest != sealedRecord.Digest && (sealedRecord.Closed || current.OpenDigest != sealedRecord.Digest))
                {
                    findings.Add(Finding(kind.Kind, record, sealedRecord.Closed
                        ? $"a checkpoint sealed it closed with digest {Short(sealedRecord.Digest)}; it now has {Short(current.Digest)}" + (current.Closed ? "" : " and is open again")
                        : $"a checkpoint sealed it with digest {Short(sealedRecord.Digest)}; what may never change of it now differs ({Short(current.OpenDigest)} before any closing)"));
                }
            }
        }
    }

    private static ChainVerificationResult Finding(string kind, string record, string problem) => new(kind, 0, record, problem, null);

    private static string Short(string hash) => hash.Length > 16 ? hash[..16] + "…" : hash;

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
