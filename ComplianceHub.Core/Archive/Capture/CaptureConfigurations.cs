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
