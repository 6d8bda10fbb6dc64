using ComplianceHub.Core.Integrity;
using ComplianceHub.Core.Search;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Keeps the archive's evidence checked between runs of <c>verify</c>: seals integrity checkpoints within half a minute
/// of an import completing and every <c>Integrity:CheckpointMinutes</c> when anything changed
/// (<see cref="CheckpointService.SealIfDueAsync"/>); on start and every hour, removes what unfinished work left on disk
/// (<see cref="OrphanSweep"/>) and checks a random page of the full-text index against the messages
/// (<see cref="SearchIndexCheck.SampleAndRecordAsync"/>). A damaged checkpoint log stops sealing
/// (logged as an error each few minutes) until a person has looked: <c>verify</c> says what is wrong.
/// </summary>
internal sealed class IntegrityWorker(CheckpointService checkpoints, SearchIndexCheck index, OrphanSweep orphans, TimeProvider clock, ILogger<IntegrityWorker> logger)
    : RecurringWorker(logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AfterDamage = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan IndexSample = TimeSpan.FromHours(1);
    private DateTimeOffset _lastSample = DateTimeOffset.MinValue;

    protected override async Task PassAsync(CancellationToken ct)
    {
        if (clock.GetUtcNow() - _lastSample >= IndexSample)
        {
            _lastSample = clock.GetUtcNow();
            await orphans.RunAsync(ct);
            var report = await index.SampleAndRecordAsync(ct);
            if (!report.IsConsistent)
            {
                logger.LogError("The search index differs from the messages in a sample of {Count}: {Missing} message(s) missing, {Extra} entry(ies) with no message; run verify --index --repair",
                    report.MessagesChecked, report.Missing.Count, report.Extra.Count);
            }
        }

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
