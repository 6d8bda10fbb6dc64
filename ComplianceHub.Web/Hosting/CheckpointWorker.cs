using ComplianceHub.Core.Integrity;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Seals integrity checkpoints: within half a minute of an import completing, and every
/// <c>Integrity:CheckpointMinutes</c> when anything changed (<see cref="CheckpointService.SealIfDueAsync"/>). A damaged
/// checkpoint log stops sealing (logged as an error each interval) until a person has looked: <c>verify</c> says what is wrong.
/// </summary>
internal sealed class CheckpointWorker(CheckpointService checkpoints, ILogger<CheckpointWorker> logger) : RecurringWorker(logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AfterDamage = TimeSpan.FromMinutes(5);

    protected override async Task PassAsync(CancellationToken ct)
    {
        try
        {
            await checkpoints.SealIfDueAsync(ct);
        }
        catch (InvalidOperationException e) when (!ct.IsCancellationRequested)
        {
            logger.LogError(e, "No checkpoint sealed");
            await Task.Delay(AfterDamage, ct);
            return;
        }

        await Task.Delay(Poll, ct);
    }
}
