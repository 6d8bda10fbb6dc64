using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Archive;

/// <summary>A file a message carries; its bytes live in the blob store under <see cref="Sha256"/>.</summary>
public sealed class ChatAttachment : IAppendOnly
{
    private ChatAttachment()
    {
    }

    internal ChatAttachment(int ordinal, string fileName, string mediaType, long? length, string? sha256, AttachmentStatus status)
    {
        Ordinal = ordinal;
        FileName = fileName;
        MediaType = mediaType;
        Length = length;
        Sha256 = sha256;
        Status = status;
    }

    public long Id { get; private set; }
    public long MessageId { get; private set; }

    /// <summary>Order among the message's attachments, from 0.</summary>
    public int Ordinal { get; private set; }

    public string FileName { get; private set; } = "";
    public string MediaType { get; private set; } = "";
    public long? Length { get; private set; }

    /// <summary>Lowercase hex SHA-256 of the bytes and their blob-store address; null when missing.</summary>
    public string? Sha256 { get; private set; }

    public AttachmentStatus Status { get; private set; }
}

internal sealed class ChatAttachmentConfiguration : IEntityTypeConfiguration<ChatAttachment>
{
    public void Configure(EntityTypeBuilder<ChatAttachment> builder)
    {
        builder.ToTable("ChatAttachments");
        builder.Property(a => a.FileName).HasMaxLength(512).IsRequired();
        builder.Property(a => a.MediaType).HasMaxLength(128).IsRequired();
        builder.Property(a => a.Sha256).HasMaxLength(64).IsFixedLength();
        builder.Property(a => a.Status).HasConversion<int>();
        builder.HasIndex(a => new { a.MessageId, a.Ordinal }).IsUnique();
        builder.HasIndex(a => a.Sha256);
    }
}
