using System.Collections.Concurrent;
using System.Security.Cryptography;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Integrity;

/// <summary>
/// Re-hashes from disk every blob the archive holds as evidence (message attachments, original export files), in
/// parallel: a blob missing, or whose bytes no longer hash to the name the archive recorded, is a finding naming the
/// record that holds it.
/// </summary>
public sealed class BlobVerifier(IDbContextFactory<ComplianceHubDbContext> dbFactory, IBlobStore blobs) : IIntegrityCheck
{
    public const string AttachmentKind = "attachment blob";
    public const string OriginalKind = "original export";

    public async Task<IReadOnlyList<ChainVerificationResult>> VerifyAsync(CancellationToken ct = default)
    {
        var expected = new Dictionary<string, (string Kind, string Record)>(StringComparer.Ordinal);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            foreach (var batch in await db.ImportBatches.AsNoTracking().Where(b => b.CompletedAt != null).OrderBy(b => b.Id)
                         .Select(b => new { b.Id, b.OriginalSha256, b.OriginalFileName }).ToListAsync(ct))
            {
                expected.TryAdd(batch.OriginalSha256, (OriginalKind, $"import batch {batch.Id} ({batch.OriginalFileName})"));
            }

            foreach (var attachment in await db.ChatAttachments.AsNoTracking().Where(a => a.Sha256 != null).OrderBy(a => a.Id)
                         .Select(a => new { a.Id, a.MessageId, a.Sha256, a.FileName }).ToListAsync(ct))
            {
                expected.TryAdd(attachment.Sha256!, (AttachmentKind, $"attachment {attachment.Id} ({attachment.FileName}) of message {attachment.MessageId}"));
            }
        }

        var findings = new ConcurrentBag<ChainVerificationResult>();
        await Parallel.ForEachAsync(expected, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct }, async (item, token) =>
        {
            var (sha256, (kind, record)) = item;
            await using var stream = await blobs.OpenReadAsync(sha256, token);
            if (stream is null)
            {
                findings.Add(new ChainVerificationResult(kind, 0, record, $"its file (SHA-256 {sha256[..16]}…) is missing from the blob store", null));
                return;
            }

            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, token));
            if (actual != sha256)
            {
                findings.Add(new ChainVerificationResult(kind, 0, record, $"its file's bytes hash to {actual[..16]}…, not the {sha256[..16]}… it was stored under", null));
            }
        });

        return findings.IsEmpty
            ? [new ChainVerificationResult("blobs", expected.Count, null, null, null)]
            : findings.OrderBy(f => f.Chain, StringComparer.Ordinal).ThenBy(f => f.BrokenRecord, StringComparer.Ordinal).ToList();
    }
}
