using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Archive.Capture;

/// <summary>
/// Webhook requests refused before storage (bad or missing signature, too large), for one reason from one address: how
/// many, from when to when (<see cref="WebhookRefusals"/> writes a row per flush). Never their bodies.
/// </summary>
public sealed class WebhookRejection
{
    private WebhookRejection()
    {
    }

    public WebhookRejection(DateTimeOffset receivedAt, string reason, string? remoteAddress, int count = 1, DateTimeOffset? lastAt = null)
    {
        ReceivedAt = receivedAt;
        Reason = reason;
        RemoteAddress = remoteAddress;
        Count = count;
        LastAt = lastAt ?? receivedAt;
    }

    public long Id { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
    public string Reason { get; private set; } = "";
    public string? RemoteAddress { get; private set; }

    /// <summary>How many requests this row stands for (1 for rows written before refusals were counted in memory).</summary>
    public int Count { get; private set; } = 1;

    /// <summary>When the last of them came.</summary>
    public DateTimeOffset LastAt { get; private set; }
}

internal sealed class WebhookRejectionConfiguration : IEntityTypeConfiguration<WebhookRejection>
{
    public void Configure(EntityTypeBuilder<WebhookRejection> builder)
    {
        builder.ToTable("WebhookRejections");
        builder.Property(r => r.Reason).HasMaxLength(64).IsRequired();
        builder.Property(r => r.RemoteAddress).HasMaxLength(64);
        builder.Property(r => r.Count).HasDefaultValue(1);
        builder.HasIndex(r => r.ReceivedAt);
    }
}
