using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Retention;

public static class RetentionServiceCollectionExtensions
{
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services.AddSingleton<RetentionService>();
    }
}
