using ComplianceHub.Core.Archive.Capture;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Writes the summary of refused webhook requests (<see cref="WebhookRefusals"/>, counted in memory) every few seconds,
/// one row per reason and address, and what is left when the portal stops: a flood of unsigned requests costs a row and
/// a log line per period, not per request, and never competes with signed deliveries for the write lock.
/// </summary>
internal sealed class WebhookRefusalsWorker(WebhookRefusals refusals, ILogger<WebhookRefusalsWorker> logger) : SummaryWorker(logger)
{
    protected override async Task FlushAsync(CancellationToken ct)
    {
        if (await refusals.FlushAsync(ct) is > 0 and var refused)
        {
            logger.LogWarning("Refused {Count} webhook request(s) since the last summary (bad or missing signature, or too large); see the capture page", refused);
        }
    }
}
