namespace ComplianceHub.Core.Audit;

/// <summary>One hash chain that <see cref="IntegrityVerificationService"/> walks (the audit trail, archive chains, …).</summary>
public interface IIntegrityCheck
{
    Task<IReadOnlyList<ChainVerificationResult>> VerifyAsync(CancellationToken ct = default);
}
