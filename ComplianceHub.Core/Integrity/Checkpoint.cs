using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Integrity;

/// <summary>A chain's length and the hash of its last record.</summary>
public sealed record ChainHead(long Length, string Head);

/// <summary>A conversation's message chain: how many messages, ending in which hash.</summary>
public sealed record ConversationHead(long Id, long Length, string Head);

/// <summary>A record sealed whole (an import batch): its id and the digest of the fields that must not change.</summary>
public sealed record SealedRow(long Id, string Digest);

/// <summary>
/// Rows sealed in id order by a running digest (the webhook inbox): every row up to <see cref="LastId"/>, how many,
/// and the digest after the last of them (each row's digest folded into the one before it).
/// </summary>
public sealed record SealedRange(long LastId, long Count, string Digest);

/// <summary>An <see cref="EvidenceRecord"/> as a checkpoint sealed it: its kind and id, its digest, and whether it was closed.</summary>
public sealed record SealedRecord(string Kind, long Id, string Digest, bool Closed);

/// <summary>
/// One checkpoint: the heads of the archive's chains at a moment, as one line of the checkpoint log. Conversations and
/// import batches appear when they changed since the checkpoint before; the log read from its first line gives them
/// all, and so do evidence records (<see cref="Records"/>, new or changed since). Each line names the one before it (<see cref="Previous"/>, the SHA-256 of that line) and is signed.
/// </summary>
public sealed record Checkpoint(
    long Sequence, DateTimeOffset SealedAt, string Reason, string Previous, string KeyId, ChainHead Audit, int ConversationCount,
    IReadOnlyList<ConversationHead> Conversations, IReadOnlyList<SealedRow> Imports, SealedRange Inbox, IReadOnlyList<SealedRecord>? Records = null);

/// <summary>
/// The database's note of each checkpoint sealed (its line's SHA-256): a log that lost lines, or a database restored
/// from before a checkpoint, shows as a difference between the two. Append-only.
/// </summary>
public sealed class IntegrityCheckpoint : IAppendOnly
{
    private IntegrityCheckpoint()
    {
    }

    internal IntegrityCheckpoint(long sequence, DateTimeOffset sealedAt, string reason, string lineSha256, long auditLength, int conversations, long messages)
    {
        Sequence = sequence;
        SealedAt = sealedAt;
        Reason = reason;
        LineSha256 = lineSha256;
        AuditLength = auditLength;
        Conversations = conversations;
        Messages = messages;
    }

    public long Sequence { get; private set; }
    public DateTimeOffset SealedAt { get; private set; }
    public string Reason { get; private set; } = "";
    public string LineSha256 { get; private set; } = "";
    public long AuditLength { get; private set; }
    public int Conversations { get; private set; }
    public long Messages { get; private set; }
}

internal sealed class IntegrityCheckpointConfiguration : IEntityTypeConfiguration<IntegrityCheckpoint>
{
    public void Configure(EntityTypeBuilder<IntegrityCheckpoint> builder)
    {
        builder.ToTable("IntegrityCheckpoints");
        builder.HasKey(c => c.Sequence);
        builder.Property(c => c.Sequence).ValueGeneratedNever();
        builder.Property(c => c.Reason).HasMaxLength(100).IsRequired();
        builder.Property(c => c.LineSha256).HasMaxLength(64).IsRequired();
    }
}
