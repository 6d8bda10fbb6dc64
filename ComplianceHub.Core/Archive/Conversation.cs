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

    public DateTimeOffset CreatedAt { get; private set; }

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
