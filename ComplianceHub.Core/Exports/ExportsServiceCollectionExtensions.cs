using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Exports;

public static class ExportsServiceCollectionExtensions
{
    public static IServiceCollection AddExports(this IServiceCollection services) => services
        .AddSingleton<TranscriptPdfExporter>()
        .AddSingleton<ExportService>()
        .AddSingleton<ExportJobService>();
}
