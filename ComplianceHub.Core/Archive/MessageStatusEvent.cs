using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Archive;

/// <summary>
/// One delivery status Meta reported for a message the business sent (<c>statuses[]</c>: sent,
/// delivered, read, played, failed). Statuses carry no content and may arrive before, after or without
/// the message they describe, so they are keyed by the message's WhatsApp id rather than linked by row.
/// Append-only: stored once per (message id, status).
/// </summary>
public sealed class MessageStatusEvent : IAppendOnly
{
    private MessageStatusEvent()
    {
    }

    internal MessageStatusEvent(
        string externalId, string status, DateTimeOffset occurredAt, string? recipientId, string? phoneNumberId,
        string? errorsJson, long webhookDeliveryId, DateTimeOffset recordedAt)
    {
        ExternalId = externalId;
        Status = status;
        OccurredAt = occurredAt;
        RecipientId = recipientId;
        PhoneNumberId = phoneNumberId;
        ErrorsJson = errorsJson;
        WebhookDeliveryId = webhookDeliveryId;
        RecordedAt = recordedAt;
    }

    public long Id { get; private set; }

    /// <summary>The WhatsApp id (<c>wamid.…</c>) of the business's message.</summary>
    public string ExternalId { get; private set; } = "";

    /// <summary>Meta's status word, kept as sent: <c>sent</c>, <c>delivered</c>, <c>read</c>, <c>played</c>, <c>failed</c> or a newer one.</summary>
    public string Status { get; private set; } = "";

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>The recipient's wa_id (or business-scoped user id when the number is withheld).</summary>
    public string? RecipientId { get; private set; }

    /// <summary>The business number (<c>phone_number_id</c>) the message was sent from.</summary>
    public string? PhoneNumberId { get; private set; }

    /// <summary>Meta's <c>errors[]</c> for a failed delivery, as JSON.</summary>
    public string? ErrorsJson { get; private set; }

    public long WebhookDeliveryId { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
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
    }
}
