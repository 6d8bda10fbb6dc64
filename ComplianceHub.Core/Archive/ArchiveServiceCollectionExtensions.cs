using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Archive.Writing;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Archive;

public static class ArchiveServiceCollectionExtensions
{
    public static IServiceCollection AddArchive(this IServiceCollection services)
    {
        services.AddSingleton<ExportImportService>();
        services.AddSingleton<ImportStaging>();
        services.AddSingleton<ArchiveQueryService>();
        services.AddSingleton<ArchiveWriteGate>();
        services.AddSingleton<IAfterMigrations, AbandonedImports>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookInbox>();
        services.AddSingleton<WebhookProcessor>();
        services.AddSingleton<MediaDownloader>();
        services.AddSingleton<CaptureMonitor>();
        services.AddSingleton<IBusinessNumbers, ConfiguredBusinessNumbers>();
        services.AddOptions<WhatsAppOptions>().BindConfiguration(WhatsAppOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ArchiveChainVerifier>();
        services.AddSingleton<IIntegrityCheck>(sp => sp.GetRequiredService<ArchiveChainVerifier>());
        return services;
    }
}
