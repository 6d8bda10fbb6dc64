using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Audit;

public static class AuditServiceCollectionExtensions
{
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditQueryService>();
        services.AddSingleton<AuditChainVerifier>();
        services.AddSingleton<IIntegrityCheck>(sp => sp.GetRequiredService<AuditChainVerifier>());
        services.AddSingleton<IntegrityVerificationService>();
        return services;
    }
}
