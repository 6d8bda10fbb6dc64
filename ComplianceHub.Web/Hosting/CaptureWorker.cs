using ComplianceHub.Core.Archive.Capture;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Processes the webhook inbox: woken by each stored delivery and polling as a fallback. Its first
/// pass takes whatever a crash or shutdown left pending, so nothing accepted with a 200 is ever lost.
/// </summary>
internal sealed class CaptureWorker(WebhookProcessor processor, WebhookSignal signal, ILogger<CaptureWorker> logger)
    : RecurringWorker(logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    /// <summary>After a wake-up, let a burst gather: one transaction for many deliveries leaves the write lock to the inbox.</summary>
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(25);

    protected override async Task PassAsync(CancellationToken ct)
    {
        await processor.ProcessPendingAsync(ct: ct);

        if (await signal.WaitAsync(Poll, ct))
        {
            await Task.Delay(Coalesce, ct);
        }
    }
}
