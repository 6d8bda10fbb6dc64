using System.Globalization;
using System.Text;
using System.Threading.Channels;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ComplianceHub.Core.Exports;

/// <summary>
/// Productions asked for in the portal, run one at a time in the background: queued, run with their progress
/// saved about once a second (so a page that reloads finds it), cancellable, and once complete kept in the blob
/// store with their SHA-256 for audited download.
/// </summary>
public sealed class ExportJobService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, ExportService exports, IBlobStore blobs, AuditLog audit, TimeProvider clock,
    ILogger<ExportJobService> logger)
{
    private static readonly TimeSpan SaveEvery = TimeSpan.FromSeconds(1);

    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Queues a production of <paramref name="source"/>; the scope and settings are checked now, so a mistake is said at once.</summary>
    public async Task<long> RequestAsync(ExportSource source, ExportFormat format, ExportSettings settings, AuditActor actor, CancellationToken ct = default)
    {
        settings.Validate();
        if (source is ExportSource.Search search)
        {
            ExportScope.CheckSearch(search.Criteria);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var exists = source switch
        {
            ExportSource.LegalHold h => await db.LegalHolds.AnyAsync(x => x.Id == h.HoldId, ct),
            ExportSource.Conversation c => await db.Conversations.AnyAsync(x => x.Id == c.ConversationId, ct),
            ExportSource.Search => true,
            _ => false,
        };
        if (!exists)
        {
            throw new ComplianceRuleException($"There is no {source.Describe()}.");
        }

        var job = new ExportJob(source, format, settings, actor.Name, actor.UserId, clock.GetUtcNow());
        db.ExportJobs.Add(job);
        await db.SaveChangesAsync(ct);
        _signal.Writer.TryWrite(true);
        return job.Id;
    }

    /// <summary>The productions of <paramref name="source"/>, newest first.</summary>
    public async Task<IReadOnlyList<ExportJob>> ListAsync(ExportSource source, CancellationToken ct = default)
    {
        var (kind, id) = ExportJob.Key(source);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ExportJobs.AsNoTracking().Where(j => j.SourceKind == kind && j.SourceId == id).OrderByDescending(j => j.Id).Take(50).ToListAsync(ct);
    }

    public async Task<ExportJob?> GetAsync(long jobId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ExportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, ct);
    }

    /// <summary>Asks a queued or running production to stop; it ends as cancelled, with nothing kept.</summary>
    public async Task CancelAsync(long jobId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.ExportJobs.SingleOrDefaultAsync(j => j.Id == jobId, ct) ?? throw new ComplianceRuleException("That production does not exist.");
        if (job.IsFinished)
        {
            throw new ComplianceRuleException("That production has already finished.");
        }

        job.RequestCancel();
        if (job.Status == ExportJobStatus.Queued)
        {
            job.Cancel(clock.GetUtcNow());
        }

        await db.SaveChangesAsync(ct);
        logger.LogInformation("Production {Job} cancelled by {Actor}", jobId, actor.Name);
    }

    /// <summary>A completed production's file, audited as downloaded by <paramref name="actor"/>; null when there is none.</summary>
    public async Task<(ExportJob Job, Stream Content)?> OpenDownloadAsync(long jobId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.ExportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is not { Status: ExportJobStatus.Completed, Sha256: { } sha256 } || await blobs.OpenReadAsync(sha256, ct) is not { } content)
        {
            return null;
        }

        try
        {
            audit.Record(db, AuditEventType.ProductionDownloaded, actor, new AuditSubject("ExportJob", jobId.ToString(CultureInfo.InvariantCulture)), new
            {
                source = job.Source.Describe(),
                file = job.FileName,
                sha256,
                pages = job.Pages,
                batesFirst = job.BatesFirst,
                batesLast = job.BatesLast,
            });
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            // No bytes leave without their audit record.
            await content.DisposeAsync();
            throw;
        }

        return (job, content);
    }

    /// <summary>Waits until a production is queued or <paramref name="timeout"/> passes.</summary>
    public async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        try
        {
            await _signal.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Productions left running by a process that stopped go back in the queue (run once when the worker starts).</summary>
    public async Task<int> RequeueInterruptedAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var running = await db.ExportJobs.Where(j => j.Status == ExportJobStatus.Running).ToListAsync(ct);
        running.ForEach(j => j.Requeue());
        await db.SaveChangesAsync(ct);
        return running.Count;
    }

    /// <summary>Runs the oldest queued production, if any; returns whether there was one.</summary>
    public async Task<bool> RunNextAsync(CancellationToken ct)
    {
        ExportJob? job;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            job = await db.ExportJobs.Where(j => j.Status == ExportJobStatus.Queued).OrderBy(j => j.Id).FirstOrDefaultAsync(ct);
            if (job is null)
            {
                return false;
            }

            job.Start(clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
        }

        var temp = Path.Combine(Path.GetTempPath(), $"compliancehub-production-{job.Id}-{Guid.NewGuid():N}.{job.FormatKind.Extension()}");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = new LatestProgress();
        try
        {
            var actor = new AuditActor(job.RequestedById, job.RequestedBy, null);
            ExportOutcome outcome;
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose))
            {
                var work = exports.WriteAsync(job.Source, job.FormatKind, job.Settings, file, actor, progress, stop.Token);
                while (!work.IsCompleted)
                {
                    await Task.WhenAny(work, Task.Delay(SaveEvery, ct));
                    if (await SaveProgressAsync(job.Id, progress.Latest, ct))
                    {
                        await stop.CancelAsync();
                    }
                }

                outcome = await work;
                file.Position = 0;
                var stored = await blobs.PutAsync(file, ct);
                if (stored.Sha256 != outcome.Sha256)
                {
                    throw new InvalidOperationException($"The stored production's SHA-256 ({stored.Sha256}) differs from the one written ({outcome.Sha256}).");
                }
            }

            await FinishAsync(job.Id, j => j.Complete(FileName(outcome.Scope, job), outcome, clock.GetUtcNow()));
            return true;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            await FinishAsync(job.Id, j => j.Cancel(clock.GetUtcNow()));
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Production {Job} failed", job.Id);
            await FinishAsync(job.Id, j => j.Fail(e is ComplianceRuleException ? e.Message : $"The production failed: {e.Message}", clock.GetUtcNow()));
            return true;
        }
    }

    /// <summary>Saves the progress; true when someone asked for the production to stop.</summary>
    private async Task<bool> SaveProgressAsync(long jobId, ExportProgress? latest, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.ExportJobs.SingleAsync(j => j.Id == jobId, ct);
        if (latest is { } p)
        {
            job.Progress(p.Done, p.Total);
            await db.SaveChangesAsync(ct);
        }

        return job.CancelRequested;
    }

    private async Task FinishAsync(long jobId, Action<ExportJob> finish)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var job = await db.ExportJobs.SingleAsync(j => j.Id == jobId, CancellationToken.None);
        finish(job);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>"bund-futures-2026-017-transcript-20261130-1600.pdf": the matter in plain letters and digits, and when.</summary>
    private string FileName(ResolvedExport scope, ExportJob job)
    {
        var name = new StringBuilder();
        foreach (var c in $"{scope.Matter} {scope.MatterNumber}".Normalize(NormalizationForm.FormKD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                name.Append(char.ToLowerInvariant(c));
            }
            else if (name.Length > 0 && name[^1] != '-' && (char.IsWhiteSpace(c) || c is '-' or '_' or '.' or '/'))
            {
                name.Append('-');
            }
        }

        var slug = name.ToString().Trim('-');
        slug = slug.Length == 0 ? $"production-{job.Id}" : slug[..Math.Min(slug.Length, 60)].Trim('-');
        var what = job.FormatKind == ExportFormat.Pdf ? "transcript" : "ediscovery";
        return $"{slug}-{what}-{clock.GetUtcNow().UtcDateTime:yyyyMMdd-HHmm}.{job.FormatKind.Extension()}";
    }

    private sealed class LatestProgress : IProgress<ExportProgress>
    {
        private ExportProgress? _latest;

        public ExportProgress? Latest => Volatile.Read(ref _latest);

        public void Report(ExportProgress value) => Volatile.Write(ref _latest, value);
    }
}
