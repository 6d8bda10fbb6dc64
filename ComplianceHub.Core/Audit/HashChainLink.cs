namespace ComplianceHub.Core.Audit;

/// <summary>The one rule every hash chain is verified by, for the audit trail and the archive alike.</summary>
public static class HashChainLink
{
    /// <summary>
    /// Why a stored record does not verify at its place in the chain, or null when it does: its position
    /// must follow the last one (a gap means removed records), its link must name the previous record's
    /// hash (reordered or inserted records), and its hash must match its content (altered fields).
    /// </summary>
    public static string? Problem(
        long expectedPosition, long position, string expectedPreviousHash, string previousHash, string hash, Func<string> computeHash, string records) =>
        position != expectedPosition ? $"expected position {expectedPosition} next but found {position}: {records} are missing"
        : !string.Equals(previousHash, expectedPreviousHash, StringComparison.Ordinal) ? "its link to the previous record does not match"
        : !string.Equals(hash, computeHash(), StringComparison.Ordinal) ? "its content does not match its hash"
        : null;
}
