using System.Security.Cryptography;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Integrity;

/// <summary>
/// Reads the heads a checkpoint seals from the database, and the digests that seal records without a chain of their
/// own (import batches, the webhook inbox). Only what readers see counts: the messages of an import still running are
/// not sealed until it completes.
/// </summary>
internal static class ChainHeads
{
    private const int Batch = 5000;

    public static async Task<ChainHead> AuditAsync(ComplianceHubDbContext db, CancellationToken ct) =>
        await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Id).Select(e => new ChainHead(e.Id, e.Hash)).FirstOrDefaultAsync(ct)
        ?? new ChainHead(0, "");

    /// <summary>
    /// Every conversation with messages: its visible chain's length and last hash. A head a disposition removed counts by its
    /// tombstone, which keeps its place and hash.
    /// </summary>
    public static async Task<IReadOnlyList<ConversationHead>> ConversationsAsync(ComplianceHubDbContext db, CancellationToken ct)
    {
        var lengths = db.ChatMessages.GroupBy(m => m.ConversationId).Select(g => new { ConversationId = g.Key, Length = g.Max(m => m.ChainSequence) });
        var heads = await db.ChatMessages.AsNoTracking()
            .Join(lengths, m => new { m.ConversationId, m.ChainSequence }, l => new { l.ConversationId, ChainSequence = l.Length }, (m, l) => new { m.ConversationId, m.ChainSequence, m.Hash })
            .Select(x => new ConversationHead(x.ConversationId, x.ChainSequence, x.Hash))
            .ToListAsync(ct);
        var removedLengths = db.MessageTombstones.GroupBy(t => t.ConversationId).Select(g => new { ConversationId = g.Key, Length = g.Max(t => t.ChainSequence) });
        var removedHeads = await db.MessageTombstones.AsNoTracking()
            .Join(removedLengths, t => new { t.ConversationId, t.ChainSequence }, l => new { l.ConversationId, ChainSequence = l.Length }, (t, l) => new { t.ConversationId, t.ChainSequence, t.Hash })
            .Select(x => new ConversationHead(x.ConversationId, x.ChainSequence, x.Hash))
            .ToListAsync(ct);
        return heads.Concat(removedHeads)
            .GroupBy(h => h.Id)
            .Select(g => g.MaxBy(h => h.Length)!)
            .OrderBy(h => h.Id)
            .ToList();
    }

    /// <summary>The completed import batches not in <paramref name="sealedAlready"/> (null: all), each with its digest.</summary>
    public static async Task<IReadOnlyList<SealedRow>> ImportsAsync(ComplianceHubDbContext db, IReadOnlySet<long>? sealedAlready, CancellationToken ct)
    {
        var batches = await db.ImportBatches.AsNoTracking().Where(b => b.CompletedAt != null).OrderBy(b => b.Id).ToListAsync(ct);
        return batches.Where(b => sealedAlready is null || !sealedAlready.Contains(b.Id)).Select(b => new SealedRow(b.Id, Digest(b))).ToList();
    }

    /// <summary>What of an import batch must never change: the original's name, hash and size, who uploaded it when, and what it added.</summary>
    public static string Digest(ImportBatch batch) => new CanonicalWriter()
        .Add(batch.Id)
        .Add(batch.ConversationId)
        .Add(batch.OriginalFileName)
        .Add(batch.OriginalSha256)
        .Add(batch.OriginalLength)
        .Add(batch.UploadedByName)
        .Add(batch.UploadedAt.ToUnixTimeMilliseconds())
        .Add(batch.CompletedAt?.ToUnixTimeMilliseconds() ?? 0)
        .Add(batch.MessagesAdded)
        .Add(batch.AttachmentsStored)
        .Sha256Hex();

    /// <summary>The inbox's running digest continued from <paramref name="from"/> over the deliveries after it.</summary>
    public static async Task<SealedRange> InboxAsync(ComplianceHubDbContext db, SealedRange from, CancellationToken ct)
    {
        var range = from;
        while (true)
        {
            var lastId = range.LastId;
            var rows = await db.WebhookDeliveries.AsNoTracking().Where(d => d.Id > lastId).OrderBy(d => d.Id).Take(Batch)
                .Select(d => new { d.Id, d.ReceivedAt, d.BodySha256 }).ToListAsync(ct);
            if (rows.Count == 0)
            {
                return range;
            }

            foreach (var row in rows)
            {
                range = Next(range, row.Id, row.ReceivedAt, row.BodySha256);
            }
        }
    }

    /// <summary>One delivery folded into the running digest.</summary>
    public static SealedRange Next(SealedRange range, long id, DateTimeOffset receivedAt, string bodySha256) =>
        new(id, range.Count + 1, new CanonicalWriter().Add(range.Digest).Add(id).Add(receivedAt.ToUnixTimeMilliseconds()).Add(bodySha256).Sha256Hex());

    public static readonly SealedRange EmptyInbox = new(0, 0, Convert.ToHexStringLower(SHA256.HashData([])));
}
