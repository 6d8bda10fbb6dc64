using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Integrity;

/// <summary>
/// Re-hashes from disk every blob a record names (<see cref="BlobUses"/>: message attachments, original exports, policy
/// attachments, course files, SCORM packages, productions), in parallel: a blob missing, or whose bytes no longer hash to
/// the name the record gave it, is a finding naming the record. Blobs are checked in order of their hash, a slice at a
/// time; after each slice the position and the findings so far are written beside the checkpoint log, so a run that
/// was stopped resumes there (<see cref="IntegrityRun.Resume"/>) instead of re-reading terabytes.
/// </summary>
public sealed class BlobVerifier(IDbContextFactory<ComplianceHubDbContext> dbFactory, IBlobStore blobs, IEnumerable<BlobUses> uses, CheckpointService checkpoints)
    : IIntegrityCheck
{
    public const string Check = "blobs";

    /// <summary>The resume file: where the last stopped run had got to.</summary>
    /// <summary>How many blobs are hashed between two notes of the position (and two progress reports).</summary>
    internal int Slice { get; set; } = 512;

    public string StatePath => Path.Combine(Path.GetDirectoryName(checkpoints.Paths.Log)!, "blob-verification.json");

    public Task<IReadOnlyList<ChainVerificationResult>> VerifyAsync(CancellationToken ct = default) => VerifyAsync(IntegrityRun.Default, ct);

    public async Task<IReadOnlyList<ChainVerificationResult>> VerifyAsync(IntegrityRun run, CancellationToken ct)
    {
        // One entry per blob: the first record naming it stands for the rest in a finding.
        var expected = new SortedDictionary<string, BlobUse>(StringComparer.Ordinal);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            foreach (var column in uses)
            {
                foreach (var use in await column.ReadAsync(db, ct))
                {
                    expected.TryAdd(use.Sha256, use);
                }
            }
        }

        var state = run.Resume ? ReadState() : null;
        var findings = new ConcurrentBag<ChainVerificationResult>(state?.Findings.Select(f => f.ToResult()) ?? []);
        var pending = state is null ? expected.ToList() : expected.Where(e => string.CompareOrdinal(e.Key, state.Through) > 0).ToList();
        long done = expected.Count - pending.Count, bytes = 0;
        run.Progress?.Report(new IntegrityProgress(Check, done, expected.Count));
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct };
        for (var start = 0; start < pending.Count; start += Slice)
        {
            var slice = pending.Skip(start).Take(Slice);
            await Parallel.ForEachAsync(slice, options, async (item, token) =>
            {
                var (sha256, use) = item;
                string actual;
                try
                {
                    await using var stream = await blobs.OpenReadAsync(sha256, token);
                    if (stream is null)
                    {
                        findings.Add(new ChainVerificationResult(use.Kind, 0, use.Record, $"its file (SHA-256 {sha256[..16]}…) is missing from the blob store", null));
                        return;
                    }

                    actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, token));
                    Interlocked.Add(ref bytes, stream.Length);
                }
                catch (InvalidDataException e)
                {
                    // Sealed bytes that fail their authentication, or whose key is gone.
                    findings.Add(new ChainVerificationResult(use.Kind, 0, use.Record, $"its file (SHA-256 {sha256[..16]}…) cannot be read: {e.Message}", null));
                    return;
                }

                if (actual != sha256)
                {
                    findings.Add(new ChainVerificationResult(use.Kind, 0, use.Record, $"its file's bytes hash to {actual[..16]}…, not the {sha256[..16]}… it was stored under", null));
                }
            });

            done += Math.Min(Slice, pending.Count - start);
            await WriteStateAsync(new VerificationState(pending[Math.Min(start + Slice, pending.Count) - 1].Key, findings.Select(StoredFinding.From).ToList()), ct);
            run.Progress?.Report(new IntegrityProgress(Check, done, expected.Count, Interlocked.Read(ref bytes)));
        }

        // The run finished: the next one starts from the beginning.
        if (File.Exists(StatePath))
        {
            File.Delete(StatePath);
        }
        return findings.IsEmpty
            ? [new ChainVerificationResult(Check, expected.Count, null, null, null)]
            : findings.OrderBy(f => f.Chain, StringComparer.Ordinal).ThenBy(f => f.BrokenRecord, StringComparer.Ordinal).ToList();
    }

    private VerificationState? ReadState()
    {
        try
        {
            return File.Exists(StatePath) ? JsonSerializer.Deserialize<VerificationState>(File.ReadAllText(StatePath)) : null;
        }
        catch (JsonException)
        {
            // A state file cut short by the stop: start over rather than trust it.
            return null;
        }
    }

    private async Task WriteStateAsync(VerificationState state, CancellationToken ct)
    {
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(StatePath)!);
        var temporary = StatePath + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(state), ct);
        File.Move(temporary, StatePath, overwrite: true);
    }

    private sealed record VerificationState(string Through, List<StoredFinding> Findings);

    private sealed record StoredFinding(string Kind, string Record, string Problem)
    {
        public static StoredFinding From(ChainVerificationResult r) => new(r.Chain, r.BrokenRecord!, r.Problem!);

        public ChainVerificationResult ToResult() => new(Kind, 0, Record, Problem, null);
    }
}
