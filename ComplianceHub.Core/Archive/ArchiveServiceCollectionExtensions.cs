using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Archive.Writing;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Archive;

public static class ArchiveServiceCollectionExtensions
{
    /// <summary>What <c>verify</c> calls a message attachment's file and an import's original upload in its findings.</summary>
    public const string AttachmentBlobKind = "attachment blob";
    public const string OriginalExportKind = "original export";

    public static IServiceCollection AddArchive(this IServiceCollection services)
    {
        services.AddSingleton<ExportImportService>();
        services.AddSingleton<ImportStaging>();
        services.AddSingleton<ArchiveQueryService>();
        services.AddSingleton<ArchiveWriteGate>();
        services.AddSingleton<IAfterMigrations, AbandonedImports>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookInbox>();
        services.AddSingleton<WebhookRefusals>();
        services.AddSingleton<WebhookProcessor>();
        services.AddSingleton<MediaDownloader>();
        services.AddSingleton<CaptureMonitor>();
        services.AddSingleton<IBusinessNumbers, ConfiguredBusinessNumbers>();
        services.AddOptions<WhatsAppOptions>().BindConfiguration(WhatsAppOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ArchiveChainVerifier>();
        services.AddSingleton<IIntegrityCheck>(sp => sp.GetRequiredService<ArchiveChainVerifier>());
        services.AddBlobUses(AttachmentBlobKind, (ChatAttachment a) => a.Sha256, a => new { a.Id, a.MessageId, a.FileName, a.Sha256 },
            a => (a.Sha256, $"attachment {a.Id} ({a.FileName}) of message {a.MessageId}"));
        // An import's original stops being named once a disposition released it (none of its messages is kept).
        services.AddBlobUses(OriginalExportKind, (ImportBatch b) => b.OriginalSha256, b => new { b.Id, b.OriginalFileName, b.OriginalSha256 },
            b => (b.OriginalSha256, $"import batch {b.Id} ({b.OriginalFileName})"), keeps: b => b.OriginalDisposedByRun == null);
        // A removed message's tombstone never changes: checkpoints seal all of it.
        services.AddEvidenceRecords("message tombstone", db => db.MessageTombstones.AsNoTracking(), t => new EvidenceRecord(t.MessageId, t.Digest(), null));
        services.AddBlobUses(AttachmentBlobKind, (MediaDownload d) => d.StoredSha256, d => new { d.Id, d.AttachmentId, d.StoredSha256 },
            d => (d.StoredSha256, $"media download {d.Id} of attachment {d.AttachmentId}"));
        return services;
    }
}
