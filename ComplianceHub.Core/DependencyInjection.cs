using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Dashboard;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Findings;
using ComplianceHub.Core.HoldNotices;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Integrity;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Notifications;
using ComplianceHub.Core.Policies;
using ComplianceHub.Core.Retention;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Search;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Training;
using ComplianceHub.Core.Transcripts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ComplianceHub.Core;

public static class DependencyInjection
{
    /// <summary>
    /// Everything Core offers, on <paramref name="storage"/> (read once by the host with
    /// <see cref="StorageSettings.FromConfiguration"/>). Returns the Identity builder so the web host
    /// can add its sign-in manager.
    /// </summary>
    public static IdentityBuilder AddComplianceHubCore(this IServiceCollection services, StorageSettings storage)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddComplianceHubStorage(storage);
        services.AddAudit();
        services.AddArchive();
        services.AddIntegrity();
        services.AddFindings();
        services.AddRoster();
        services.AddLegalHolds();
        services.AddRetention();
        services.AddNotifications();
        services.AddPolicies();
        services.AddHoldNotices();
        services.AddTraining();
        services.AddSearch();
        services.AddTranscripts();
        services.AddExports();
        services.AddSingleton<DashboardService>();
        services.AddSingleton<DemoDataSeeder>();
        return services.AddComplianceHubIdentityCore();
    }
}
