using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Storage.Sqlite;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// A background loop of passes: each pass does its work and waits as it sees fit; a pass that fails
/// is logged and tried again shortly (the database may be briefly unavailable), and shutdown ends it.
/// </summary>
internal abstract class RecurringWorker(ILogger logger) : BackgroundService
{
    private static readonly TimeSpan AfterFailure = TimeSpan.FromSeconds(5);

    /// <summary>One pass, including the wait before the next.</summary>
    protected abstract Task PassAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "{Worker} pass failed; retrying in {Delay}", GetType().Name, AfterFailure);
                await Task.Delay(AfterFailure, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}

/// <summary>
/// Processes the webhook inbox: woken by each stored delivery and polling as a fallback. Its first
/// pass takes whatever a crash or shutdown left pending, so nothing accepted with a 200 is ever lost.
/// </summary>
internal sealed class CaptureWorker(WebhookProcessor processor, WebhookSignal signal, ILogger<CaptureWorker> logger) : RecurringWorker(logger)
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

/// <summary>Copies SQLite's write-ahead log into the database file in the background (see <see cref="WalCheckpoints"/>).</summary>
internal sealed class WalCheckpointWorker(WalCheckpoints checkpoints, ILogger<WalCheckpointWorker> logger) : RecurringWorker(logger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task PassAsync(CancellationToken ct)
    {
        if (await checkpoints.CheckpointAsync(ct) < 0)
        {
            // Not SQLite: nothing to do, ever.
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        }

        await Task.Delay(Interval, ct);
    }
}

/// <summary>Checks the archive against the roster every few minutes (see <see cref="ComplianceHub.Core.Roster.RosterMonitor"/>).</summary>
internal sealed class RosterMonitorWorker(
    ComplianceHub.Core.Roster.RosterService roster, ComplianceHub.Core.Roster.RosterMonitor monitor, ILogger<RosterMonitorWorker> logger) : RecurringWorker(logger)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task PassAsync(CancellationToken ct)
    {
        // Lapsed authorizations first, so the scan judges traffic against the statuses in force.
        await roster.ApplyLapsesAsync(ct);
        await monitor.ScanAsync(ct);
        await Task.Delay(Interval, ct);
    }
}
