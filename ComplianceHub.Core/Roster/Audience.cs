namespace ComplianceHub.Core.Roster;

// Stored as numbers: never renumber.
public enum AudienceKind
{
    Everyone = 0,
    Departments = 1,
    Roles = 2,
    People = 3,
}

/// <summary>
/// Who something is for (a policy to sign, a course to take): everyone, roster departments, sign-in roles, or chosen
/// people (their e-mail addresses). The one rule of who is in it is <see cref="Includes"/>.
/// </summary>
public sealed record Audience(AudienceKind Kind, IReadOnlyList<string> Values)
{
    public static Audience Everyone { get; } = new(AudienceKind.Everyone, []);

    /// <summary>Read back from its stored form: the kind, and the values one per line.</summary>
    public static Audience From(AudienceKind kind, string values) => new(kind, values.Split('\n', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The values as stored, one per line.</summary>
    public string StoredValues => string.Join('\n', Values);

    public string Describe() => Kind switch
    {
        AudienceKind.Everyone => "everyone",
        AudienceKind.Departments => "departments: " + string.Join(", ", Values),
        AudienceKind.Roles => "roles: " + string.Join(", ", Values),
        _ => "people: " + string.Join(", ", Values),
    };

    /// <summary>Whether it takes in someone with this e-mail address, these sign-in roles and these roster departments (any case).</summary>
    public bool Includes(string? email, IReadOnlyList<string> roles, IReadOnlyList<string> departments) => Kind switch
    {
        AudienceKind.Everyone => true,
        AudienceKind.Departments => Values.Any(d => departments.Contains(d.Trim(), StringComparer.OrdinalIgnoreCase)),
        AudienceKind.Roles => Values.Any(r => roles.Contains(r.Trim(), StringComparer.OrdinalIgnoreCase)),
        _ => email is not null && Values.Any(p => string.Equals(p.Trim(), email, StringComparison.OrdinalIgnoreCase)),
    };

    /// <summary>Whether someone is in it by their roster department (true for departments named with any case and spacing).</summary>
    public bool NamesDepartment(string department) =>
        Kind == AudienceKind.Departments && Values.Any(v => string.Equals(v.Trim(), department, StringComparison.OrdinalIgnoreCase));
}
