using Microsoft.AspNetCore.Identity;

namespace ComplianceHub.Core.Identity;

/// <summary>
/// A sign-in account. Not a roster person: the roster's authorized users may link to one of these.
/// </summary>
public sealed class ApplicationUser : IdentityUser
{
    [PersonalData]
    public string DisplayName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastSignInAt { get; set; }
}
