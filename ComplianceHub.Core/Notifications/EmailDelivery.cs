using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Notifications;

// Stored as numbers: never renumber.
public enum EmailDeliveryStatus
{
    Pending = 0,
    Sent = 1,

    /// <summary>Every attempt failed; administrators see it and may send it again.</summary>
    Failed = 2,
}

/// <summary>
/// The e-mail copy of a notification, kept until it is sent: attempts, the last error and when to try next, so that a
/// failure is retried with back-off and, once the attempts are spent, shown to administrators, never dropped.
/// </summary>
public sealed class EmailDelivery
{
    public const int MaxAttempts = 6;

    private EmailDelivery()
    {
    }

    internal EmailDelivery(long notificationId, string to, string subject, string body, DateTimeOffset at)
    {
        NotificationId = notificationId;
        ToAddress = to;
        Subject = subject;
        Body = body;
        CreatedAt = at;
        NextAttemptAt = at;
    }

    public long Id { get; private set; }
    public long NotificationId { get; private set; }
    public string ToAddress { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public string Body { get; private set; } = "";
    public EmailDeliveryStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? NextAttemptAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }

    internal void Sent(DateTimeOffset at)
    {
        Status = EmailDeliveryStatus.Sent;
        Attempts++;
        SentAt = at;
        NextAttemptAt = null;
        LastError = null;
    }

    /// <summary>Records a failed attempt: tried again after 1, 5, 30 minutes, 2 and 12 hours, then failed for good.</summary>
    internal void AttemptFailed(string error, DateTimeOffset at)
    {
        Attempts++;
        LastError = error.Length > 1000 ? error[..1000] : error;
        if (Attempts >= MaxAttempts)
        {
            Status = EmailDeliveryStatus.Failed;
            NextAttemptAt = null;
            return;
        }

        NextAttemptAt = at + Attempts switch
        {
            1 => TimeSpan.FromMinutes(1),
            2 => TimeSpan.FromMinutes(5),
            3 => TimeSpan.FromMinutes(30),
            4 => TimeSpan.FromHours(2),
            _ => TimeSpan.FromHours(12),
        };
    }

    /// <summary>An administrator asks for a failed delivery to be sent again: a fresh round of attempts.</summary>
    internal void Retry(DateTimeOffset at)
    {
        Status = EmailDeliveryStatus.Pending;
        Attempts = 0;
        NextAttemptAt = at;
    }
}

internal sealed class EmailDeliveryConfiguration : IEntityTypeConfiguration<EmailDelivery>
{
    public void Configure(EntityTypeBuilder<EmailDelivery> builder)
    {
        builder.ToTable("EmailDeliveries");
        builder.Property(d => d.Status).HasConversion<int>();
        builder.Property(d => d.ToAddress).HasMaxLength(256).IsRequired();
        builder.Property(d => d.Subject).HasMaxLength(Notification.MaxTitleLength).IsRequired();
        builder.Property(d => d.Body).HasMaxLength(8000).IsRequired();
        builder.Property(d => d.LastError).HasMaxLength(1000);
        builder.HasOne<Notification>().WithMany().HasForeignKey(d => d.NotificationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
    }
}
