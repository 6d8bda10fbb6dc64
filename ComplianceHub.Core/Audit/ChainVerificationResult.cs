namespace ComplianceHub.Core.Audit;

/// <summary>
/// The outcome of walking one hash chain. When broken, <see cref="BrokenRecord"/> names the first
/// record that does not verify and <see cref="Problem"/> says why. <see cref="TombstonesCrossed"/> counts the records a
/// disposition removed that the walk crossed by their tombstones (part of <see cref="RecordsChecked"/>).
/// </summary>
public sealed record ChainVerificationResult(
    string Chain, long RecordsChecked, string? BrokenRecord, string? Problem, string? HeadHash, long TombstonesCrossed = 0)
{
    public bool IsIntact => BrokenRecord is null;
}
