namespace ComplianceHub.Web.Hosting;

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
