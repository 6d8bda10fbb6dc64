using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Archive.Writing;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Archive.Capture;

/// <summary>
/// Fetches captured media from the Graph API (whatsapp-formats.md §2.8): the media's metadata, then its
/// bytes with the same bearer token, checked against the SHA-256 Meta reported before it is kept in
/// the blob store. A failure is retried with exponential back-off and shows as pending, then failed;
/// each download stands alone, so one bad file never holds up another.
/// </summary>
public sealed class MediaDownloader(
    IDbContextFactory<ComplianceHubDbContext> dbFactory,
    IBlobStore blobs,
    AuditLog audit,
    IOptionsMonitor<WhatsAppOptions> options,
    ArchiveWriteGate gate,
    TimeProvider clock,
    ILogger<MediaDownloader> logger) : IDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromHours(2);

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromMinutes(2),
    };

    /// <summary>Attempts every download that is due; returns how many were attempted.</summary>
    public async Task<int> RunDueAsync(int max = 20, CancellationToken ct = default)
    {
        List<long> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var now = clock.GetUtcNow();
            due = await db.MediaDownloads.AsNoTracking()
                .Where(d => d.Status == MediaDownloadStatus.Pending && d.NextAttemptAt <= now)
                .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)
                .Select(d => d.Id).Take(max).ToListAsync(ct);
        }

        foreach (var id in due)
        {
            await AttemptAsync(id, ct);
        }

        return due.Count;
    }

    /// <summary>When the next pending download is due, or null when none is waiting.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.MediaDownloads.Where(d => d.Status == MediaDownloadStatus.Pending)
            .OrderBy(d => d.NextAttemptAt).Select(d => (DateTimeOffset?)d.NextAttemptAt).FirstOrDefaultAsync(ct);
    }

    /// <summary>Puts a failed download back in the queue, due now, with a fresh set of attempts (Administrator).</summary>
    public async Task<bool> RetryAsync(long downloadId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await gate.EnterAsync(db, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var changed = await db.MediaDownloads.Where(d => d.Id == downloadId && d.Status == MediaDownloadStatus.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, MediaDownloadStatus.Pending).SetProperty(d => d.Attempts, 0).SetProperty(d => d.NextAttemptAt, now), ct);
        if (changed == 0)
        {
            return false;
        }

        audit.Record(db, AuditEventType.MediaDownloadRetried, actor, Subject(downloadId), new { downloadId });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    public void Dispose() => _http.Dispose();

    private async Task AttemptAsync(long id, CancellationToken ct)
    {
        MediaDownload download;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            download = await db.MediaDownloads.AsNoTracking().SingleAsync(d => d.Id == id, ct);
        }

        var settings = options.CurrentValue;
        string? error = null;
        BlobReference? stored = null;
        try
        {
            stored = await FetchAsync(download, settings, ct);
        }
        catch (Exception e) when (e is HttpRequestException or MediaDownloadException or JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            error = e.Message;
        }

        await using var write = await dbFactory.CreateDbContextAsync(ct);
        using var _ = await gate.EnterAsync(write, ct);
        await using var transaction = await write.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var attempts = download.Attempts + 1;
        if (stored is not null)
        {
            await write.MediaDownloads.Where(d => d.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, MediaDownloadStatus.Stored).SetProperty(d => d.Attempts, attempts)
                .SetProperty(d => d.StoredSha256, stored.Sha256).SetProperty(d => d.Length, stored.Length)
                .SetProperty(d => d.LastError, (string?)null).SetProperty(d => d.CompletedAt, now), ct);
            audit.Record(write, AuditEventType.MediaDownloaded, AuditActor.System, Subject(id),
                new { downloadId = id, attachmentId = download.AttachmentId, mediaId = download.MediaId, sha256 = stored.Sha256, length = stored.Length, attempts });
        }
        else
        {
            var giveUp = attempts >= settings.MediaMaxAttempts;
            var delay = TimeSpan.FromTicks(Math.Min(LongestRetry.Ticks, FirstRetry.Ticks << Math.Min(attempts - 1, 20)));
            var message = Truncate($"attempt {attempts}: {error}", 2000);
            await write.MediaDownloads.Where(d => d.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, giveUp ? MediaDownloadStatus.Failed : MediaDownloadStatus.Pending)
                .SetProperty(d => d.Attempts, attempts).SetProperty(d => d.LastError, message)
                .SetProperty(d => d.NextAttemptAt, now + delay), ct);
            if (giveUp)
            {
                audit.Record(write, AuditEventType.MediaDownloadFailed, AuditActor.System, Subject(id),
                    new { downloadId = id, attachmentId = download.AttachmentId, mediaId = download.MediaId, attempts, error = Truncate(error ?? "", 1000) });
            }

            logger.LogWarning("Media {MediaId} (download {Id}) attempt {Attempts} failed{GiveUp}: {Error}",
                download.MediaId, id, attempts, giveUp ? " for the last time" : "", error);
        }

        await write.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>GET the metadata, GET the bytes, check the hash, keep the file.</summary>
    private async Task<BlobReference> FetchAsync(MediaDownload download, WhatsAppOptions settings, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(settings.AccessToken))
        {
            throw new MediaDownloadException("no Graph API access token is configured (WhatsApp__AccessToken)");
        }

        var metadataUri = $"{settings.GraphApiBaseUrl.TrimEnd('/')}/{Uri.EscapeDataString(download.MediaId)}"
            + (download.PhoneNumberId is null ? "" : "?phone_number_id=" + Uri.EscapeDataString(download.PhoneNumberId));
        string url;
        string? reportedSha;
        using (var request = new HttpRequestMessage(HttpMethod.Get, metadataUri))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.AccessToken);
            using var response = await _http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new MediaDownloadException($"media metadata request answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            using var metadata = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            url = metadata.RootElement.TryGetProperty("url", out var u) && u.GetString() is { Length: > 0 } value
                ? value : throw new MediaDownloadException("media metadata has no url");
            reportedSha = metadata.RootElement.TryGetProperty("sha256", out var s) ? s.GetString() : null;
        }

        var expected = download.ExpectedSha256 ?? SafeHex(reportedSha);
        using (var request = new HttpRequestMessage(HttpMethod.Get, url))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.AccessToken);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new MediaDownloadException($"media download answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            await using var content = await response.Content.ReadAsStreamAsync(ct);
            var blob = await blobs.PutAsync(content, ct);
            if (expected is not null && !string.Equals(blob.Sha256, expected, StringComparison.Ordinal))
            {
                if (blob.Created)
                {
                    await blobs.DeleteUncommittedAsync(blob.Sha256, ct);
                }

                throw new MediaDownloadException($"SHA-256 mismatch: Meta reported {expected}, the downloaded file is {blob.Sha256} ({blob.Length} bytes)");
            }

            return blob;
        }
    }

    private static string? SafeHex(string? value)
    {
        try
        {
            return WebhookPayloadReader.Sha256Hex(value, "$.sha256");
        }
        catch (WebhookPayloadException)
        {
            return null;
        }
    }

    private static AuditSubject Subject(long id) => new("MediaDownload", id.ToString(CultureInfo.InvariantCulture));

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private sealed class MediaDownloadException(string message) : Exception(message);
}
