using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Archive;

/// <summary>
/// A message captured live by the webhook that an export of the same chat also holds: the export's line is
/// recorded as a second source of the one stored message instead of a second copy. It keeps the export's own
/// evidence (the batch whose original file holds the line, the line number, the timestamp and author as
/// written) beside the capture's, and its dedup key, so a later import of an overlapping export recognises the
/// line too. Append-only.
/// </summary>
public sealed class MessageExportSource : IAppendOnly
{
    private MessageExportSource()
    {
    }

    internal MessageExportSource(
        long conversationId, long messageId, long importBatchId, int lineNumber, string localTimestampText, string timeZoneId, string? author,
        string dedupKey, DateTimeOffset recordedAt)
    {
        ConversationId = conversationId;
        MessageId = messageId;
        ImportBatchId = importBatchId;
        LineNumber = lineNumber;
        LocalTimestampText = localTimestampText;
        TimeZoneId = timeZoneId;
        Author = author;
        DedupKey = dedupKey;
        RecordedAt = recordedAt;
    }

    public long Id { get; private set; }
    public long ConversationId { get; private set; }

    /// <summary>The captured message the line is a copy of.</summary>
    public long MessageId { get; private set; }

    public long ImportBatchId { get; private set; }

    /// <summary>First line of the message in the import's text file.</summary>
    public int LineNumber { get; private set; }

    /// <summary>The export's timestamp text, verbatim (device wall clock, minute or second precision).</summary>
    public string LocalTimestampText { get; private set; } = "";

    /// <summary>The IANA zone the export's wall-clock time was read in.</summary>
    public string TimeZoneId { get; private set; } = "";

    /// <summary>The sender as the export names them (the exporter's contact name), which may differ from the capture's.</summary>
    public string? Author { get; private set; }

    public string DedupKey { get; private set; } = "";

    public DateTimeOffset RecordedAt { get; private set; }
}

internal sealed class MessageExportSourceConfiguration : IEntityTypeConfiguration<MessageExportSource>
{
    public void Configure(EntityTypeBuilder<MessageExportSource> builder)
    {
        builder.ToTable("MessageExportSources");
        builder.Property(s => s.LocalTimestampText).HasMaxLength(64).IsRequired();
        builder.Property(s => s.TimeZoneId).HasMaxLength(64).IsRequired();
        builder.Property(s => s.Author).HasMaxLength(256);
        builder.Property(s => s.DedupKey).HasMaxLength(32).IsRequired();
        builder.HasIndex(s => s.MessageId);
        builder.HasIndex(s => s.ConversationId);
        builder.HasIndex(s => new { s.ImportBatchId, s.LineNumber }).IsUnique();
        builder.HasOne<Conversation>().WithMany().HasForeignKey(s => s.ConversationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ChatMessage>().WithMany().HasForeignKey(s => s.MessageId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ImportBatch>().WithMany().HasForeignKey(s => s.ImportBatchId).OnDelete(DeleteBehavior.Restrict);
    }
}
