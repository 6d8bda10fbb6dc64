using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Roster;

/// <summary>Whether a number is, or may become, authorized for business messaging.</summary>
public enum AuthorizationStatus
{
    Requested = 0,
    Active = 1,
    Suspended = 2,
    Revoked = 3,
}

public enum DeviceType
{
    Business = 0,
    Personal = 1,
}

public enum CaptureMethod
{
    /// <summary>A WhatsApp Business Cloud API number captured live by the webhook.</summary>
    CloudApi = 0,

    /// <summary>A device whose chats reach the archive as export imports.</summary>
    ExportImport = 1,
}

/// <summary>An employee's WhatsApp number and its authorization; every status change is kept in <see cref="History"/>.</summary>
public sealed class AuthorizedNumber
{
    private AuthorizedNumber()
    {
    }

    internal AuthorizedNumber(string phoneE164, DeviceType device, CaptureMethod capture, DateOnly authorizedFrom, DateOnly? authorizedUntil)
    {
        PhoneE164 = phoneE164;
        Device = device;
        Capture = capture;
        AuthorizedFrom = authorizedFrom;
        AuthorizedUntil = authorizedUntil;
        Status = AuthorizationStatus.Requested;
    }

    public long Id { get; private set; }
    public long PersonId { get; private set; }

    /// <summary>The number in E.164 (<c>+447700900123</c>).</summary>
    public string PhoneE164 { get; private set; } = "";

    public DeviceType Device { get; private set; }
    public CaptureMethod Capture { get; private set; }
    public DateOnly AuthorizedFrom { get; private set; }
    public DateOnly? AuthorizedUntil { get; private set; }
    public AuthorizationStatus Status { get; private set; }

    /// <summary>Why the number has its status (a suspension or revocation reason, or why activation is blocked).</summary>
    public string? StatusReason { get; private set; }

    public string? ApprovedBy { get; private set; }

    public List<NumberStatusChange> History { get; private set; } = [];

    internal void SetDevice(DeviceType device, CaptureMethod capture)
    {
        Device = device;
        Capture = capture;
    }

    internal void SetPeriod(DateOnly from, DateOnly? until)
    {
        AuthorizedFrom = from;
        AuthorizedUntil = until;
    }

    /// <summary>Moves to <paramref name="status"/> and records the change; nothing happens when the status is already that.</summary>
    internal bool ChangeStatus(AuthorizationStatus status, string? reason, string changedBy, DateTimeOffset at)
    {
        if (status == Status && History.Count > 0)
        {
            return false;
        }

        History.Add(new NumberStatusChange(History.Count == 0 ? null : Status, status, reason, changedBy, at));
        Status = status;
        StatusReason = reason;
        if (status == AuthorizationStatus.Active)
        {
            ApprovedBy = changedBy;
        }

        return true;
    }
}

internal sealed class AuthorizedNumberConfiguration : IEntityTypeConfiguration<AuthorizedNumber>
{
    public void Configure(EntityTypeBuilder<AuthorizedNumber> builder)
    {
        builder.ToTable("AuthorizedNumbers");
        builder.Property(n => n.PhoneE164).HasMaxLength(20).IsRequired();
        builder.Property(n => n.Device).HasConversion<int>();
        builder.Property(n => n.Capture).HasConversion<int>();
        builder.Property(n => n.Status).HasConversion<int>();
        builder.Property(n => n.StatusReason).HasMaxLength(1000);
        builder.Property(n => n.ApprovedBy).HasMaxLength(256);
        builder.HasIndex(n => new { n.PersonId, n.PhoneE164 }).IsUnique();
        builder.HasIndex(n => n.PhoneE164);
        builder.HasMany(n => n.History).WithOne().HasForeignKey(h => h.AuthorizedNumberId).OnDelete(DeleteBehavior.Restrict);
    }
}
