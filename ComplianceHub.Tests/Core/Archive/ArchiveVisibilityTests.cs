using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Findings;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Search;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Transcripts;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Core.Archive;

/// <summary>
/// An import that has not completed is not part of the archive yet: none of its messages is seen by the
/// conversation list, the transcript, search, a hold's count or the monitor's watermark, while the chain
/// and the verifier still see every row.
/// </summary>
public abstract class ArchiveVisibilityTests(DatabaseProvider provider) : IDisposable
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.1.2.3");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ExportFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task MessagesOfAnImportStillRunning_AreSeenByNoReader_UntilItCompletes()
    {
        // Arrange: two chats; the second one's import is made to look unfinished, as it is while it writes its steps.
        await using var host = await TestHost.StartAsync(provider);
        var imports = host.Get<ExportImportService>();
        var options = new ImportOptions("UTC", "alex.kim@example.com");
        var done = await imports.ImportAsync(_files.Text("WhatsApp Chat with Sam.txt", "18/03/2022, 09:00 - Sam: bund futures soft\n18/03/2022, 09:01 - Alex Kim: noted"),
            "WhatsApp Chat with Sam.txt", options, Officer, ct: Ct);
        var running = await imports.ImportAsync(_files.Text("WhatsApp Chat with Eva.txt", "19/03/2022, 10:00 - Eva: bund futures firm\n19/03/2022, 10:01 - Alex Kim: thanks"),
            "WhatsApp Chat with Eva.txt", options, Officer, ct: Ct);
        await host.Get<LegalHoldService>().PlaceAsync(new LegalHoldDraft("Bund", null, "Bund trades", [done.ConversationId, running.ConversationId], [], null, null), Officer, Ct);
        await using var db = await host.CreateDbContextAsync();
        var lastVisible = await db.ChatMessages.Where(m => m.ImportBatchId == done.BatchId).MaxAsync(m => m.Id, Ct);
        await host.ExecuteSqlAsync($"UPDATE \"ImportBatches\" SET \"CompletedAt\" = NULL WHERE \"Id\" = {running.BatchId}");

        // Act and assert: the unfinished import's messages are not there for readers.
        var search = host.Get<MessageSearchService>();
        (await search.SearchAsync(new MessageSearchCriteria { Text = "bund" }, Officer, ct: Ct)).Hits.Select(h => h.Body).ShouldBe(["bund futures soft"]);
        (await search.CountAsync(new MessageSearchCriteria { Text = "bund" }, Ct)).Count.ShouldBe(1);
        (await search.CountAsync(new MessageSearchCriteria(), Ct)).Count.ShouldBe(2);
        var list = await host.Get<ArchiveQueryService>().ListConversationsAsync(Ct);
        list.Single(c => c.Id == running.ConversationId).Messages.ShouldBe(0);
        (await host.Get<TranscriptService>().AroundAsync(running.ConversationId, null, null, ct: Ct)).Messages.ShouldBeEmpty();
        (await host.Get<LegalHoldService>().ListAsync(Ct)).Single().MessagesInScope.ShouldBe(2);
        (await FindingScans.BeginAsync(db, host.Clock.GetUtcNow(), Ct)).UpTo.ShouldBe(lastVisible);
        (await db.ChatMessages.IgnoreQueryFilters().CountAsync(Ct)).ShouldBe(4);
        (await host.Get<ArchiveChainVerifier>().VerifyAsync(Ct)).ShouldAllBe(r => r.IsIntact);

        // Completing it shows everything at once.
        await host.ExecuteSqlAsync(provider == DatabaseProvider.Sqlite
            ? $"UPDATE \"ImportBatches\" SET \"CompletedAt\" = \"UploadedAt\" WHERE \"Id\" = {running.BatchId}"
            : $"UPDATE \"ImportBatches\" SET \"CompletedAt\" = now() WHERE \"Id\" = {running.BatchId}");
        (await search.CountAsync(new MessageSearchCriteria { Text = "bund" }, Ct)).Count.ShouldBe(2);
        (await host.Get<TranscriptService>().AroundAsync(running.ConversationId, null, null, ct: Ct)).Messages.Count.ShouldBe(2);
        (await host.Get<LegalHoldService>().ListAsync(Ct)).Single().MessagesInScope.ShouldBe(4);
    }
}

public sealed class SqliteArchiveVisibilityTests() : ArchiveVisibilityTests(DatabaseProvider.Sqlite);

public sealed class PostgresArchiveVisibilityTests() : ArchiveVisibilityTests(DatabaseProvider.Postgres);
