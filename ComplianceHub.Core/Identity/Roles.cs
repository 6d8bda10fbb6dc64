namespace ComplianceHub.Core.Identity;

/// <summary>The fixed set of roles. Names are stored in the database: never rename one.</summary>
public static class Roles
{
    public const string Administrator = "Administrator";
    public const string ComplianceOfficer = "ComplianceOfficer";
    public const string HrManager = "HrManager";
    public const string Employee = "Employee";
    /// <summary>Read-only access to the archive and the audit trail; can change nothing.</summary>
    public const string Auditor = "Auditor";

    public static IReadOnlyList<string> All { get; } =
        [Administrator, ComplianceOfficer, HrManager, Employee, Auditor];

    public static string DisplayName(string role) => role switch
    {
        Administrator => "Administrator",
        ComplianceOfficer => "Compliance officer",
        HrManager => "HR manager",
        Employee => "Employee",
        Auditor => "Auditor",
        _ => role,
    };

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
