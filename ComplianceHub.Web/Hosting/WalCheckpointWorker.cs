using ComplianceHub.Core.Storage.Sqlite;

namespace ComplianceHub.Web.Hosting;

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
