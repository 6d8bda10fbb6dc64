using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Policies;

/// <summary>
/// An employee's signature of one policy version: who (sign-in account and the full name they typed), the version and
/// the SHA-256 of the content they read, when, and from where (IP address, user agent). Given on someone's behalf only
/// with a stated reason, recorded with who gave it. Immutable: refused in code and by database triggers.
/// </summary>
public sealed class PolicyAcknowledgement : IAppendOnly
{
    private PolicyAcknowledgement()
    {
    }

    internal PolicyAcknowledgement(
        long versionId, string userId, string userEmail, string fullName, string contentSha256, DateTimeOffset at, string? ipAddress, string? userAgent,
        string? onBehalfBy, string? onBehalfReason)
    {
        VersionId = versionId;
        UserId = userId;
        UserEmail = userEmail;
        FullName = fullName;
        ContentSha256 = contentSha256;
        AcknowledgedAt = at;
        IpAddress = ipAddress;
        UserAgent = userAgent;
        OnBehalfBy = onBehalfBy;
        OnBehalfReason = onBehalfReason;
    }

    public long Id { get; private set; }
    public long VersionId { get; private set; }
    public string UserId { get; private set; } = "";
    public string UserEmail { get; private set; } = "";

    /// <summary>The full name as typed when signing (it had to match the profile).</summary>
    public string FullName { get; private set; } = "";

    public string ContentSha256 { get; private set; } = "";
    public DateTimeOffset AcknowledgedAt { get; private set; }
    public string? IpAddress { get; private set; }
    public string? UserAgent { get; private set; }

    /// <summary>Who recorded it for the employee (null: the employee signed).</summary>
    public string? OnBehalfBy { get; private set; }

    public string? OnBehalfReason { get; private set; }

    public bool IsOnBehalf => OnBehalfBy is not null;
}

internal sealed class PolicyAcknowledgementConfiguration : IEntityTypeConfiguration<PolicyAcknowledgement>
{
    public void Configure(EntityTypeBuilder<PolicyAcknowledgement> builder)
    {
        builder.ToTable("PolicyAcknowledgements");
        builder.Property(a => a.UserId).HasMaxLength(450).IsRequired();
        builder.Property(a => a.UserEmail).HasMaxLength(256).IsRequired();
        builder.Property(a => a.FullName).HasMaxLength(200).IsRequired();
        builder.Property(a => a.ContentSha256).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(a => a.IpAddress).HasMaxLength(64);
        builder.Property(a => a.UserAgent).HasMaxLength(512);
        builder.Property(a => a.OnBehalfBy).HasMaxLength(256);
        builder.Property(a => a.OnBehalfReason).HasMaxLength(1000);
        builder.Ignore(a => a.IsOnBehalf);
        builder.HasOne<PolicyVersion>().WithMany().HasForeignKey(a => a.VersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => new { a.UserId, a.VersionId });
    }
}
