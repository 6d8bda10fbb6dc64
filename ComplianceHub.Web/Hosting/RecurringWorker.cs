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
