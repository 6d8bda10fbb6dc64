using ComplianceHub.Core.Exports;

namespace ComplianceHub.Web.Hosting;

/// <summary>Runs the productions asked for in the portal, one at a time, woken by each request and polling as a fallback.</summary>
internal sealed class ExportWorker(ExportJobService jobs, ILogger<ExportWorker> logger) : RecurringWorker(logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);
    private bool _started;

    protected override async Task PassAsync(CancellationToken ct)
    {
        if (!_started)
        {
            // What a stopped process was producing is produced again from the start.
            if (await jobs.RequeueInterruptedAsync(ct) is > 0 and var requeued)
            {
                logger.LogInformation("{Count} interrupted production(s) queued again", requeued);
            }

            _started = true;
        }

        if (!await jobs.RunNextAsync(ct))
        {
            await jobs.WaitForWorkAsync(Poll, ct);
        }
    }
}
