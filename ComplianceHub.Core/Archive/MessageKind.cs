namespace ComplianceHub.Core.Archive;

/// <summary>What an archived message is. Stored as its number: never renumber.</summary>
public enum MessageKind
{
    Text = 0,
    Media = 1,
    System = 2,
    Deleted = 3,
    Poll = 4,
    Location = 5,
    Contact = 6,

    /// <summary>An emoji reaction to another message (empty body: the reaction was removed).</summary>
    Reaction = 7,

    /// <summary>A reply through an interactive list, reply button or template quick-reply button.</summary>
    Interactive = 8,

    /// <summary>A type the capture does not model (kept raw, never dropped).</summary>
    Unsupported = 9,

    /// <summary>A catalogue order.</summary>
    Order = 10,
}
