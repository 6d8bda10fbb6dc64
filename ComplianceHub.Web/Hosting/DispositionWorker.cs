using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Retention;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// The daily disposition: every hour, finishes a run that stopped before it finished (its process died), removes the files
/// earlier runs left pending (put again too recently then), and, while
/// disposition is on, requests a scheduled run when the last one is a day old, the first a day after it was turned on (<see cref="DispositionService.RequestAsync"/>;
/// with four eyes on, it then waits for an officer's approval in the portal). Nothing happens while disposition is off.
/// </summary>
internal sealed class DispositionWorker(DispositionService disposition, TimeProvider clock, ILogger<DispositionWorker> logger) : RecurringWorker(logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromHours(1);
    private static readonly TimeSpan Daily = TimeSpan.FromDays(1);

    /// <summary>Not in the first minute: the portal starts answering before any disposition work begins.</summary>
    private static readonly TimeSpan AfterStart = TimeSpan.FromMinutes(1);

    private bool _started;

    protected override async Task PassAsync(CancellationToken ct)
    {
        if (!_started)
        {
            _started = true;
            await Task.Delay(AfterStart, clock, ct);
        }

        if (await disposition.ResumeAsync(ct) is { } resumed)
        {
            logger.LogWarning("Disposition run {Run} was finished after it had stopped: {Removed} message(s) removed", resumed.RunId, resumed.Removed);
        }

        if (await disposition.ReleasePendingFilesAsync(ct) is > 0 and var released)
        {
            logger.LogInformation("Removed {Count} file(s) earlier disposition runs had left pending", released);
        }

        var settings = await disposition.SettingsAsync(ct);
        if (settings.Enabled && await disposition.OpenRunAsync(ct) is null)
        {
            // Due a day after the last scheduled run; the first, a day after an administrator turned disposition on (so that
            // the first removals are ones someone chose to start), or at once when the configuration turned it on.
            var last = (await disposition.RunsAsync(50, ct)).FirstOrDefault(r => r.Trigger == DispositionTrigger.Scheduled);
            var since = last?.RequestedAt ?? settings.ChangedAt;
            if (since is null || clock.GetUtcNow() - since >= Daily)
            {
                try
                {
                    var outcome = await disposition.RequestAsync(DispositionTrigger.Scheduled, AuditActor.System, ct);
                    logger.LogInformation("Scheduled disposition run {Run}: {Status}, {Named} message(s) named", outcome.RunId, DispositionService.Describe(outcome.Status), outcome.Named);
                }
                catch (ComplianceRuleException e)
                {
                    // Turned off or another run opened in between: the next pass looks again.
                    logger.LogInformation("Scheduled disposition not started: {Reason}", e.Message);
                }
            }
        }

        await Task.Delay(Poll, clock, ct);
    }
}
