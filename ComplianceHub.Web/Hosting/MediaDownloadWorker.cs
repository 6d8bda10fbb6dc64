using ComplianceHub.Core.Archive.Capture;

namespace ComplianceHub.Web.Hosting;

/// <summary>Downloads captured media as each download falls due.</summary>
internal sealed class MediaDownloadWorker(MediaDownloader downloader, ILogger<MediaDownloadWorker> logger) : RecurringWorker(logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    protected override async Task PassAsync(CancellationToken ct)
    {
        if (await downloader.RunDueAsync(ct: ct) == 0)
        {
            await Task.Delay(Poll, ct);
        }
    }
}
