using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static ComplianceHub.Tests.TestSupport.WebhookPayloads;

namespace ComplianceHub.Tests.Core.Archive;

/// <summary>Captured media fetched from a fake Graph API on loopback (the only faked boundary).</summary>
public sealed class MediaDownloaderTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Photo = Encoding.UTF8.GetBytes("\u00ff\u00d8 not really a jpeg, but bytes all the same");
    private static readonly byte[] Statement = Encoding.UTF8.GetBytes("%PDF-1.7 quarterly statement");
    private FakeGraphApi _graph = null!;
    private TestHost _host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _graph = await FakeGraphApi.StartAsync();
        _host = await TestHost.StartAsync(DatabaseProvider.Sqlite, WebhookProcessingTests.CaptureSettings(_graph.BaseUrl));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _graph.DisposeAsync();
    }

    private async Task CaptureAsync(params (string MediaId, string Type, byte[] Bytes, string Mime)[] media)
    {
        var messages = media.Select((m, i) => Message($"wamid.media-{i}", T0.AddSeconds(i), m.Type, new JsonObject
        {
            ["id"] = m.MediaId,
            ["mime_type"] = m.Mime,
            // Real payloads carry base64 (whatsapp-formats.md §2.8).
            ["sha256"] = Convert.ToBase64String(SHA256.HashData(m.Bytes)),
        })).ToArray();
        await _host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(Inbound(messages)), null, Ct);
        await _host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
    }

    private async Task<MediaDownload> DownloadAsync(string mediaId)
    {
        await using var db = await _host.CreateDbContextAsync();
        return await db.MediaDownloads.SingleAsync(d => d.MediaId == mediaId, Ct);
    }

    [Fact]
    public async Task CapturedMedia_IsFetchedWithTheToken_CheckedAndStored()
    {
        _graph.AddMedia("MEDIA-1", Photo, "image/jpeg");
        await CaptureAsync(("MEDIA-1", "image", Photo, "image/jpeg"));

        (await _host.Get<MediaDownloader>().RunDueAsync(ct: Ct)).ShouldBe(1);

        var download = await DownloadAsync("MEDIA-1");
        download.Status.ShouldBe(MediaDownloadStatus.Stored);
        download.StoredSha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Photo)));
        download.Length.ShouldBe(Photo.Length);
        await using (var stored = (await _host.Get<IBlobStore>().OpenReadAsync(download.StoredSha256!, Ct)).ShouldNotBeNull())
        using (var copy = new MemoryStream())
        {
            await stored.CopyToAsync(copy, Ct);
            copy.ToArray().ShouldBe(Photo);
        }

        _graph.Requests.ShouldBe(["meta/MEDIA-1", "file/MEDIA-1"]);
        await using var db = await _host.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.MediaDownloaded, Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task AFailedDownload_WaitsWithBackOff_ThenSucceeds()
    {
        _graph.AddMedia("MEDIA-2", Statement, "application/pdf");
        _graph.FailNext("MEDIA-2", 1);
        await CaptureAsync(("MEDIA-2", "document", Statement, "application/pdf"));
        var downloader = _host.Get<MediaDownloader>();

        (await downloader.RunDueAsync(ct: Ct)).ShouldBe(1);
        var waiting = await DownloadAsync("MEDIA-2");
        (waiting.Status, waiting.Attempts).ShouldBe((MediaDownloadStatus.Pending, 1));
        waiting.LastError.ShouldNotBeNull().ShouldContain("500");
        waiting.NextAttemptAt.ShouldBe(_host.Clock.GetUtcNow().AddSeconds(30));

        (await downloader.RunDueAsync(ct: Ct)).ShouldBe(0);
        _host.Clock.Advance(TimeSpan.FromSeconds(31));
        (await downloader.RunDueAsync(ct: Ct)).ShouldBe(1);

        var done = await DownloadAsync("MEDIA-2");
        (done.Status, done.Attempts, done.LastError).ShouldBe((MediaDownloadStatus.Stored, 2, null));
    }

    [Fact]
    public async Task BytesThatDoNotMatchMetasHash_AreNeverKept_FailAfterTheLastAttempt_AndDoNotHoldUpOthers()
    {
        var tampered = Encoding.UTF8.GetBytes("not the file Meta hashed");
        _graph.AddMedia("MEDIA-BAD", tampered, "image/jpeg", reportedSha256: Convert.ToHexStringLower(SHA256.HashData(Photo)));
        _graph.AddMedia("MEDIA-OK", Statement, "application/pdf");
        await CaptureAsync(("MEDIA-BAD", "image", Photo, "image/jpeg"), ("MEDIA-OK", "document", Statement, "application/pdf"));
        var downloader = _host.Get<MediaDownloader>();

        for (var attempt = 0; attempt < 3; attempt++)
        {
            await downloader.RunDueAsync(ct: Ct);
            _host.Clock.Advance(TimeSpan.FromHours(3));
        }

        (await DownloadAsync("MEDIA-OK")).Status.ShouldBe(MediaDownloadStatus.Stored);
        var bad = await DownloadAsync("MEDIA-BAD");
        (bad.Status, bad.Attempts).ShouldBe((MediaDownloadStatus.Failed, 3));
        bad.LastError.ShouldNotBeNull().ShouldContain("SHA-256 mismatch");
        (await _host.Get<IBlobStore>().ExistsAsync(Convert.ToHexStringLower(SHA256.HashData(tampered)), Ct)).ShouldBeFalse();
        _graph.RequestsFor("MEDIA-BAD").ShouldBe(6);
        await using (var db = await _host.CreateDbContextAsync())
        {
            (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.MediaDownloadFailed, Ct)).ShouldBe(1);
        }

        // Meta fixes the file; an administrator retries.
        _graph.AddMedia("MEDIA-BAD", Photo, "image/jpeg");
        (await downloader.RetryAsync(bad.Id, new AuditActor("admin-id", "admin@example.com", null), Ct)).ShouldBeTrue();
        (await downloader.RunDueAsync(ct: Ct)).ShouldBe(1);
        (await DownloadAsync("MEDIA-BAD")).Status.ShouldBe(MediaDownloadStatus.Stored);
    }
}
