using ComplianceHub.Core.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
        services.AddSingleton<ITimestampAuthority>(sp =>
            sp.GetRequiredService<IOptions<IntegrityOptions>>().Value.TimestampAuthorityUrl is { Length: > 0 } url
                ? new Rfc3161TimestampAuthority(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, new Uri(url, UriKind.Absolute))
                : new NoTimestampAuthority());
        return services;
    }
}
