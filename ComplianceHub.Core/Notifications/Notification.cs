using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Notifications;

/// <summary>
/// A message to one sign-in account in its in-app inbox (and by e-mail when SMTP is configured): what it is about
/// (<see cref="ItemKey"/>, e.g. a policy version to sign) and the period it was sent in, so that the same item is
/// never notified twice in one period.
/// </summary>
public sealed class Notification
{
    public const int MaxTitleLength = 300;
    public const int MaxBodyLength = 4000;

    private Notification()
    {
    }

    internal Notification(string userId, NotificationRequest request, DateTimeOffset at)
    {
        UserId = userId;
        Category = request.Category;
        ItemKey = request.ItemKey;
        Period = request.Period;
        Title = request.Title.Length > MaxTitleLength ? request.Title[..MaxTitleLength] : request.Title;
        Body = request.Body.Length > MaxBodyLength ? request.Body[..MaxBodyLength] : request.Body;
        Link = request.Link;
        CreatedAt = at;
    }

    public long Id { get; private set; }
    public string UserId { get; private set; } = "";

    /// <summary>Which feature sent it ("policy", "training", "hold", "recertification").</summary>
    public string Category { get; private set; } = "";

    /// <summary>What it is about, e.g. "policy-version:12".</summary>
    public string ItemKey { get; private set; } = "";

    /// <summary>The reminder period it belongs to ("r:2026-12-01" for the cadence period starting then, "manual:…" for one sent by hand).</summary>
    public string Period { get; private set; } = "";

    public string Title { get; private set; } = "";
    public string Body { get; private set; } = "";

    /// <summary>Where in the portal to act on it (relative, e.g. "my-compliance/policies/12").</summary>
    public string? Link { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ReadAt { get; private set; }

    internal void MarkRead(DateTimeOffset at) => ReadAt ??= at;
}

/// <summary>What to tell someone: see <see cref="Notification"/> for each part.</summary>
public sealed record NotificationRequest(string Category, string ItemKey, string Period, string Title, string Body, string? Link);

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("Notifications");
        builder.Property(n => n.UserId).HasMaxLength(450).IsRequired();
        builder.Property(n => n.Category).HasMaxLength(40).IsRequired();
        builder.Property(n => n.ItemKey).HasMaxLength(200).IsRequired();
        builder.Property(n => n.Period).HasMaxLength(60).IsRequired();
        builder.Property(n => n.Title).HasMaxLength(Notification.MaxTitleLength).IsRequired();
        builder.Property(n => n.Body).HasMaxLength(Notification.MaxBodyLength).IsRequired();
        builder.Property(n => n.Link).HasMaxLength(500);

        // The same item is notified at most once per period: enforced by the database, whichever host sends.
        builder.HasIndex(n => new { n.UserId, n.ItemKey, n.Period }).IsUnique();
        builder.HasIndex(n => new { n.UserId, n.ReadAt });
    }
}
