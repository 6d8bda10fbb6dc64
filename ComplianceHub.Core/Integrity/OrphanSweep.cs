using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ComplianceHub.Core.Integrity;

/// <summary>What one sweep removed.</summary>
public sealed record OrphanSweepResult(int Blobs, long BlobBytes, int PartialWrites, int ScratchDirectories, long ScratchBytes)
{
    public int Total => Blobs + PartialWrites + ScratchDirectories;
}

/// <summary>
/// Removes what work that never finished left on disk: blobs no record names (an import or a download killed between
/// storing its files and committing the records that name them, or rolled back since), partial files of puts whose
/// process died, and upload copies whose process died (<see cref="ScratchDirectory"/>). Run when the web host starts
/// and every hour; each sweep that removes anything is logged and audited with its counts. A blob is only an orphan
/// once no record has named it for <see cref="OrphanAfter"/> since it was last put (every writer names its blob within
/// seconds), and a database that names no blob at all while the store holds some is taken for the wrong database: the
/// sweep then removes nothing and says so.
/// </summary>
public sealed class OrphanSweep(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, IBlobStore blobs, IEnumerable<BlobUses> uses, StorageSettings storage,
    AuditLog audit, TimeProvider clock, ILogger<OrphanSweep> logger)
{
    public static readonly TimeSpan OrphanAfter = TimeSpan.FromMinutes(5);

    public async Task<OrphanSweepResult> RunAsync(CancellationToken ct = default)
    {
        var (scratch, scratchBytes) = ScratchDirectory.RemoveAbandoned(storage, clock);
        var (partial, partialBytes) = await blobs.RemoveAbandonedWritesAsync(ct);

        // What records name is read before the store is listed: a blob put after this read is younger than OrphanAfter.
        var named = new HashSet<string>(StringComparer.Ordinal);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            foreach (var column in uses)
            {
                await foreach (var sha256 in column.Hashes(db).AsAsyncEnumerable().WithCancellation(ct))
                {
                    named.Add(sha256.Trim());
                }
            }
        }

        var settled = clock.GetUtcNow() - OrphanAfter;
        var orphans = new List<StoredBlob>();
        var stored = 0;
        await foreach (var blob in blobs.ListAsync(ct))
        {
            stored++;
            if (!named.Contains(blob.Sha256) && blob.PutAt < settled)
            {
                orphans.Add(blob);
            }
        }

        if (named.Count == 0 && stored > 0 && orphans.Count > 0)
        {
            logger.LogError("The database names none of the {Count} blob(s) in the blob store: is it the right database for this data directory? No blob was removed", stored);
            orphans.Clear();
        }

        foreach (var orphan in orphans)
        {
            await blobs.DeleteUncommittedAsync(orphan.Sha256, ct);
        }

        var result = new OrphanSweepResult(orphans.Count, orphans.Sum(o => o.Length), partial, scratch, scratchBytes + partialBytes);
        if (result.Total > 0)
        {
            logger.LogWarning(
                "Removed what unfinished work left: {Blobs} blob(s) no record names ({BlobBytes} bytes), {Partial} partial blob write(s), {Scratch} upload copy(ies) ({ScratchBytes} bytes)",
                result.Blobs, result.BlobBytes, result.PartialWrites, result.ScratchDirectories, result.ScratchBytes);
            await audit.RecordInOwnTransactionAsync(AuditEventType.OrphanedFilesRemoved, AuditActor.System, details: new
            {
                blobs = result.Blobs,
                blobBytes = result.BlobBytes,
                // Named, up to a hundred: enough to find them in a backup, not a record the size of the store.
                blobsRemoved = orphans.Take(100).Select(o => new { sha256 = o.Sha256, length = o.Length, putAt = o.PutAt }),
                partialWrites = partial,
                uploadCopies = scratch,
                otherBytes = result.ScratchBytes,
            }, ct: ct);
        }

        return result;
    }
}
