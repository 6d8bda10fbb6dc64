using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Findings;

public static class FindingsServiceCollectionExtensions
{
    public static IServiceCollection AddFindings(this IServiceCollection services) => services.AddSingleton<FindingQueue>();
}
