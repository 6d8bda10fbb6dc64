using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.LegalHolds;

public static class LegalHoldServiceCollectionExtensions
{
    public static IServiceCollection AddLegalHolds(this IServiceCollection services) => services.AddSingleton<LegalHoldService>();
}
