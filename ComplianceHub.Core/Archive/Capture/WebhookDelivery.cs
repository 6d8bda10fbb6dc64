using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Archive.Capture;

public enum WebhookDeliveryStatus
{
    Pending = 0,
    Processed = 1,
    Failed = 2,
}

/// <summary>
/// A verified webhook payload exactly as received, written durably before the endpoint answers 200.
/// Meta keeps no copy to fetch later, so this inbox row is the evidence; processing turns it into
/// archive records and a crash in between loses nothing.
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery()
    {
    }

    public WebhookDelivery(DateTimeOffset receivedAt, string body, string bodySha256, string? remoteAddress)
    {
        ReceivedAt = receivedAt;
        Body = body;
        BodySha256 = bodySha256;
        RemoteAddress = remoteAddress;
    }

    public long Id { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }

    /// <summary>The raw JSON body, byte for byte as UTF-8 text.</summary>
    public string Body { get; private set; } = "";

    public string BodySha256 { get; private set; } = "";
    public string? RemoteAddress { get; private set; }
    public WebhookDeliveryStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public string? Error { get; private set; }
    public DateTimeOffset? ProcessedAt { get; private set; }
}

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

        // Delivery history is archived data (Archive); the delivery it came in is capture's.
        builder.HasMany<MessageStatusEvent>().WithOne().HasForeignKey(s => s.WebhookDeliveryId).OnDelete(DeleteBehavior.Restrict);
    }
}
