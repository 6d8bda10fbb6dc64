using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Archive.Capture;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.Property(d => d.Body).IsRequired();
        builder.Property(d => d.BodySha256).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(d => d.RemoteAddress).HasMaxLength(64);
        builder.Property(d => d.Status).HasConversion<int>();
        builder.Property(d => d.Error).HasMaxLength(4000);
        builder.HasIndex(d => new { d.Status, d.Id });
        builder.HasIndex(d => d.ReceivedAt);
    }
}

internal sealed class WebhookRejectionConfiguration : IEntityTypeConfiguration<WebhookRejection>
{
    public void Configure(EntityTypeBuilder<WebhookRejection> builder)
    {
        builder.ToTable("WebhookRejections");
        builder.Property(r => r.Reason).HasMaxLength(64).IsRequired();
        builder.Property(r => r.RemoteAddress).HasMaxLength(64);
        builder.HasIndex(r => r.ReceivedAt);
    }
}

internal sealed class MessageStatusEventConfiguration : IEntityTypeConfiguration<MessageStatusEvent>
{
    public void Configure(EntityTypeBuilder<MessageStatusEvent> builder)
    {
        builder.ToTable("MessageStatusEvents");
        builder.Property(s => s.ExternalId).HasMaxLength(256).IsRequired();
        builder.Property(s => s.Status).HasMaxLength(32).IsRequired();
        builder.Property(s => s.RecipientId).HasMaxLength(160);
        builder.Property(s => s.PhoneNumberId).HasMaxLength(64);
        builder.Property(s => s.ErrorsJson).HasMaxLength(8000);
        builder.HasIndex(s => new { s.ExternalId, s.Status }).IsUnique();
        builder.HasOne<WebhookDelivery>().WithMany().HasForeignKey(s => s.WebhookDeliveryId).OnDelete(DeleteBehavior.Restrict);
    }
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
