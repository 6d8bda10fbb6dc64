using ComplianceHub.Core.Storage.Blobs;
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
            .AddSingleton<ExportJobService>()
            .AddBlobUses("production", (ExportJob j) => j.Sha256, j => new { j.Id, j.FileName, j.Sha256 },
                j => (j.Sha256, $"production {j.Id} ({j.FileName})"));
    }
}
