using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Archive;

/// <summary>Someone who wrote in a conversation, as the capture showed them.</summary>
public sealed class ChatParticipant
{
    private ChatParticipant()
    {
    }

    public ChatParticipant(long conversationId, string displayName, string? phoneE164, DateTimeOffset firstSeenAt)
    {
        ConversationId = conversationId;
        DisplayName = displayName;
        PhoneE164 = phoneE164;
        FirstSeenAt = firstSeenAt;
    }

    public long Id { get; private set; }
    public long ConversationId { get; private set; }

    /// <summary>The name exactly as the export or webhook showed it (directional marks removed).</summary>
    public string DisplayName { get; private set; } = "";

    /// <summary>E.164 number where the name was a phone number or the capture reported one.</summary>
    public string? PhoneE164 { get; private set; }

    /// <summary>Meta's business-scoped user id (<c>CC.…</c>), for senders whose number is withheld.</summary>
    public string? WhatsAppUserId { get; private set; }

    public DateTimeOffset FirstSeenAt { get; private set; }
}

internal sealed class ChatParticipantConfiguration : IEntityTypeConfiguration<ChatParticipant>
{
    public void Configure(EntityTypeBuilder<ChatParticipant> builder)
    {
        builder.ToTable("ChatParticipants");
        builder.Property(p => p.DisplayName).HasMaxLength(256).IsRequired();
        builder.Property(p => p.PhoneE164).HasMaxLength(20);
        builder.Property(p => p.WhatsAppUserId).HasMaxLength(160);
        builder.HasIndex(p => new { p.ConversationId, p.DisplayName }).IsUnique();
        builder.HasIndex(p => p.PhoneE164);
        builder.HasOne<Conversation>().WithMany().HasForeignKey(p => p.ConversationId).OnDelete(DeleteBehavior.Restrict);
    }
}
