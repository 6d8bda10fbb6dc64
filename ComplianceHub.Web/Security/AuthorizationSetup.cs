using ComplianceHub.Core.Identity;
using Microsoft.AspNetCore.Authorization;

namespace ComplianceHub.Web.Security;

internal static class AuthorizationSetup
{
    /// <summary>The roles each policy admits; the single source for pages, endpoints and navigation.</summary>
    public static IReadOnlyDictionary<string, string[]> RolesByPolicy { get; } = new Dictionary<string, string[]>
    {
        [AuthorizationPolicyNames.ArchiveRead] = [Roles.ComplianceOfficer, Roles.Auditor, Roles.Administrator],
        [AuthorizationPolicyNames.ArchiveImport] = [Roles.ComplianceOfficer, Roles.Administrator],
        [AuthorizationPolicyNames.RosterRead] = [Roles.ComplianceOfficer, Roles.Administrator, Roles.HrManager],
        [AuthorizationPolicyNames.RosterManage] = [Roles.ComplianceOfficer, Roles.Administrator],
        [AuthorizationPolicyNames.PoliciesRead] = [Roles.ComplianceOfficer, Roles.Administrator, Roles.HrManager],
        [AuthorizationPolicyNames.PoliciesManage] = [Roles.ComplianceOfficer, Roles.Administrator],
        [AuthorizationPolicyNames.PoliciesTrack] = [Roles.ComplianceOfficer, Roles.HrManager],
        [AuthorizationPolicyNames.TrainingRead] = [Roles.HrManager, Roles.ComplianceOfficer, Roles.Administrator],
        [AuthorizationPolicyNames.TrainingManage] = [Roles.HrManager, Roles.ComplianceOfficer],
        [AuthorizationPolicyNames.LegalHoldsRead] = [Roles.ComplianceOfficer, Roles.Administrator, Roles.Auditor],
        [AuthorizationPolicyNames.LegalHoldsManage] = [Roles.ComplianceOfficer, Roles.Administrator],
        [AuthorizationPolicyNames.RetentionManage] = [Roles.ComplianceOfficer],
        [AuthorizationPolicyNames.AuditRead] = [Roles.ComplianceOfficer, Roles.Auditor],
        [AuthorizationPolicyNames.Administration] = [Roles.Administrator],
    };

    public static IServiceCollection AddComplianceHubAuthorization(this IServiceCollection services)
    {
        // Every policy but AccountSetup also needs the two-factor sign-in a role may require (TwoFactorSetup).
        var twoFactor = new TwoFactorSetup.Requirement();
        services.AddSingleton<IAuthorizationHandler, TwoFactorSetup.Handler>();
        services.AddAuthorizationBuilder()
            // Anything that does not name a policy still needs a signed-in user.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(twoFactor).Build())
            .AddPolicy(AuthorizationPolicyNames.SignedIn, p => p.RequireAuthenticatedUser().AddRequirements(twoFactor))
            .AddPolicy(AuthorizationPolicyNames.AccountSetup, p => p.RequireAuthenticatedUser());

        services.Configure<AuthorizationOptions>(options =>
        {
            foreach (var (policy, roles) in RolesByPolicy)
            {
                options.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles).AddRequirements(twoFactor));
            }
        });
        return services;
    }
}
