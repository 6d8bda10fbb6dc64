using ComplianceHub.Core.Archive.Capture;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Processes the webhook inbox: woken by each stored delivery and polling as a fallback; writes the summary of refused
/// requests (<see cref="WebhookRefusals"/>) each pass. Its first
/// pass takes whatever a crash or shutdown left pending, so nothing accepted with a 200 is ever lost.
/// </summary>
internal sealed class CaptureWorker(WebhookProcessor processor, WebhookSignal signal, WebhookRefusals refusals, ILogger<CaptureWorker> logger)
    : RecurringWorker(logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    /// <summary>After a wake-up, let a burst gather: one transaction for many deliveries leaves the write lock to the inbox.</summary>
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(25);

    protected override async Task PassAsync(CancellationToken ct)
    {
        await processor.ProcessPendingAsync(ct: ct);
        if (await refusals.FlushAsync(ct) is > 0 and var refused)
        {
            logger.LogWarning("Refused {Count} webhook request(s) since the last summary (bad or missing signature, or too large); see the capture page", refused);
        }

        if (await signal.WaitAsync(Poll, ct))
        {
            await Task.Delay(Coalesce, ct);
        }
    }
}
