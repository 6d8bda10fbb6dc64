using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Roster;

/// <summary>
/// A WhatsApp group the firm runs for business: what it is for, the employee who owns it, how to find it
/// on WhatsApp, the archive conversation that captures it, and who is (and was) in it.
/// </summary>
public sealed class OfficialGroup
{
    public const int MaxNameLength = 200;

    private OfficialGroup()
    {
    }

    internal OfficialGroup(string name, DateTimeOffset createdAt, string createdBy)
    {
        Name = name;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
    }

    public long Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Purpose { get; private set; } = "";

    /// <summary>The employee responsible for the group (and for confirming its participants in re-certification).</summary>
    public long OwnerId { get; private set; }

    /// <summary>WhatsApp's id for the group (<c>120363…@g.us</c>), where known.</summary>
    public string? WhatsAppGroupId { get; private set; }

    /// <summary>The group's invite link (<c>https://chat.whatsapp.com/…</c>), where known.</summary>
    public string? InviteLink { get; private set; }

    /// <summary>The archive conversation that captures the group, once linked.</summary>
    public long? ConversationId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";

    public List<GroupMember> Members { get; private set; } = [];

    internal void Set(string name, string purpose, long ownerId, string? whatsAppGroupId, string? inviteLink, long? conversationId)
    {
        Name = name;
        Purpose = purpose;
        OwnerId = ownerId;
        WhatsAppGroupId = whatsAppGroupId;
        InviteLink = inviteLink;
        ConversationId = conversationId;
    }
}

/// <summary>
/// One stay of a person in an official group: the number they take part with, when they joined and,
/// once they have, when they left. Someone who rejoins gets a new record.
/// </summary>
public sealed class GroupMember
{
    private GroupMember()
    {
    }

    internal GroupMember(long personId, string phoneE164, DateOnly joinedOn)
    {
        PersonId = personId;
        PhoneE164 = phoneE164;
        JoinedOn = joinedOn;
    }

    public long Id { get; private set; }
    public long GroupId { get; private set; }
    public long PersonId { get; private set; }
    public string PhoneE164 { get; private set; } = "";
    public DateOnly JoinedOn { get; private set; }
    public DateOnly? LeftOn { get; private set; }

    public bool IsCurrent => LeftOn is null;

    internal void Leave(DateOnly leftOn) => LeftOn = leftOn;
}

internal sealed class OfficialGroupConfiguration : IEntityTypeConfiguration<OfficialGroup>
{
    public void Configure(EntityTypeBuilder<OfficialGroup> builder)
    {
        builder.ToTable("OfficialGroups");
        builder.Property(g => g.Name).HasMaxLength(OfficialGroup.MaxNameLength).IsRequired();
        builder.Property(g => g.Purpose).HasMaxLength(1000).IsRequired();
        builder.Property(g => g.WhatsAppGroupId).HasMaxLength(100);
        builder.Property(g => g.InviteLink).HasMaxLength(300);
        builder.Property(g => g.CreatedBy).HasMaxLength(256).IsRequired();
        builder.HasIndex(g => g.Name).IsUnique();
        builder.HasIndex(g => g.ConversationId).IsUnique().HasFilter("\"ConversationId\" IS NOT NULL");
        builder.HasOne<Person>().WithMany().HasForeignKey(g => g.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Archive.Conversation>().WithMany().HasForeignKey(g => g.ConversationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(g => g.Members).WithOne().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class GroupMemberConfiguration : IEntityTypeConfiguration<GroupMember>
{
    public void Configure(EntityTypeBuilder<GroupMember> builder)
    {
        builder.ToTable("GroupMembers");
        builder.Property(m => m.PhoneE164).HasMaxLength(20).IsRequired();
        builder.Ignore(m => m.IsCurrent);
        builder.HasIndex(m => new { m.GroupId, m.PhoneE164 });
        builder.HasIndex(m => m.PersonId);
        builder.HasOne<Person>().WithMany().HasForeignKey(m => m.PersonId).OnDelete(DeleteBehavior.Restrict);
    }
}
