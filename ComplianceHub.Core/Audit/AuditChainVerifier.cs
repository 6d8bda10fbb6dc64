using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Audit;

/// <summary>
/// Walks the audit chain from the first record and reports the first record whose position, link or
/// hash does not verify: an altered field changes the hash, a removed record leaves a gap in the ids,
/// an inserted or reordered record breaks the link to its predecessor.
/// </summary>
public sealed class AuditChainVerifier(IDbContextFactory<ComplianceHubDbContext> dbFactory) : IIntegrityCheck
{
    public const string ChainName = "audit";
    private const int BatchSize = 2000;

    public async Task<IReadOnlyList<ChainVerificationResult>> VerifyAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        long expectedId = 1;
        var previousHash = AuditEvent.GenesisHash;
        long checkedCount = 0;

        while (true)
        {
            var afterId = expectedId - 1;
            var batch = await db.AuditEvents.AsNoTracking()
                .Where(e => e.Id > afterId)
                .OrderBy(e => e.Id)
                .Take(BatchSize)
                .ToListAsync(ct);
            if (batch.Count == 0)
            {
                return [new ChainVerificationResult(ChainName, checkedCount, null, null, checkedCount == 0 ? null : previousHash)];
            }

            foreach (var record in batch)
            {
                var problem = HashChainLink.Problem(expectedId, record.Id, previousHash, record.PreviousHash, record.Hash, record.ComputeHash, "records");
                if (problem is not null)
                {
                    return [new ChainVerificationResult(ChainName, checkedCount, $"audit event {record.Id}", problem, null)];
                }

                previousHash = record.Hash;
                expectedId++;
                checkedCount++;
            }
        }
    }
}
