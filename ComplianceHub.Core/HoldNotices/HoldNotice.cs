using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.HoldNotices;

/// <summary>
/// One version of the notice a legal hold sends its custodians: what they must preserve and why, frozen with its SHA-256
/// when issued. Amending the notice issues a new version, which every custodian acknowledges again; nothing is edited.
/// </summary>
public sealed class HoldNotice : IAppendOnly
{
    public const int MaxTextLength = 20_000;

    private HoldNotice()
    {
    }

    internal HoldNotice(long holdId, int version, string text, string textSha256, string issuedBy, DateTimeOffset issuedAt)
    {
        HoldId = holdId;
        Version = version;
        Text = text;
        TextSha256 = textSha256;
        IssuedBy = issuedBy;
        IssuedAt = issuedAt;
    }

    public long Id { get; private set; }
    public long HoldId { get; private set; }

    /// <summary>1 for the first notice of a hold, then 2, 3 … for each amendment.</summary>
    public int Version { get; private set; }

    public string Text { get; private set; } = "";
    public string TextSha256 { get; private set; } = "";
    public string IssuedBy { get; private set; } = "";
    public DateTimeOffset IssuedAt { get; private set; }
}

/// <summary>A custodian (an account) a notice version was sent to, fixed when it was issued.</summary>
public sealed class HoldNoticeRecipient : IAppendOnly
{
    private HoldNoticeRecipient()
    {
    }

    internal HoldNoticeRecipient(long noticeId, string userId, string email, string fullName)
    {
        NoticeId = noticeId;
        UserId = userId;
        Email = email;
        FullName = fullName;
    }

    public long Id { get; private set; }
    public long NoticeId { get; private set; }
    public string UserId { get; private set; } = "";
    public string Email { get; private set; } = "";
    public string FullName { get; private set; } = "";
}

/// <summary>
/// A custodian's acknowledgement of a notice version, signed as a policy is: read to its end, ticked, their full name typed;
/// with the text's SHA-256, the time and where they signed from. Immutable.
/// </summary>
public sealed class HoldNoticeAcknowledgement : IAppendOnly
{
    private HoldNoticeAcknowledgement()
    {
    }

    internal HoldNoticeAcknowledgement(long noticeId, string userId, string userEmail, string fullName, string textSha256, DateTimeOffset at, string? ipAddress, string? userAgent)
    {
        NoticeId = noticeId;
        UserId = userId;
        UserEmail = userEmail;
        FullName = fullName;
        TextSha256 = textSha256;
        AcknowledgedAt = at;
        IpAddress = ipAddress;
        UserAgent = userAgent;
    }

    public long Id { get; private set; }
    public long NoticeId { get; private set; }
    public string UserId { get; private set; } = "";
    public string UserEmail { get; private set; } = "";
    public string FullName { get; private set; } = "";
    public string TextSha256 { get; private set; } = "";
    public DateTimeOffset AcknowledgedAt { get; private set; }
    public string? IpAddress { get; private set; }
    public string? UserAgent { get; private set; }
}

internal sealed class HoldNoticeConfiguration : IEntityTypeConfiguration<HoldNotice>
{
    public void Configure(EntityTypeBuilder<HoldNotice> builder)
    {
        builder.ToTable("HoldNotices");
        builder.Property(n => n.Text).HasMaxLength(HoldNotice.MaxTextLength).IsRequired();
        builder.Property(n => n.TextSha256).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(n => n.IssuedBy).HasMaxLength(256).IsRequired();
        builder.HasIndex(n => new { n.HoldId, n.Version }).IsUnique();
        builder.HasOne<LegalHold>().WithMany().HasForeignKey(n => n.HoldId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class HoldNoticeRecipientConfiguration : IEntityTypeConfiguration<HoldNoticeRecipient>
{
    public void Configure(EntityTypeBuilder<HoldNoticeRecipient> builder)
    {
        builder.ToTable("HoldNoticeRecipients");
        builder.Property(r => r.UserId).HasMaxLength(450).IsRequired();
        builder.Property(r => r.Email).HasMaxLength(256).IsRequired();
        builder.Property(r => r.FullName).HasMaxLength(200).IsRequired();
        builder.HasIndex(r => new { r.NoticeId, r.UserId }).IsUnique();
        builder.HasIndex(r => r.UserId);
        builder.HasOne<HoldNotice>().WithMany().HasForeignKey(r => r.NoticeId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class HoldNoticeAcknowledgementConfiguration : IEntityTypeConfiguration<HoldNoticeAcknowledgement>
{
    public void Configure(EntityTypeBuilder<HoldNoticeAcknowledgement> builder)
    {
        builder.ToTable("HoldNoticeAcknowledgements");
        builder.Property(a => a.UserId).HasMaxLength(450).IsRequired();
        builder.Property(a => a.UserEmail).HasMaxLength(256).IsRequired();
        builder.Property(a => a.FullName).HasMaxLength(200).IsRequired();
        builder.Property(a => a.TextSha256).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(a => a.IpAddress).HasMaxLength(64);
        builder.Property(a => a.UserAgent).HasMaxLength(512);
        builder.HasIndex(a => new { a.NoticeId, a.UserId }).IsUnique();
        builder.HasOne<HoldNotice>().WithMany().HasForeignKey(a => a.NoticeId).OnDelete(DeleteBehavior.Restrict);
    }
}
