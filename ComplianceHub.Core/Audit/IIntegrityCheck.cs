namespace ComplianceHub.Core.Audit;

/// <summary>One hash chain that <see cref="IntegrityVerificationService"/> walks (the audit trail, archive chains, …).</summary>
public interface IIntegrityCheck
{
    Task<IReadOnlyList<ChainVerificationResult>> VerifyAsync(CancellationToken ct = default);

    /// <summary>The same check, reporting progress and resuming an interrupted run where the check can (the blobs' re-hash).</summary>
    Task<IReadOnlyList<ChainVerificationResult>> VerifyAsync(IntegrityRun run, CancellationToken ct) => VerifyAsync(ct);
}

/// <summary>How one <c>verify</c> runs: where its long checks report progress, and whether they resume an interrupted run.</summary>
public sealed record IntegrityRun(IProgress<IntegrityProgress>? Progress = null, bool Resume = false)
{
    public static IntegrityRun Default { get; } = new();
}

/// <summary>How far a long check has got: <paramref name="Done"/> of <paramref name="Total"/> items (files, records).</summary>
public sealed record IntegrityProgress(string Check, long Done, long Total, long Bytes = 0);
