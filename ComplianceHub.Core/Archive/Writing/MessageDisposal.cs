using System.Globalization;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Archive.Writing;

/// <summary>What removing one conversation's messages did: how many went, how many named ones a hold kept, and the files that may now be unreferenced.</summary>
public sealed record ConversationDisposal(int Removed, int Held, IReadOnlyList<string> FilesToRelease);

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
    /// Removes for run <paramref name="runId"/> (which must be removing) the messages of conversation <paramref name="conversationId"/>
    /// that <paramref name="named"/> lists and that are still stored, not under a hold (<paramref name="heldCondition"/>, SQL on the
    /// message aliased <c>m</c>) and expired (sent on or before their source's date in <paramref name="expiredOnOrBefore"/>).
    /// <paramref name="named"/> is a SELECT of <c>"MessageId"</c>, <c>"RuleId"</c> and <c>"Rule"</c>: the run's report for the conversation.
    /// Set-based throughout, so that the archive's write turn is held as briefly as the removal allows.
    /// </summary>
    public async Task<ConversationDisposal> RemoveAsync(
        long runId, long conversationId, string named, string heldCondition, IReadOnlyDictionary<MessageSource, DateTimeOffset> expiredOnOrBefore,
        DateTimeOffset now, CancellationToken ct)
    {
        // The ids are numbers, formatted invariantly: they are part of the SQL text, as the conditions are.
        var run = runId.ToString(CultureInfo.InvariantCulture);
        var conversation = conversationId.ToString(CultureInfo.InvariantCulture);
        var parameters = new List<object> { _db.InstantParameter(now) };
        var expiry = new List<string>();
        foreach (var (source, cutoff) in expiredOnOrBefore.OrderBy(e => e.Key))
        {
            parameters.Add(_db.InstantParameter(cutoff));
            expiry.Add($"(m.\"Source\" = {((int)source).ToString(CultureInfo.InvariantCulture)} AND m.\"SentAt\" <= {{{parameters.Count - 1}}})");
        }

        if (expiry.Count == 0)
        {
            return new ConversationDisposal(0, 0, []);
        }

        var candidates = $"""
            FROM ({named}) n JOIN "ChatMessages" m ON m."Id" = n."MessageId"
            WHERE m."ConversationId" = {conversation}
            """;
        var held = (await QueryAsync<int>($"SELECT COUNT(*) AS \"Value\" {candidates} AND {heldCondition}", ct)).Single();
        var insert = $$"""
            INSERT INTO "MessageTombstones" ("MessageId", "ConversationId", "ChainSequence", "PreviousHash", "Hash", "RunId", "RuleId", "Rule", "RemovedAt")
            SELECT m."Id", m."ConversationId", m."ChainSequence", m."PreviousHash", m."Hash", {{run}}, n."RuleId", n."Rule", {0}
            {{candidates}} AND NOT {{heldCondition}} AND ({{string.Join(" OR ", expiry)}})
            """;
        var written = await _db.Database.ExecuteSqlRawAsync(insert, parameters, ct);
        if (written == 0)
        {
            return new ConversationDisposal(0, held, []);
        }

        // The messages of this run and conversation still stored: exactly the tombstones just written (earlier ones' are gone).
        var removing = $"""SELECT t."MessageId" FROM "MessageTombstones" t WHERE t."RunId" = {run} AND t."ConversationId" = {conversation}""";
        var files = new HashSet<string>(StringComparer.Ordinal);
        files.UnionWith((await QueryAsync<string>(
            $"""SELECT a."Sha256" AS "Value" FROM "ChatAttachments" a WHERE a."Sha256" IS NOT NULL AND a."MessageId" IN ({removing})""", ct)).Select(h => h.Trim()));
        files.UnionWith((await QueryAsync<string>($"""
            SELECT d."StoredSha256" AS "Value" FROM "MediaDownloads" d
            WHERE d."StoredSha256" IS NOT NULL AND d."AttachmentId" IN (SELECT a."Id" FROM "ChatAttachments" a WHERE a."MessageId" IN ({removing}))
            """, ct)).Select(h => h.Trim()));
        var batches = await QueryAsync<long>($"""
            SELECT DISTINCT m."ImportBatchId" AS "Value" FROM "ChatMessages" m WHERE m."ImportBatchId" IS NOT NULL AND m."Id" IN ({removing})
            UNION SELECT DISTINCT s."ImportBatchId" FROM "MessageExportSources" s WHERE s."MessageId" IN ({removing})
            """, ct);
        var deliveries = await QueryAsync<long>(
            $"""SELECT DISTINCT m."WebhookDeliveryId" AS "Value" FROM "ChatMessages" m WHERE m."WebhookDeliveryId" IS NOT NULL AND m."Id" IN ({removing})""", ct);

        await ExecuteAsync(_index.RemoveEntriesSql($"""SELECT m."SearchKey" FROM "ChatMessages" m WHERE m."Id" IN ({removing})"""), ct);
        await ExecuteAsync(
            $"""DELETE FROM "MediaDownloads" WHERE "AttachmentId" IN (SELECT a."Id" FROM "ChatAttachments" a WHERE a."MessageId" IN ({removing}))""", ct);
        await ExecuteAsync($"""DELETE FROM "ChatAttachments" WHERE "MessageId" IN ({removing})""", ct);
        await ExecuteAsync($"""DELETE FROM "MessageExportSources" WHERE "MessageId" IN ({removing})""", ct);
        var removed = await ExecuteAsync($"""DELETE FROM "ChatMessages" WHERE "Id" IN ({removing})""", ct);

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

        // A delivery none of whose messages is kept has its payload emptied: the payload holds their text. Capture's table,
        // written here as SQL: the archive's writer owns removal, capture owns the inbox.
        foreach (var chunk in deliveries.Chunk(500))
        {
            var ids = string.Join(", ", chunk.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            await ExecuteAsync($"""
                UPDATE "WebhookDeliveries" SET "Body" = '', "RawBody" = NULL, "PayloadDisposedByRun" = {run}
                WHERE "Id" IN ({ids}) AND "PayloadDisposedByRun" IS NULL
                  AND NOT EXISTS (SELECT 1 FROM "ChatMessages" k WHERE k."WebhookDeliveryId" = "WebhookDeliveries"."Id")
                """, ct);
        }

        return new ConversationDisposal(removed, held, files.Order(StringComparer.Ordinal).ToList());
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

    // Removal's SQL is composed from numbers formatted invariantly and from conditions the code itself writes (never from
    // input), with instants bound as parameters: these two run it as composed.
    private Task<int> ExecuteAsync(string sql, CancellationToken ct) => _db.Database.ExecuteSqlRawAsync(sql, ct);

    private Task<List<T>> QueryAsync<T>(string sql, CancellationToken ct) => _db.Database.SqlQueryRaw<T>(sql).ToListAsync(ct);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private sealed record StoredMessage(long Id, long ChainSequence, string PreviousHash, string Hash, long? ImportBatchId, long? WebhookDeliveryId);
}
