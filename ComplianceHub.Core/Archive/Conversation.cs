using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Archive;

/// <summary>A chat: a direct conversation or a group, holding messages from every capture path.</summary>
public sealed class Conversation
{
    private Conversation()
    {
    }

    public Conversation(ConversationKind kind, string title, DateTimeOffset createdAt)
    {
        Kind = kind;
        Title = title;
        CreatedAt = createdAt;
    }

    public long Id { get; private set; }
    public ConversationKind Kind { get; private set; }
    public string Title { get; private set; } = "";

    /// <summary>The WhatsApp group id, where a capture path reports one.</summary>
    public string? WhatsAppGroupId { get; private set; }

    /// <summary>
    /// The key a capture path finds this conversation by: for the Cloud API,
    /// <c>wa:&lt;phone_number_id&gt;:&lt;customer wa_id or BSUID&gt;</c>. Null for conversations known only from exports.
    /// </summary>
    public string? ExternalKey { get; private set; }

    /// <summary>The firm's business number (Meta <c>phone_number_id</c>) the conversation was captured on.</summary>
    public string? BusinessPhoneNumberId { get; private set; }

    /// <summary>
    /// That business number as a phone number (E.164), as the capture saw it: the archive itself knows which
    /// side of the chat is the firm, whatever the reading process's configuration says.
    /// </summary>
    public string? BusinessPhoneE164 { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>A conversation first seen on a business number's webhook.</summary>
    public static Conversation Captured(string title, string externalKey, string phoneNumberId, string? businessPhoneE164, DateTimeOffset createdAt) =>
        new(ConversationKind.Direct, title, createdAt) { ExternalKey = externalKey, BusinessPhoneNumberId = phoneNumberId, BusinessPhoneE164 = businessPhoneE164 };

    public List<ConversationCustodian> Custodians { get; private set; } = [];

    /// <summary>A later capture can show a direct chat to be a group (more than two people, group notices).</summary>
    public void MarkAsGroup() => Kind = ConversationKind.Group;
}

/// <summary>An employee whose device or number a conversation was captured from.</summary>
public sealed class ConversationCustodian
{
    private ConversationCustodian()
    {
    }

    public ConversationCustodian(string email, DateTimeOffset addedAt)
    {
        Email = email;
        AddedAt = addedAt;
    }

    public long ConversationId { get; private set; }
    public string Email { get; private set; } = "";
    public DateTimeOffset AddedAt { get; private set; }
}

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.ToTable("Conversations");
        builder.Property(c => c.Kind).HasConversion<int>();
        builder.Property(c => c.Title).HasMaxLength(256).IsRequired();
        builder.Property(c => c.WhatsAppGroupId).HasMaxLength(128);
        builder.Property(c => c.ExternalKey).HasMaxLength(256);
        builder.Property(c => c.BusinessPhoneNumberId).HasMaxLength(64);
        builder.Property(c => c.BusinessPhoneE164).HasMaxLength(20);
        builder.HasIndex(c => c.Title);
        builder.HasIndex(c => c.ExternalKey).IsUnique();
        builder.HasIndex(c => c.BusinessPhoneNumberId);
        builder.HasMany(c => c.Custodians).WithOne().HasForeignKey(c => c.ConversationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ConversationCustodianConfiguration : IEntityTypeConfiguration<ConversationCustodian>
{
    public void Configure(EntityTypeBuilder<ConversationCustodian> builder)
    {
        builder.ToTable("ConversationCustodians");
        builder.HasKey(c => new { c.ConversationId, c.Email });
        builder.Property(c => c.Email).HasMaxLength(256);
        builder.HasIndex(c => c.Email);
    }
}
