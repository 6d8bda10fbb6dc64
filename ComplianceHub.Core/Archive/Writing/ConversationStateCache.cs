namespace ComplianceHub.Core.Archive.Writing;

/// <summary>Conversation chain heads and participants kept by a long-lived writer between its transactions.</summary>
internal sealed class ConversationStateCache
{
    private const int MaxConversations = 20_000;

    internal System.Collections.Concurrent.ConcurrentDictionary<long, ConversationState> States { get; } = new();

    /// <summary>The gate's count of commits by cacheless writers when this cache was last checked against it.</summary>
    internal long SeenUncachedCommits { get; set; }

    internal void Add(long conversationId, ConversationState state)
    {
        if (States.Count >= MaxConversations)
        {
            States.Clear();
        }

        States[conversationId] = state;
    }

    public void Clear() => States.Clear();
}
