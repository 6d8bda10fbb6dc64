using ComplianceHub.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Integrity;

public static class IntegrityServiceCollectionExtensions
{
    public static IServiceCollection AddIntegrity(this IServiceCollection services)
    {
        services.AddOptions<IntegrityOptions>().BindConfiguration(IntegrityOptions.SectionName);
        services.AddSingleton<CheckpointService>();
        services.AddSingleton<CheckpointVerifier>();
        services.AddSingleton<IIntegrityCheck>(sp => sp.GetRequiredService<CheckpointVerifier>());
        services.AddSingleton<BlobVerifier>();
        services.AddSingleton<IIntegrityCheck>(sp => sp.GetRequiredService<BlobVerifier>());
        services.AddSingleton<OrphanSweep>();
        return services;
    }
}
