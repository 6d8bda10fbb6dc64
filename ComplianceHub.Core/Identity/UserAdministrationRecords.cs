using System.ComponentModel.DataAnnotations;

namespace ComplianceHub.Core.Identity;

public sealed record UserSummary(
    string Id,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    bool IsLockedOut,
    DateTimeOffset? LockoutEnd,
    int AccessFailedCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt,
    bool TwoFactorEnabled)
{
    /// <summary>Locked by an administrator (no end date), as opposed to a temporary lockout after failed sign-ins.</summary>
    public bool IsLockedIndefinitely => IsLockedOut && LockoutEnd is { Year: >= 9999 };
}

public sealed class CreateUserRequest
{
    [Required, EmailAddress, MaxLength(256)]
    public string Email { get; set; } = "";

    [Required, MaxLength(128)]
    public string DisplayName { get; set; } = "";

    [Required, MinLength(12, ErrorMessage = "At least 12 characters.")]
    public string Password { get; set; } = "";

    [MinLength(1, ErrorMessage = "Choose at least one role.")]
    public HashSet<string> Roles { get; set; } = [Identity.Roles.Employee];
}
