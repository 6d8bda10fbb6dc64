using ComplianceHub.Core.Storage;

namespace ComplianceHub.Core.Integrity;

/// <summary>
/// Where checkpoints of the chains' heads are kept and what signs them (<c>Integrity:*</c>). Both must lie outside the
/// data directory, so that whoever can rewrite the database and the blob store cannot also rewrite what proves their
/// state: mount them from other storage in production. Unset, they sit beside the data directory
/// (<c>App_Data-checkpoints/</c>, <c>App_Data-keys/checkpoint-signing.pem</c>, created owner-only on first use).
/// </summary>
public sealed class IntegrityOptions
{
    public const string SectionName = "Integrity";

    /// <summary>The append-only checkpoint log's directory.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>An optional second directory every checkpoint is also appended to (another disk, a mounted share).</summary>
    public string? MirrorDirectory { get; set; }

    /// <summary>The ECDSA P-256 private key (PEM) that signs checkpoints; created when missing.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>
    /// An RFC 3161 time-stamping authority (<c>https://…</c>) asked to countersign each checkpoint's line; its tokens go
    /// to <c>timestamps.log</c> beside the checkpoint log. Unset, checkpoints carry no third-party time.
    /// </summary>
    public string? TimestampAuthorityUrl { get; set; }

    /// <summary>The authority's certificate (PEM or DER) that tokens must chain to; unset, any validly signed token is taken.</summary>
    public string? TimestampAuthorityCertificateFile { get; set; }

    /// <summary>How often the web host seals a checkpoint when anything changed.</summary>
    public int CheckpointMinutes { get; set; } = 5;

    /// <summary>The paths in force: configured ones, else beside the data directory; refused when inside it.</summary>
    public (string Directory, string? Mirror, string KeyFile) Resolve(StorageSettings storage)
    {
        var data = Path.TrimEndingDirectorySeparator(Path.GetFullPath(storage.DataDirectory));
        var parent = Path.GetDirectoryName(data) ?? data;
        var name = Path.GetFileName(data);
        var directory = Full(CheckpointDirectory, parent) ?? Path.Combine(parent, name + "-checkpoints");
        var mirror = Full(MirrorDirectory, parent);
        var key = Full(SigningKeyFile, parent) ?? Path.Combine(parent, name + "-keys", "checkpoint-signing.pem");
        foreach (var (path, setting) in new[] { (directory, "CheckpointDirectory"), (mirror, "MirrorDirectory"), (key, "SigningKeyFile") })
        {
            if (path is not null && (path == data || path.StartsWith(data + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            {
                throw new InvalidOperationException(
                    $"{SectionName}:{setting} ({path}) is inside the data directory; checkpoints and their key must live elsewhere, or they prove nothing.");
            }
        }

        return (directory, mirror, key);
    }

    private static string? Full(string? path, string root) => string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path, root);
}
