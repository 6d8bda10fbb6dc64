namespace ComplianceHub.Core.Storage.Blobs;

/// <summary>
/// The address of a stored blob: its SHA-256 (lowercase hex) and its length in bytes.
/// <see cref="Created"/> is true when this put stored new bytes rather than finding them already there.
/// </summary>
public sealed record BlobReference(string Sha256, long Length, bool Created = false)
{
    public static bool IsValidSha256(string? value) =>
        value is { Length: 64 } && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
