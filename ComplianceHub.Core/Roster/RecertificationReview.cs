using System.Globalization;
using ComplianceHub.Core.Findings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Roster;

public enum ReviewDecision
{
    Pending = 0,

    /// <summary>The person still needs the number (or still belongs in the group) for business.</summary>
    Confirmed = 1,

    /// <summary>No longer needed: the number is revoked, or the participant is recorded as leaving the group.</summary>
    Removed = 2,
}

/// <summary>
/// One item put to its reviewer in a campaign, and the outcome: an authorized number (reviewed by the
/// employee's manager; compliance when there is none) or a current participant of an official group
/// (reviewed by the group's owner).
/// </summary>
public sealed class RecertificationReview : Finding, IFindingKind
{

    private RecertificationReview()
    {
    }

    internal RecertificationReview(long? authorizedNumberId, long? groupMemberId, long? reviewerId)
    {
        AuthorizedNumberId = authorizedNumberId;
        GroupMemberId = groupMemberId;
        ReviewerId = reviewerId;
    }

    public long CampaignId { get; private set; }
    /// <summary>The authorization under review, or null for a group participant's review.</summary>
    public long? AuthorizedNumberId { get; private set; }

    /// <summary>The group participation under review, or null for an authorization's review.</summary>
    public long? GroupMemberId { get; private set; }

    /// <summary>The roster person who must decide; null when compliance decides (no manager on record).</summary>
    public long? ReviewerId { get; private set; }

    public ReviewDecision Decision { get; private set; }

    public override string Key => string.Create(CultureInfo.InvariantCulture, $"{CampaignId}|{AuthorizedNumberId}|{GroupMemberId}");

    public static FindingWording Wording { get; } = new("review", "decided", "Say why this is no longer needed.");

    internal void Record(ReviewDecision decision) => Decision = decision;
}

internal sealed class RecertificationReviewConfiguration : IEntityTypeConfiguration<RecertificationReview>
{
    public void Configure(EntityTypeBuilder<RecertificationReview> builder)
    {
        builder.ToTable("RecertificationReviews");
        builder.Property(r => r.Decision).HasConversion<int>();
        builder.Property(r => r.DecidedBy).HasMaxLength(256);
        builder.Property(r => r.Comment).HasMaxLength(2000);
        builder.HasIndex(r => new { r.CampaignId, r.AuthorizedNumberId }).IsUnique().HasFilter("\"AuthorizedNumberId\" IS NOT NULL");
        builder.HasIndex(r => new { r.CampaignId, r.GroupMemberId }).IsUnique().HasFilter("\"GroupMemberId\" IS NOT NULL");
        builder.HasOne<GroupMember>().WithMany().HasForeignKey(r => r.GroupMemberId).OnDelete(DeleteBehavior.Restrict);
        builder.ToTable(t => t.HasCheckConstraint("CK_RecertificationReviews_OneSubject",
            "(\"AuthorizedNumberId\" IS NULL) <> (\"GroupMemberId\" IS NULL)"));
        builder.HasIndex(r => new { r.ReviewerId, r.Decision });
        builder.HasOne<AuthorizedNumber>().WithMany().HasForeignKey(r => r.AuthorizedNumberId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(r => r.ReviewerId).OnDelete(DeleteBehavior.Restrict);
    }
}
