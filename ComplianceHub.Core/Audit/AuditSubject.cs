namespace ComplianceHub.Core.Audit;

/// <summary>What an audit event is about: a kind ("User", "Conversation", …) and that thing's id.</summary>
public sealed record AuditSubject(string Type, string Id)
{
    public static AuditSubject User(string userId) => new("User", userId);

    public override string ToString() => $"{Type}:{Id}";
}
