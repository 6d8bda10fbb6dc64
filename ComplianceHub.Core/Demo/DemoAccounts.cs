using ComplianceHub.Core.Identity;

namespace ComplianceHub.Core.Demo;

/// <summary>The demo sign-ins, one per role, listed in the README. Development and `seed-demo` only.</summary>
public static class DemoAccounts
{
    public const string Password = "Demo-Compliance-2026!";

    public static IReadOnlyList<DemoAccount> All { get; } =
    [
        new("admin@example.com", "Ada Administrator", Roles.Administrator),
        new("officer@example.com", "Olivia Officer", Roles.ComplianceOfficer),
        new("hr@example.com", "Hugo Human-Resources", Roles.HrManager),
        new("employee@example.com", "Emma Employee", Roles.Employee),
        new("auditor@example.com", "Arne Auditor", Roles.Auditor),
    ];
}

public sealed record DemoAccount(string Email, string DisplayName, string Role);
