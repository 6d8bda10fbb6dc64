namespace ComplianceHub.Core.Audit;

/// <summary>
/// The outcome of walking one hash chain. When broken, <see cref="BrokenRecord"/> names the first
/// record that does not verify and <see cref="Problem"/> says why.
/// </summary>
public sealed record ChainVerificationResult(
    string Chain, long RecordsChecked, string? BrokenRecord, string? Problem, string? HeadHash)
{
    public bool IsIntact => BrokenRecord is null;
}
