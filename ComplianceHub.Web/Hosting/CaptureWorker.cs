using ComplianceHub.Core.Archive.Capture;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Background processing of the webhook inbox: woken by each stored delivery, and polling as a
/// fallback. On start it first processes whatever a crash or shutdown left pending, so nothing
/// accepted with a 200 is ever lost.
/// </summary>
internal sealed class CaptureWorker(WebhookProcessor processor, WebhookSignal signal, ILogger<CaptureWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await processor.ProcessPendingAsync(ct: stoppingToken);
                if (result.Deliveries > 0)
                {
                    logger.LogDebug("Processed {Deliveries} webhook deliveries: {Messages} messages, {Duplicates} duplicates, {Failed} failed",
                        result.Deliveries, result.Messages, result.Duplicates, result.Failed);
                }

                await signal.WaitAsync(Poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be briefly unavailable: the rows stay pending and are picked up again.
                logger.LogError(e, "Webhook processing pass failed; retrying shortly");
                await Task.Delay(Poll, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}

/// <summary>Downloads captured media in the background, as each download falls due.</summary>
internal sealed class MediaDownloadWorker(MediaDownloader downloader, ILogger<MediaDownloadWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await downloader.RunDueAsync(ct: stoppingToken) == 0)
                {
                    await Task.Delay(Poll, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Media download pass failed; retrying shortly");
                await Task.Delay(Poll, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
