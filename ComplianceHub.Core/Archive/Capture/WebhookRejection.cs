using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Archive.Capture;

/// <summary>A webhook request refused before storage (bad or missing signature, too large): counted, never its body.</summary>
public sealed class WebhookRejection
{
    private WebhookRejection()
    {
    }

    public WebhookRejection(DateTimeOffset receivedAt, string reason, string? remoteAddress)
    {
        ReceivedAt = receivedAt;
        Reason = reason;
        RemoteAddress = remoteAddress;
    }

    public long Id { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
    public string Reason { get; private set; } = "";
    public string? RemoteAddress { get; private set; }
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
