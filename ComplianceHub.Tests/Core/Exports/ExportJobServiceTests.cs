using System.Security.Cryptography;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Core.Exports;

/// <summary>Productions asked for in the portal: queued, run in the background, kept with their hash, downloaded with an audit record.</summary>
public abstract class ExportJobServiceTests(DatabaseProvider provider) : IDisposable
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.1.2.3");
    private static readonly AuditActor Auditor = new("auditor-id", "auditor@example.com", "10.1.2.4");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ExportFiles _files = new();

    public void Dispose() => _files.Dispose();

    private async Task<(TestHost Host, long HoldId)> HoldAsync()
    {
        var host = await TestHost.StartAsync(provider);
        await host.Get<ExportImportService>().ImportAsync(
            _files.Text("WhatsApp Chat with Omar Khan.txt", "02/03/2026, 09:00 - Omar Khan: Can you confirm 50 lots?\n02/03/2026, 09:01 - Alex Kim: Confirmed\n"),
            "WhatsApp Chat with Omar Khan.txt", new ImportOptions("Europe/London", "alex.kim@example.com"), Officer, ct: Ct);
        var holdId = await host.Get<LegalHoldService>().PlaceAsync(
            new LegalHoldDraft("Bund futures", "2026-017", "Bund trades", [], ["alex.kim@example.com"], null, null), Officer, Ct);
        return (host, holdId);
    }

    [Fact]
    public async Task AProduction_RunsInTheBackground_IsKeptWithItsHash_AndEachDownloadIsAudited()
    {
        var (host, holdId) = await HoldAsync();
        await using var _ = host;
        var jobs = host.Get<ExportJobService>();

        var id = await jobs.RequestAsync(new ExportSource.LegalHold(holdId), ExportFormat.Pdf, new ExportSettings("Europe/London", "ACME-", 7), Officer, Ct);
        (await jobs.GetAsync(id, Ct))!.Status.ShouldBe(ExportJobStatus.Queued);

        (await jobs.RunNextAsync(Ct)).ShouldBeTrue();
        (await jobs.RunNextAsync(Ct)).ShouldBeFalse();

        var job = (await jobs.GetAsync(id, Ct))!;
        job.Status.ShouldBe(ExportJobStatus.Completed, job.Error);
        job.BatesFirst.ShouldBe("ACME-000007");
        job.FileName.ShouldStartWith("bund-futures-2026-017-transcript-");
        job.Done.ShouldBe(job.Total);
        (await jobs.ListAsync(new ExportSource.LegalHold(holdId), Ct)).Select(j => j.Id).ShouldBe([id]);

        var download = await jobs.OpenDownloadAsync(id, Auditor, Ct);
        download.ShouldNotBeNull();
        await using (var content = download.Value.Content)
        {
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy, Ct);
            Convert.ToHexStringLower(SHA256.HashData(copy.ToArray())).ShouldBe(job.Sha256);
            copy.Length.ShouldBe(job.Length!.Value);
        }

        await using var db = await host.CreateDbContextAsync();
        var produced = await db.AuditEvents.SingleAsync(e => e.Type == AuditEventType.ProductionExported, Ct);
        produced.ActorName.ShouldBe("officer@example.com");
        produced.Details!.ShouldContain(job.Sha256!);
        var downloaded = await db.AuditEvents.SingleAsync(e => e.Type == AuditEventType.ProductionDownloaded, Ct);
        downloaded.ActorName.ShouldBe("auditor@example.com");
        downloaded.Details!.ShouldContain(job.Sha256!);
    }

    [Fact]
    public async Task AQueuedProductionCancelled_NeverRuns_AndABadRequestIsRefusedAtOnce()
    {
        var (host, holdId) = await HoldAsync();
        await using var _ = host;
        var jobs = host.Get<ExportJobService>();

        var id = await jobs.RequestAsync(new ExportSource.LegalHold(holdId), ExportFormat.Pdf, new ExportSettings("UTC"), Officer, Ct);
        await jobs.CancelAsync(id, Officer, Ct);

        (await jobs.RunNextAsync(Ct)).ShouldBeFalse();
        (await jobs.GetAsync(id, Ct))!.Status.ShouldBe(ExportJobStatus.Cancelled);
        (await jobs.OpenDownloadAsync(id, Officer, Ct)).ShouldBeNull();
        (await Should.ThrowAsync<ComplianceRuleException>(() => jobs.CancelAsync(id, Officer, Ct))).Message.ShouldContain("already finished");

        (await Should.ThrowAsync<ComplianceRuleException>(() => jobs.RequestAsync(new ExportSource.LegalHold(holdId), ExportFormat.Pdf, new ExportSettings("Mars/Olympus"), Officer, Ct)))
            .Message.ShouldContain("Unknown time zone 'Mars/Olympus'");
        (await Should.ThrowAsync<ComplianceRuleException>(() => jobs.RequestAsync(new ExportSource.LegalHold(holdId), ExportFormat.Pdf, new ExportSettings("UTC", "ACME 2024"), Officer, Ct)))
            .Message.ShouldContain("Bates prefix 'ACME 2024' is not usable");
        (await Should.ThrowAsync<ComplianceRuleException>(() => jobs.RequestAsync(new ExportSource.LegalHold(999), ExportFormat.Pdf, new ExportSettings("UTC"), Officer, Ct)))
            .Message.ShouldContain("There is no legal hold 999");
        await using var db = await host.CreateDbContextAsync();
        (await db.ExportJobs.CountAsync(Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task AProductionLeftRunningByAStoppedProcess_IsQueuedAgain()
    {
        var (host, holdId) = await HoldAsync();
        await using var _ = host;
        var jobs = host.Get<ExportJobService>();
        var id = await jobs.RequestAsync(new ExportSource.LegalHold(holdId), ExportFormat.Pdf, new ExportSettings("UTC"), Officer, Ct);
        await host.ExecuteSqlAsync($"UPDATE \"ExportJobs\" SET \"Status\" = {(int)ExportJobStatus.Running} WHERE \"Id\" = {id}");

        (await jobs.RequeueInterruptedAsync(Ct)).ShouldBe(1);

        (await jobs.GetAsync(id, Ct))!.Status.ShouldBe(ExportJobStatus.Queued);
        (await jobs.RunNextAsync(Ct)).ShouldBeTrue();
        (await jobs.GetAsync(id, Ct))!.Status.ShouldBe(ExportJobStatus.Completed);
    }
}

public sealed class SqliteExportJobServiceTests() : ExportJobServiceTests(DatabaseProvider.Sqlite);

public sealed class PostgresExportJobServiceTests() : ExportJobServiceTests(DatabaseProvider.Postgres);
