using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Exports;

public static class ExportsServiceCollectionExtensions
{
    public static IServiceCollection AddExports(this IServiceCollection services)
    {
        services.AddOptions<ExportSigningOptions>().BindConfiguration(ExportSigningOptions.SectionName);
        return services
            .AddSingleton<ExportSigner>()
            .AddSingleton<ExportPackageWriter>()
            .AddSingleton<ExportPackageVerifier>()
            .AddSingleton<TranscriptPdfExporter>()
            .AddSingleton<ExportService>()
            .AddSingleton<ExportJobService>();
    }
}
