using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Archive;

/// <summary>
/// One uploaded export and what became of it: the chain of custody from the original file (kept
/// byte for byte in the blob store under <see cref="OriginalSha256"/>) to the messages it added.
/// </summary>
public sealed class ImportBatch
{
    private ImportBatch()
    {
    }

    internal ImportBatch(
        long conversationId, string originalFileName, string originalSha256, long originalLength, string uploadedByName, string? uploadedByUserId,
        DateTimeOffset uploadedAt, string timeZoneId, string? custodianEmail)
    {
        ConversationId = conversationId;
        LastStepAt = uploadedAt;
        OriginalFileName = originalFileName;
        OriginalSha256 = originalSha256;
        OriginalLength = originalLength;
        UploadedByName = uploadedByName;
        UploadedByUserId = uploadedByUserId;
        UploadedAt = uploadedAt;
        TimeZoneId = timeZoneId;
        CustodianEmail = custodianEmail;
    }

    public long Id { get; private set; }
    public long ConversationId { get; private set; }
    public string OriginalFileName { get; private set; } = "";
    public string OriginalSha256 { get; private set; } = "";
    public long OriginalLength { get; private set; }
    public string UploadedByName { get; private set; } = "";
    public string? UploadedByUserId { get; private set; }
    public DateTimeOffset UploadedAt { get; private set; }
    public string TimeZoneId { get; private set; } = "";
    public string? CustodianEmail { get; private set; }

    /// <summary>E.g. "Android d/m/y, 24h".</summary>
    public string DetectedFormat { get; private set; } = "";

    /// <summary>"dmy", "mdy" or "ymd".</summary>
    public string DateOrder { get; private set; } = "";

    /// <summary>"inferred", "inferred (ambiguous)" or "chosen".</summary>
    public string DateOrderSource { get; private set; } = "";

    public int MessagesInFile { get; private set; }
    public int MessagesAdded { get; private set; }
    public int MessagesAlreadyPresent { get; private set; }
    public int SystemMessages { get; private set; }
    public int AttachmentsStored { get; private set; }
    public int AttachmentsMissing { get; private set; }

    /// <summary>JSON array of warning strings shown with the batch.</summary>
    public string Warnings { get; private set; } = "[]";

    /// <summary>
    /// When the import finished and its messages became part of the archive; null while it runs. Readers see
    /// no message of a batch that has not completed (<see cref="ArchiveVisibility"/>), so an import is
    /// all or nothing to them however it is written.
    /// </summary>
    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>When the running import last committed a step: one that has not stepped for a while was abandoned (its host stopped).</summary>
    public DateTimeOffset LastStepAt { get; private set; }

    internal void Stepped(DateTimeOffset at) => LastStepAt = at;

    /// <summary>
    /// The disposition run that removed the original file, once none of the messages it brought in was kept; the file's
    /// name, hash and size stay on record. Null while the file is kept.
    /// </summary>
    public long? OriginalDisposedByRun { get; private set; }

    public DateTimeOffset? OriginalDisposedAt { get; private set; }

    internal void Record(
        string detectedFormat, string dateOrder, string dateOrderSource, int inFile, int added,
        int alreadyPresent, int system, int attachmentsStored, int attachmentsMissing, string warningsJson, DateTimeOffset completedAt)
    {
        CompletedAt = completedAt;
        LastStepAt = completedAt;
        DetectedFormat = detectedFormat;
        DateOrder = dateOrder;
        DateOrderSource = dateOrderSource;
        MessagesInFile = inFile;
        MessagesAdded = added;
        MessagesAlreadyPresent = alreadyPresent;
        SystemMessages = system;
        AttachmentsStored = attachmentsStored;
        AttachmentsMissing = attachmentsMissing;
        Warnings = warningsJson;
    }
}

internal sealed class ImportBatchConfiguration : IEntityTypeConfiguration<ImportBatch>
{
    public void Configure(EntityTypeBuilder<ImportBatch> builder)
    {
        builder.ToTable("ImportBatches");
        builder.Property(b => b.OriginalFileName).HasMaxLength(512).IsRequired();
        builder.Property(b => b.OriginalSha256).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(b => b.UploadedByName).HasMaxLength(256).IsRequired();
        builder.Property(b => b.UploadedByUserId).HasMaxLength(450);
        builder.Property(b => b.TimeZoneId).HasMaxLength(64).IsRequired();
        builder.Property(b => b.CustodianEmail).HasMaxLength(256);
        builder.Property(b => b.DetectedFormat).HasMaxLength(128);
        builder.Property(b => b.DateOrder).HasMaxLength(8);
        builder.Property(b => b.DateOrderSource).HasMaxLength(32);
        builder.HasIndex(b => b.UploadedAt);
        builder.HasIndex(b => b.OriginalSha256);
        builder.HasIndex(b => b.ConversationId);
        // The batches still running: few or none, and asked for by every read of the archive.
        builder.HasIndex(b => b.Id).HasDatabaseName("IX_ImportBatches_Running").HasFilter("\"CompletedAt\" IS NULL");
    }
}
