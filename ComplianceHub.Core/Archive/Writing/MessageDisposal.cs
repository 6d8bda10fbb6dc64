using System.Globalization;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Archive.Writing;

/// <summary>A message a disposition removes, with the rule that decided (null id: the configured default) as the run names it.</summary>
public sealed record MessageToRemove(long MessageId, long? RuleId, string Rule);

/// <summary>What removing one conversation's messages did: how many went, and the files that may now be unreferenced.</summary>
public sealed record ConversationDisposal(int Removed, IReadOnlyList<string> FilesToRelease);

/// <summary>
/// The one way a message leaves the archive: a disposition run removing, in one transaction of the archive's writer, messages of
/// one conversation its report named. Each leaves a <see cref="MessageTombstone"/> written first (the database lets a message go
/// only when a tombstone of its run, with its position and hash, stands in for it while the run is removing); then its search
/// entry, attachments, media downloads and second sources go with it. An import whose messages have all gone gives up its
/// original file, and a webhook delivery none of whose messages is kept has its payload emptied (its hash and time stay, for the
/// inbox's sealed digest). The caller commits (<see cref="CommitAsync"/>), after recording what it needs in the same transaction.
/// </summary>
internal sealed class MessageDisposal : IAsyncDisposable
{
    private readonly ComplianceHubDbContext _db;
    private readonly ArchiveWriter _writer;
    private readonly ISearchIndex _index;

    private MessageDisposal(ComplianceHubDbContext db, ArchiveWriter writer, ISearchIndex index)
    {
        _db = db;
        _writer = writer;
        _index = index;
    }

    /// <summary>Takes the archive's write turn and lock and opens the transaction removals are made in.</summary>
    public static async Task<MessageDisposal> BeginAsync(ComplianceHubDbContext db, ArchiveWriteGate gate, ISearchIndex index, CancellationToken ct)
    {
        var writer = await gate.BeginAsync(db, ct);
        try
        {
            await db.PrepareRemovalAsync(ct);
            return new MessageDisposal(db, writer, index);
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Removes <paramref name="messages"/> (all of conversation <paramref name="conversationId"/>; those already gone are
    /// skipped) for run <paramref name="runId"/>, which must be removing.
    /// </summary>
    public async Task<ConversationDisposal> RemoveAsync(
        long runId, long conversationId, IReadOnlyList<MessageToRemove> messages, DateTimeOffset now, CancellationToken ct)
    {
        if (messages.Count == 0)
        {
            return new ConversationDisposal(0, []);
        }

        var byId = messages.ToDictionary(m => m.MessageId);
        var ids = byId.Keys.ToList();
        var stored = new List<StoredMessage>(ids.Count);
        foreach (var chunk in ids.Chunk(5000))
        {
            stored.AddRange(await _db.ChatMessages.IgnoreQueryFilters().AsNoTracking()
                .Where(m => chunk.Contains(m.Id) && m.ConversationId == conversationId)
                .Select(m => new StoredMessage(m.Id, m.ChainSequence, m.PreviousHash, m.Hash, m.ImportBatchId, m.WebhookDeliveryId))
                .ToListAsync(ct));
        }

        if (stored.Count == 0)
        {
            return new ConversationDisposal(0, []);
        }

        foreach (var message in stored)
        {
            var decided = byId[message.Id];
            _db.MessageTombstones.Add(new MessageTombstone(
                message.Id, conversationId, message.ChainSequence, message.PreviousHash, message.Hash, runId, decided.RuleId, decided.Rule, now));
        }

        await _db.SaveChangesAsync(ct);
        _db.ChangeTracker.Clear();

        // The messages of this run and conversation still stored: exactly the tombstones just written (earlier ones' are gone).
        var files = new HashSet<string>(StringComparer.Ordinal);
        files.UnionWith((await _db.Database.SqlQuery<string>($"""
            SELECT a."Sha256" AS "Value" FROM "ChatAttachments" a
            WHERE a."Sha256" IS NOT NULL AND a."MessageId" IN (SELECT t."MessageId" FROM "MessageTombstones" t WHERE t."RunId" = {runId} AND t."ConversationId" = {conversationId})
            """).ToListAsync(ct)).Select(h => h.Trim()));
        files.UnionWith((await _db.Database.SqlQuery<string>($"""
            SELECT d."StoredSha256" AS "Value" FROM "MediaDownloads" d
            WHERE d."StoredSha256" IS NOT NULL AND d."AttachmentId" IN (SELECT a."Id" FROM "ChatAttachments" a
                WHERE a."MessageId" IN (SELECT t."MessageId" FROM "MessageTombstones" t WHERE t."RunId" = {runId} AND t."ConversationId" = {conversationId}))
            """).ToListAsync(ct)).Select(h => h.Trim()));
        var batches = stored.Where(m => m.ImportBatchId is not null).Select(m => m.ImportBatchId!.Value).ToHashSet();
        batches.UnionWith(await _db.Database.SqlQuery<long>($"""
            SELECT DISTINCT s."ImportBatchId" AS "Value" FROM "MessageExportSources" s
            WHERE s."MessageId" IN (SELECT t."MessageId" FROM "MessageTombstones" t WHERE t."RunId" = {runId} AND t."ConversationId" = {conversationId})
            """).ToListAsync(ct));
        var deliveries = stored.Where(m => m.WebhookDeliveryId is not null).Select(m => m.WebhookDeliveryId!.Value).ToHashSet();

        // The ids are numbers, formatted invariantly: the index's SQL takes its key query as text.
        var keys = "SELECT m.\"SearchKey\" FROM \"ChatMessages\" m WHERE m.\"Id\" IN (SELECT t.\"MessageId\" FROM \"MessageTombstones\" t WHERE t.\"RunId\" = "
            + runId.ToString(CultureInfo.InvariantCulture) + " AND t.\"ConversationId\" = " + conversationId.ToString(CultureInfo.InvariantCulture) + ")";
        await _db.Database.ExecuteSqlRawAsync(_index.RemoveEntriesSql(keys), ct);
        await _db.Database.ExecuteSqlAsync($"""
            DELETE FROM "MediaDownloads" WHERE "AttachmentId" IN (SELECT a."Id" FROM "ChatAttachments" a
                WHERE a."MessageId" IN (SELECT t."MessageId" FROM "MessageTombstones" t WHERE t."RunId" = {runId} AND t."ConversationId" = {conversationId}))
            """, ct);
        await _db.Database.ExecuteSqlAsync($"""
            DELETE FROM "ChatAttachments"
            WHERE "MessageId" IN (SELECT t."MessageId" FROM "MessageTombstones" t WHERE t."RunId" = {runId} AND t."ConversationId" = {conversationId})
            """, ct);
        await _db.Database.ExecuteSqlAsync($"""
            DELETE FROM "MessageExportSources"
            WHERE "MessageId" IN (SELECT t."MessageId" FROM "MessageTombstones" t WHERE t."RunId" = {runId} AND t."ConversationId" = {conversationId})
            """, ct);
        var removed = await _db.Database.ExecuteSqlAsync($"""
            DELETE FROM "ChatMessages"
            WHERE "Id" IN (SELECT t."MessageId" FROM "MessageTombstones" t WHERE t."RunId" = {runId} AND t."ConversationId" = {conversationId})
            """, ct);

        // An import none of whose messages is kept gives up its original file.
        foreach (var batchId in batches)
        {
            var released = await _db.ImportBatches
                .Where(b => b.Id == batchId && b.CompletedAt != null && b.OriginalDisposedByRun == null
                    && !_db.ChatMessages.IgnoreQueryFilters().Any(m => m.ImportBatchId == batchId)
                    && !_db.MessageExportSources.IgnoreQueryFilters().Any(s => s.ImportBatchId == batchId))
                .Select(b => b.OriginalSha256)
                .FirstOrDefaultAsync(ct);
            if (released is not null)
            {
                await _db.ImportBatches.Where(b => b.Id == batchId)
                    .ExecuteUpdateAsync(s => s.SetProperty(b => b.OriginalDisposedByRun, runId).SetProperty(b => b.OriginalDisposedAt, now), ct);
                files.Add(released.Trim());
            }
        }

        // A delivery none of whose messages is kept has its payload emptied: the payload holds their text.
        foreach (var deliveryId in deliveries)
        {
            if (!await _db.ChatMessages.IgnoreQueryFilters().AnyAsync(m => m.WebhookDeliveryId == deliveryId, ct))
            {
                // Capture's table, written here as SQL: the archive's writer owns removal, capture owns the inbox.
                await _db.Database.ExecuteSqlAsync($"""
                    UPDATE "WebhookDeliveries" SET "Body" = '', "RawBody" = NULL, "PayloadDisposedByRun" = {runId}
                    WHERE "Id" = {deliveryId} AND "PayloadDisposedByRun" IS NULL
                    """, ct);
            }
        }

        return new ConversationDisposal(removed, files.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>Rewrites the search index so that the terms of what was removed are gone from it too (see <see cref="ISearchIndex.CompactSql"/>).</summary>
    public async Task CompactIndexAsync(CancellationToken ct)
    {
        if (_index.CompactSql is { } sql)
        {
            await _db.Database.ExecuteSqlRawAsync(sql, ct);
        }
    }

    public Task CommitAsync(CancellationToken ct) => _writer.CommitAsync(ct);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private sealed record StoredMessage(long Id, long ChainSequence, string PreviousHash, string Hash, long? ImportBatchId, long? WebhookDeliveryId);
}
