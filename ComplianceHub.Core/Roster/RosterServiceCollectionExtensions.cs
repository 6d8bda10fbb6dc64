using ComplianceHub.Core.Roster.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Roster;

public static class RosterServiceCollectionExtensions
{
    public static IServiceCollection AddRoster(this IServiceCollection services)
    {
        services.AddOptions<RosterOptions>().BindConfiguration(RosterOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ActivationPrerequisites>();
        services.AddSingleton<RosterService>();
        services.AddSingleton<RosterImportService>();
        services.AddSingleton<RosterQueryService>();
        services.AddSingleton<RosterMonitor>();
        services.AddSingleton<IRosterCheck, RevokedSenderCheck>();
        services.AddSingleton<IRosterCheck, UnknownSenderCheck>();
        services.AddSingleton<IRosterCheck, GroupChangeCheck>();
        services.AddSingleton<IRosterCheck, UnregisteredGroupCheck>();
        services.AddSingleton<IRosterCheck, SilentNumberCheck>();
        services.AddSingleton<RecertificationService>();
        services.AddSingleton<OfficialGroupService>();
        services.AddSingleton<GroupParticipantImportService>();
        return services;
    }
}
