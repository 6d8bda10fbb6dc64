using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Archive.Capture;

public enum MediaDownloadStatus
{
    Pending = 0,
    Stored = 1,
    Failed = 2,
}

/// <summary>
/// Fetching one captured attachment's bytes from the Graph API. The archived attachment row is
/// immutable and records what the webhook reported; this is the operational state of getting the
/// file (attempts, back-off, last error), so a slow or failing download never holds up other messages.
/// </summary>
public sealed class MediaDownload
{
    private MediaDownload()
    {
    }

    internal MediaDownload(long attachmentId, string mediaId, string? phoneNumberId, string? expectedSha256, DateTimeOffset createdAt)
    {
        AttachmentId = attachmentId;
        MediaId = mediaId;
        PhoneNumberId = phoneNumberId;
        ExpectedSha256 = expectedSha256;
        CreatedAt = createdAt;
        NextAttemptAt = createdAt;
    }

    public long Id { get; private set; }
    public long AttachmentId { get; private set; }

    /// <summary>Meta's media id from the webhook (downloadable for about 7 days).</summary>
    public string MediaId { get; private set; } = "";

    public string? PhoneNumberId { get; private set; }

    /// <summary>Meta's SHA-256 of the file from the webhook, as lowercase hex; null when it sent none.</summary>
    public string? ExpectedSha256 { get; private set; }

    public MediaDownloadStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>The SHA-256 of the stored bytes: their blob-store address.</summary>
    public string? StoredSha256 { get; private set; }

    public long? Length { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
}

internal sealed class MediaDownloadConfiguration : IEntityTypeConfiguration<MediaDownload>
{
    public void Configure(EntityTypeBuilder<MediaDownload> builder)
    {
        builder.ToTable("MediaDownloads");
        builder.Property(d => d.MediaId).HasMaxLength(128).IsRequired();
        builder.Property(d => d.PhoneNumberId).HasMaxLength(64);
        builder.Property(d => d.ExpectedSha256).HasMaxLength(64).IsFixedLength();
        builder.Property(d => d.StoredSha256).HasMaxLength(64).IsFixedLength();
        builder.Property(d => d.Status).HasConversion<int>();
        builder.Property(d => d.LastError).HasMaxLength(2000);
        builder.HasIndex(d => d.AttachmentId).IsUnique();
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasOne<ChatAttachment>().WithMany().HasForeignKey(d => d.AttachmentId).OnDelete(DeleteBehavior.Restrict);
    }
}
