using System.Diagnostics;
using System.Text;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Archive.Capture;
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
/// An import is written in steps that let other writers in, and is all or nothing to readers: none of its
/// messages is seen until it completes, and a failure removes what its earlier steps wrote.
/// </summary>
public abstract class ImportStepsTests(DatabaseProvider provider) : IDisposable
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.1.2.3");
    private static readonly ImportOptions Options = new("UTC", "alex.kim@example.com");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ExportFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string Chat(int messages, DateTime start) => string.Join('\n', Enumerable.Range(0, messages).Select(i =>
        $"{start.AddMinutes(i):dd/MM/yyyy, HH:mm} - {(i % 2 == 0 ? "Eva" : "Alex Kim")}: bund order {i}"));

    private sealed class OnProgress(Action<ImportProgress> action) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => action(value);
    }

    [Fact]
    public async Task AnImportStillWriting_IsSeenByNoReader_UntilItCompletes()
    {
        // Arrange: one chat archived; a hold on its custodian, which will cover the second chat too.
        await using var host = await TestHost.StartAsync(provider);
        var imports = host.Get<ExportImportService>();
        imports.StepMessages = 1_000;
        imports.StepTime = TimeSpan.Zero;
        var done = await imports.ImportAsync(_files.Text("WhatsApp Chat with Sam.txt", "18/03/2022, 09:00 - Sam: bund futures soft\n18/03/2022, 09:01 - Alex Kim: noted"),
            "WhatsApp Chat with Sam.txt", Options, Officer, ct: Ct);
        await host.Get<LegalHoldService>().PlaceAsync(new LegalHoldDraft("Bund", null, "Bund trades", [], ["alex.kim@example.com"], null, null), Officer, Ct);
        await using var db = await host.CreateDbContextAsync();
        var lastVisible = await db.ChatMessages.MaxAsync(m => m.Id, Ct);
        var search = host.Get<MessageSearchService>();

        // Act: a 12,000-message import, observed by every reader once it has committed several steps.
        var seen = new List<string>();
        var observed = false;
        var path = _files.Text("WhatsApp Chat with Eva.txt", Chat(12_000, new DateTime(2023, 1, 2, 8, 0, 0)));
        var result = await imports.ImportAsync(path, "WhatsApp Chat with Eva.txt", Options, Officer, new OnProgress(p =>
        {
            if (observed || p.MessagesRead < 5_000)
            {
                return;
            }

            observed = true;
            Task.Run(async () =>
            {
                await using var reader = await host.CreateDbContextAsync();
                seen.Add($"written {await reader.ChatMessages.IgnoreQueryFilters().CountAsync(m => m.Id > lastVisible, Ct) >= 3_000}");
                seen.Add($"search {(await search.CountAsync(new MessageSearchCriteria { Text = "bund" }, Ct)).Count}");
                seen.Add($"all {(await search.CountAsync(new MessageSearchCriteria(), Ct)).Count}");
                var listed = (await host.Get<ArchiveQueryService>().ListConversationsAsync(Ct)).Select(c => c.Title);
                seen.Add($"list {string.Join(",", listed)}");
                var eva = await reader.Conversations.SingleAsync(c => c.Title == "Eva", Ct);
                seen.Add($"transcript {(await host.Get<TranscriptService>().AroundAsync(eva.Id, null, null, ct: Ct)).Messages.Count}");
                seen.Add($"hold {(await host.Get<LegalHoldService>().ListAsync(Ct)).Single().MessagesInScope}");
                seen.Add($"watermark {(await FindingScans.BeginAsync(reader, host.Clock.GetUtcNow(), Ct)).UpTo == lastVisible}");
            }).GetAwaiter().GetResult();
        }), Ct);

        // Assert: mid-way, several steps were written and none was seen; once complete, everything is.
        seen.ShouldBe(["written True", "search 1", "all 2", "list Sam", "transcript 0", "hold 2", "watermark True"]);
        result.MessagesAdded.ShouldBe(12_000);
        (await search.CountAsync(new MessageSearchCriteria { Text = "bund" }, Ct)).ShouldBe(new MessageSearchCount(MessageSearchService.CountCap, true));
        (await host.Get<LegalHoldService>().ListAsync(Ct)).Single().MessagesInScope.ShouldBe(12_002);
        (await db.ImportBatches.SingleAsync(b => b.Id == result.BatchId, Ct)).CompletedAt.ShouldNotBeNull();
        (await host.Get<ArchiveChainVerifier>().VerifyAsync(Ct)).ShouldAllBe(r => r.IsIntact);
    }

    [Fact]
    public async Task AnImportThatFailsAfterSomeSteps_LeavesNothingBehind_AndCompletedOnesCannotBeUndone()
    {
        await using var host = await TestHost.StartAsync(provider);
        var imports = host.Get<ExportImportService>();
        imports.StepMessages = 500;
        imports.StepTime = TimeSpan.Zero;
        var kept = await imports.ImportAsync(_files.Text("WhatsApp Chat with Sam.txt", "18/03/2022, 09:00 - Sam: bund futures soft"),
            "WhatsApp Chat with Sam.txt", Options, Officer, ct: Ct);
        var broken = Chat(3_000, new DateTime(2023, 1, 2, 8, 0, 0)) + "\n31/02/2023, 09:06 - Eva: impossible date";

        var ex = await Should.ThrowAsync<ExportFormatException>(() => imports.ImportAsync(
            _files.Text("WhatsApp Chat with Eva.txt", broken), "WhatsApp Chat with Eva.txt", Options, Officer, ct: Ct));

        ex.LineNumber.ShouldBe(3_001);
        await using var db = await host.CreateDbContextAsync();
        (await db.ChatMessages.IgnoreQueryFilters().Select(m => m.ImportBatchId).Distinct().ToListAsync(Ct)).ShouldBe([kept.BatchId]);
        (await db.ImportBatches.Select(b => b.Id).ToListAsync(Ct)).ShouldBe([kept.BatchId]);
        (await db.Conversations.Select(c => c.Title).ToListAsync(Ct)).ShouldBe(["Sam"]);
        (await db.ChatParticipants.Select(p => p.DisplayName).ToListAsync(Ct)).ShouldBe(["Sam"]);
        (await host.Get<MessageSearchService>().CountAsync(new MessageSearchCriteria { Text = "bund" }, Ct)).Count.ShouldBe(1);
        (await host.Get<ArchiveChainVerifier>().VerifyAsync(Ct)).ShouldAllBe(r => r.IsIntact);
        (await db.AuditEvents.SingleAsync(e => e.Type == AuditEventType.ExportRejected, Ct)).Details!.ShouldContain("line 3001");

        // The database itself refuses to remove or reopen a completed import.
        await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync($"DELETE FROM \"ChatMessages\" WHERE \"ImportBatchId\" = {kept.BatchId}"));
        await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync($"UPDATE \"ImportBatches\" SET \"CompletedAt\" = NULL WHERE \"Id\" = {kept.BatchId}"));
    }

    [Fact]
    public async Task AnImportWhoseProcessStopped_IsRemovedOnceSilentTwoMinutes_AndHoldsCaptureOfItsChatUntilThen()
    {
        // Arrange: what a host that stopped mid-import leaves behind: an unfinished batch with the messages of its steps.
        await using var host = await TestHost.StartAsync(provider, WebhookProcessingTests.CaptureSettings());
        await host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(WebhookPayloads.Inbound(
            WebhookPayloads.Text("wamid.first", host.Clock.GetUtcNow(), "Hello"))), "127.0.0.1", Ct);
        await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
        await using var db = await host.CreateDbContextAsync();
        var conversation = await db.Conversations.SingleAsync(Ct);
        var now = host.Clock.GetUtcNow();
        await using (var writer = await host.Get<ComplianceHub.Core.Archive.Writing.ArchiveWriteGate>().BeginAsync(db, Ct))
        {
            var batch = new ImportBatch(conversation.Id, "WhatsApp Chat with Ana.txt", new string('a', 64), 1, "officer", null, now, "UTC", null);
            db.ImportBatches.Add(batch);
            await db.SaveChangesAsync(Ct);
            await writer.PrepareConversationAsync(conversation.Id, forExport: true, Ct);
            foreach (var i in Enumerable.Range(0, 3))
            {
                writer.Append(conversation.Id, new ComplianceHub.Core.Archive.Writing.ArchiveRecord(
                    new ComplianceHub.Core.Archive.Writing.SenderIdentity("Ana"), now.AddMinutes(-10 + i), $"exported {i}", MessageKind.Text,
                    MessageSource.Export, $"{i:x32}", []) { ImportBatchId = batch.Id, LineNumber = i + 1 }, now);
            }

            await writer.CommitAsync(Ct);
        }

        // While it could still be running, capture of its chat waits, and nothing of it is visible.
        await host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(WebhookPayloads.Inbound(
            WebhookPayloads.Text("wamid.second", now.AddSeconds(5), "Still there?"))), "127.0.0.1", Ct);
        (await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct)).Messages.ShouldBe(0);
        (await db.ChatMessages.CountAsync(Ct)).ShouldBe(1);

        // Two minutes of silence later it is abandoned: capture removes it and goes on.
        host.Clock.Advance(TimeSpan.FromMinutes(3));
        (await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct)).Messages.ShouldBe(0);
        (await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct)).Messages.ShouldBe(1);
        (await db.ChatMessages.IgnoreQueryFilters().Select(m => m.Body).ToListAsync(Ct)).ShouldBe(["Hello", "Still there?"]);
        (await db.ImportBatches.CountAsync(Ct)).ShouldBe(0);
        (await db.AuditEvents.SingleAsync(e => e.Type == AuditEventType.ExportRejected, Ct)).Details!.ShouldContain("did not finish");
        (await host.Get<ArchiveChainVerifier>().VerifyAsync(Ct)).ShouldAllBe(r => r.IsIntact);
    }

    [Fact]
    public async Task WhileALongImportRuns_OtherWritersGetTheirTurnBetweenSteps()
    {
        await using var host = await TestHost.StartAsync(provider);
        var imports = host.Get<ExportImportService>();
        var path = _files.Text("WhatsApp Chat with Eva.txt", Chat(60_000, new DateTime(2023, 1, 2, 8, 0, 0)));
        var audit = host.Get<AuditLog>();
        var inbox = host.Get<WebhookInbox>();

        var import = Task.Run(() => imports.ImportAsync(path, "WhatsApp Chat with Eva.txt", Options, Officer, ct: Ct), Ct);
        var latencies = new List<TimeSpan>();
        var duringImport = 0;
        while (!import.IsCompleted)
        {
            // What a sign-in writes (an audit event) and what a webhook delivery writes (its inbox row). Time moves on between
            // deliveries, as it does for real ones: the same body received at the same instant is taken for one delivery
            // written twice when the spool is moved to the inbox.
            host.Clock.Advance(TimeSpan.FromMilliseconds(1));
            var watch = Stopwatch.StartNew();
            await audit.RecordInOwnTransactionAsync(AuditEventType.SignInSucceeded, Officer, new AuditSubject("User", "officer-id"), new { }, Ct);
            await inbox.AcceptAsync(Encoding.UTF8.GetBytes("""{"object":"whatsapp_business_account","entry":[]}"""), "127.0.0.1", Ct);
            latencies.Add(watch.Elapsed);
            if (!import.IsCompleted)
            {
                duringImport++;
            }

            await Task.Delay(50, Ct);
        }

        (await import).MessagesAdded.ShouldBe(60_000);
        TestContext.Current.TestOutputHelper?.WriteLine($"{duringImport} writes during the import; slowest {latencies.Max().TotalMilliseconds:N0} ms");
        duringImport.ShouldBeGreaterThanOrEqualTo(3);
        latencies.Max().ShouldBeLessThan(TimeSpan.FromSeconds(1));

        // Every delivery acknowledged meanwhile (on SQLite, most from the spool) reaches the inbox once.
        (await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct)).Deliveries.ShouldBe(latencies.Count);
        await using var db = await host.CreateDbContextAsync();
        (await db.WebhookDeliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Processed, Ct)).ShouldBe(latencies.Count);
    }
}

/// <summary>The latency test measures waits of a fraction of a second: it runs with no other test beside it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ImportTimingCollection
{
    public const string Name = "Import timing";
}

[Collection(ImportTimingCollection.Name)]
public sealed class SqliteImportStepsTests() : ImportStepsTests(DatabaseProvider.Sqlite);

[Collection(ImportTimingCollection.Name)]
public sealed class PostgresImportStepsTests() : ImportStepsTests(DatabaseProvider.Postgres);
