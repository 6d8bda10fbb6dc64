using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Dashboard;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ComplianceHub.Core;

public static class DependencyInjection
{
    /// <summary>
    /// Everything Core offers, on the storage that <paramref name="configuration"/> selects. Returns the
    /// Identity builder so the web host can add its sign-in manager.
    /// </summary>
    public static IdentityBuilder AddComplianceHubCore(
        this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddComplianceHubStorage(StorageSettings.FromConfiguration(configuration, contentRoot));
        services.AddAudit();
        services.AddArchive();
        services.AddSingleton<DashboardService>();
        services.AddSingleton<DemoDataSeeder>();
        return services.AddComplianceHubIdentityCore();
    }
}
