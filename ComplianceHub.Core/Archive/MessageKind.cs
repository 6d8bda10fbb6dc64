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
}
