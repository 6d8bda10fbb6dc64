using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Archive.Writing;

/// <summary>
/// Removes what an import that did not complete wrote in its steps, in one transaction: its messages, their
/// attachments, second sources and search entries, the participants and the conversation it created when
/// nothing else uses them, and its batch. Readers never saw any of it (<see cref="ArchiveVisibility"/>), and
/// the database allows these deletes only for a batch that has not completed.
/// </summary>
internal static class ImportRollback
{
    /// <summary>A running import commits a step about every quarter second; one silent this long has stopped for good.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(2);

    public static bool IsAbandoned(DateTimeOffset lastStepAt, DateTimeOffset now) => now - lastStepAt > AbandonedAfter;

    /// <summary>Removes every abandoned import (see <see cref="AbandonedAfter"/>), auditing each; returns how many.</summary>
    public static async Task<int> RunForAbandonedAsync(
        IDbContextFactory<ComplianceHubDbContext> dbFactory, ArchiveWriteGate gate, ISearchIndex index, AuditLog audit, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var abandoned = (await db.ImportBatches.AsNoTracking().Where(b => b.CompletedAt == null)
                .Select(b => new { b.Id, b.OriginalFileName, b.LastStepAt }).ToListAsync(ct))
            .Where(b => IsAbandoned(b.LastStepAt, now)).Select(b => (b.Id, b.OriginalFileName)).ToList();
        foreach (var (id, file) in abandoned)
        {
            await RunAsync(db, gate, index, id, ct);
            await audit.RecordInOwnTransactionAsync(AuditEventType.ExportRejected, AuditActor.System, new AuditSubject("ImportBatch", id.ToString(CultureInfo.InvariantCulture)),
                new { file, reason = "the import did not finish (its process stopped); what it had written was removed" }, ct);
        }

        return abandoned.Count;
    }

    public static async Task RunAsync(ComplianceHubDbContext db, ArchiveWriteGate gate, ISearchIndex index, long batchId, CancellationToken ct)
    {
        await using var writer = await gate.BeginAsync(db, ct);
        var batch = await db.ImportBatches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == batchId && b.CompletedAt == null, ct);
        if (batch is null)
        {
            return;
        }

        // The id is a number, formatted invariantly: the index's SQL takes it as text.
        var keys = "SELECT \"SearchKey\" FROM \"ChatMessages\" WHERE \"ImportBatchId\" = " + batchId.ToString(CultureInfo.InvariantCulture);
        await db.Database.ExecuteSqlRawAsync(index.RemoveEntriesSql(keys), ct);
        await db.Database.ExecuteSqlAsync($"DELETE FROM \"MessageExportSources\" WHERE \"ImportBatchId\" = {batchId}", ct);
        await db.Database.ExecuteSqlAsync(
            $"DELETE FROM \"ChatAttachments\" WHERE \"MessageId\" IN (SELECT \"Id\" FROM \"ChatMessages\" WHERE \"ImportBatchId\" = {batchId})", ct);
        await db.Database.ExecuteSqlAsync($"DELETE FROM \"ChatMessages\" WHERE \"ImportBatchId\" = {batchId}", ct);

        // Participants the import added that no message of anyone else names.
        var conversationId = batch.ConversationId;
        await db.ChatParticipants
            .Where(p => p.ConversationId == conversationId && p.FirstSeenAt >= batch.UploadedAt
                && !db.ChatMessages.IgnoreQueryFilters().Any(m => m.ParticipantId == p.Id))
            .ExecuteDeleteAsync(ct);
        await db.ImportBatches.Where(b => b.Id == batchId).ExecuteDeleteAsync(ct);

        // The conversation, when the import created it and nothing else holds it yet (a hold or a group may point at it).
        var created = await db.Conversations.AnyAsync(c => c.Id == conversationId && c.CreatedAt >= batch.UploadedAt, ct)
            && !await db.ChatMessages.IgnoreQueryFilters().AnyAsync(m => m.ConversationId == conversationId, ct)
            && !await db.ImportBatches.AnyAsync(b => b.ConversationId == conversationId, ct)
            && !await db.ChatParticipants.AnyAsync(p => p.ConversationId == conversationId, ct);
        if (created)
        {
            var transaction = db.Database.CurrentTransaction!;
            await transaction.CreateSavepointAsync("conversation", ct);
            try
            {
                await db.Set<ConversationCustodian>().Where(c => c.ConversationId == conversationId).ExecuteDeleteAsync(ct);
                await db.Conversations.Where(c => c.Id == conversationId).ExecuteDeleteAsync(ct);
            }
            catch (System.Data.Common.DbException)
            {
                await transaction.RollbackToSavepointAsync("conversation", ct);
            }
        }

        await writer.CommitAsync(ct);
    }
}
