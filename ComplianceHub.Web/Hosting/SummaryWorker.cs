namespace ComplianceHub.Web.Hosting;

/// <summary>
/// A worker that writes what was counted in memory (refused requests, refused sign-ins) every few seconds, and once more
/// when the portal stops, so that a flood costs a row per period rather than a row per request.
/// </summary>
internal abstract class SummaryWorker(ILogger logger) : RecurringWorker(logger)
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    /// <summary>Writes the summary of what was counted since the last one.</summary>
    protected abstract Task FlushAsync(CancellationToken ct);

    protected sealed override async Task PassAsync(CancellationToken ct)
    {
        await FlushAsync(ct);
        await Task.Delay(Every, ct);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(CancellationToken.None);
    }
}
