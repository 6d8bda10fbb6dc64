using System.Security.Claims;
using ComplianceHub.Core.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Security;

/// <summary>
/// Two-factor sign-in as a requirement of roles (<see cref="SignInSecurityOptions.RequireTwoFactor"/>: administrators and
/// compliance officers). The sign-in cookie carries whether the account has two-factor sign-in on (<see cref="ClaimType"/>,
/// written by <see cref="ClaimsFactory"/> and renewed when it is turned on or off); every policy but
/// <see cref="AuthorizationPolicyNames.AccountSetup"/> holds a <see cref="Requirement"/> that fails for an account whose
/// role requires it and which has none, so such an account can set it up (and sign out) and nothing else, pages and
/// endpoints alike; the router sends it to the set-up page.
/// </summary>
public static class TwoFactorSetup
{
    public const string ClaimType = "compliancehub:two-factor";

    /// <summary>The roles whose accounts the setting binds.</summary>
    public static IReadOnlyList<string> RequiredForRoles { get; } = [Roles.Administrator, Roles.ComplianceOfficer];

    /// <summary>Where an account that owes its set-up is sent.</summary>
    public const string SetupPath = "Account/Manage/EnableAuthenticator?required=true";

    /// <summary>True when <paramref name="user"/> is signed in, bound by the setting and has no two-factor sign-in yet.</summary>
    public static bool IsOwed(ClaimsPrincipal user, SignInSecurityOptions options) =>
        options.RequireTwoFactor
        && user.Identity?.IsAuthenticated == true
        && RequiredForRoles.Any(user.IsInRole)
        && !user.HasClaim(ClaimType, "on");

    /// <summary>The policy requirement; see <see cref="TwoFactorSetup"/>.</summary>
    public sealed class Requirement : IAuthorizationRequirement;

    internal sealed class Handler(IOptions<SignInSecurityOptions> options) : AuthorizationHandler<Requirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, Requirement requirement)
        {
            if (!IsOwed(context.User, options.Value))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>Identity's claims for the cookie, with whether two-factor sign-in is on.</summary>
    internal sealed class ClaimsFactory(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
        : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(users, roles, options)
    {
        protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
        {
            var identity = await base.GenerateClaimsAsync(user);
            identity.AddClaim(new Claim(ClaimType, await UserManager.GetTwoFactorEnabledAsync(user) ? "on" : "off"));
            return identity;
        }
    }
}
