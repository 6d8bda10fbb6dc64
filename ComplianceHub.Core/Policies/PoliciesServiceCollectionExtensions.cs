using ComplianceHub.Core.Roster;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Policies;

public static class PoliciesServiceCollectionExtensions
{
    public static IServiceCollection AddPolicies(this IServiceCollection services) => services
        .AddSingleton<PolicyService>()
        .AddSingleton<PolicyObligations>()
        .AddSingleton<PolicyReport>()
        .AddSingleton<PolicyReminders>()
        .AddSingleton<IAuthorizationPrerequisite, PolicyPrerequisite>();
}
