namespace ComplianceHub.Core.Audit;

/// <summary>Who did something, and from where. Every Core method that changes or reads records takes one.</summary>
public sealed record AuditActor(string? UserId, string Name, string? IpAddress)
{
    /// <summary>The application itself (start-up seeding, background work).</summary>
    public static AuditActor System { get; } = new(null, "system", null);

    /// <summary>An operator at the command line of the host.</summary>
    public static AuditActor CommandLine { get; } = new(null, $"cli:{Environment.UserName}", "local");
}
