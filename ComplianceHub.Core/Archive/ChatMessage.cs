using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Archive;

/// <summary>
/// One archived message. Immutable once stored (SEC 17a-4, MiFID II Art. 72): an edit or deletion
/// arrives as a new record, and each message is chained by hash to the one before it in its
/// conversation, so a change to any stored field is detectable by <c>verify</c>.
/// </summary>
public sealed class ChatMessage : IAppendOnly
{
    private ChatMessage()
    {
    }

    internal ChatMessage(
        long conversationId, long? participantId, DateTimeOffset sentAt, string? localTimestampText, string? timeZoneId,
        TimestampFlag timestampFlag, string body, MessageKind kind, bool isEdited, MessageSource source,
        long? importBatchId, int? lineNumber, string dedupKey)
    {
        ConversationId = conversationId;
        ParticipantId = participantId;
        SentAt = sentAt;
        LocalTimestampText = localTimestampText;
        TimeZoneId = timeZoneId;
        TimestampFlag = timestampFlag;
        Body = body;
        Kind = kind;
        IsEdited = isEdited;
        Source = source;
        ImportBatchId = importBatchId;
        LineNumber = lineNumber;
        DedupKey = dedupKey;
    }

    public long Id { get; private set; }
    public long ConversationId { get; private set; }

    /// <summary>The sender; null for system notices without an author.</summary>
    public long? ParticipantId { get; private set; }

    /// <summary>The instant the message was sent, in UTC.</summary>
    public DateTimeOffset SentAt { get; private set; }

    /// <summary>The export's own timestamp text (device wall clock, no offset), kept verbatim.</summary>
    public string? LocalTimestampText { get; private set; }

    /// <summary>The IANA zone the wall-clock time was read in.</summary>
    public string? TimeZoneId { get; private set; }

    public TimestampFlag TimestampFlag { get; private set; }
    public string Body { get; private set; } = "";
    public MessageKind Kind { get; private set; }
    public bool IsEdited { get; private set; }

    /// <summary>
    /// The export's signals disagreed on whether this line is a notice or a person's message; <see cref="Kind"/>
    /// is the importer's best reading, shown with a warning for review.
    /// </summary>
    public bool KindUncertain { get; private set; }

    public MessageSource Source { get; private set; }
    public long? ImportBatchId { get; private set; }

    /// <summary>First line of the message in the import's text file.</summary>
    public int? LineNumber { get; private set; }

    /// <summary>Identifies the same message across overlapping captures of one conversation.</summary>
    public string DedupKey { get; private set; } = "";

    /// <summary>
    /// The message's place in time across the whole archive, unique: its sent time in Unix seconds
    /// times 2^20, plus its order among messages stored for the same second. Sorting by it is sorting by
    /// sent time (ties in the order they were written, which is file order for an export), so it is the
    /// search index's rowid and the key of every keyset page. Derived from <see cref="SentAt"/>, so not
    /// part of the chain hash.
    /// </summary>
    public long SearchKey { get; private set; }

    /// <summary>Position in the conversation's hash chain, from 1.</summary>
    public long ChainSequence { get; private set; }

    public string PreviousHash { get; private set; } = "";
    public string Hash { get; private set; } = "";

    /// <summary>The WhatsApp message id (<c>wamid.…</c>) of a captured message: the key duplicates are recognised by.</summary>
    public string? ExternalId { get; private set; }

    /// <summary>The message this one quotes in reply (<c>context.id</c>), by its WhatsApp id.</summary>
    public string? ReplyToExternalId { get; private set; }

    /// <summary>The message an edit, deletion or reaction acts on, by its WhatsApp id; that message stays as it was.</summary>
    public string? TargetExternalId { get; private set; }

    /// <summary>The inbox record a captured message was read from.</summary>
    public long? WebhookDeliveryId { get; private set; }

    /// <summary>The message object exactly as the webhook carried it (JSON), for provenance and for types not modelled here.</summary>
    public string? RawJson { get; private set; }

    public List<ChatAttachment> Attachments { get; private set; } = [];

    /// <summary>The chain hash over the stored fields, the sender's name and the attachments.</summary>
    public static string ComputeHash(
        long conversationId, long chainSequence, DateTimeOffset sentAt, string? localTimestampText, string? timeZoneId,
        TimestampFlag timestampFlag, string? senderName, string body, MessageKind kind, bool isEdited, bool kindUncertain, MessageSource source,
        long? importBatchId, int? lineNumber, CaptureReference? capture, IEnumerable<ChatAttachment> attachments, string previousHash)
    {
        var writer = new CanonicalWriter()
            .Add(conversationId).Add(chainSequence).Add(sentAt.ToUnixTimeMilliseconds()).Add(localTimestampText).Add(timeZoneId)
            .Add((int)timestampFlag).Add(senderName).Add(body).Add((int)kind).Add(isEdited).Add((int)source)
            .Add(importBatchId ?? -1).Add(lineNumber ?? -1);
        if (source == MessageSource.Webhook)
        {
            // Captured messages also chain their WhatsApp ids, links and raw payload.
            writer.Add(capture?.ExternalId).Add(capture?.ReplyToExternalId).Add(capture?.TargetExternalId)
                .Add(capture?.WebhookDeliveryId ?? -1).Add(capture?.RawJson);
        }

        foreach (var attachment in attachments.OrderBy(a => a.Ordinal))
        {
            writer.Add(attachment.FileName).Add(attachment.Sha256).Add(attachment.Length ?? -1).Add((int)attachment.Status);
        }

        if (kindUncertain)
        {
            // Chained only when set, so messages stored before the flag existed keep their hashes.
            writer.Add("kind-uncertain");
        }

        return writer.Add(previousHash).Sha256Hex();
    }

    public string ComputeHash(string? senderName) => ComputeHash(
        ConversationId, ChainSequence, SentAt, LocalTimestampText, TimeZoneId, TimestampFlag, senderName, Body, Kind, IsEdited,
        KindUncertain, Source, ImportBatchId, LineNumber,
        new CaptureReference(ExternalId, ReplyToExternalId, TargetExternalId, WebhookDeliveryId, RawJson), Attachments, PreviousHash);
}

/// <summary>Where a webhook-captured message came from and what it refers to (see <see cref="ChatMessage"/>).</summary>
public sealed record CaptureReference(
    string? ExternalId, string? ReplyToExternalId, string? TargetExternalId, long? WebhookDeliveryId, string? RawJson);

internal sealed class ChatMessageConfiguration : IEntityTypeConfiguration<ChatMessage>
{
    public void Configure(EntityTypeBuilder<ChatMessage> builder)
    {
        builder.ToTable("ChatMessages");
        builder.Property(m => m.LocalTimestampText).HasMaxLength(64);
        builder.Property(m => m.TimeZoneId).HasMaxLength(64);
        builder.Property(m => m.TimestampFlag).HasConversion<int>();
        builder.Property(m => m.Body).IsRequired();
        builder.Property(m => m.Kind).HasConversion<int>();
        builder.Property(m => m.Source).HasConversion<int>();
        builder.Property(m => m.DedupKey).HasMaxLength(32).IsRequired();
        builder.Property(m => m.ExternalId).HasMaxLength(256);
        builder.Property(m => m.ReplyToExternalId).HasMaxLength(256);
        builder.Property(m => m.TargetExternalId).HasMaxLength(256);
        builder.Property(m => m.PreviousHash).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(m => m.Hash).HasMaxLength(64).IsFixedLength().IsRequired();

        builder.HasIndex(m => new { m.ConversationId, m.ChainSequence }).IsUnique();
        // Time order: the search index's rowid, transcripts and keyset paging all run on the search key.
        builder.HasIndex(m => m.SearchKey).IsUnique();
        builder.HasIndex(m => new { m.ConversationId, m.SearchKey });
        builder.HasIndex(m => m.SentAt);
        builder.HasIndex(m => m.ImportBatchId);
        builder.HasIndex(m => new { m.ParticipantId, m.SearchKey });
        // One stored copy per WhatsApp message id (Meta redelivers for days); exports carry none.
        // Partial indexes: bulk imports (all null) pay nothing for them.
        builder.HasIndex(m => m.ExternalId).IsUnique().HasFilter("\"ExternalId\" IS NOT NULL");
        builder.HasIndex(m => m.TargetExternalId).HasFilter("\"TargetExternalId\" IS NOT NULL");
        builder.HasIndex(m => m.WebhookDeliveryId).HasFilter("\"WebhookDeliveryId\" IS NOT NULL");

        builder.HasOne<Conversation>().WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ChatParticipant>().WithMany().HasForeignKey(m => m.ParticipantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ImportBatch>().WithMany().HasForeignKey(m => m.ImportBatchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(m => m.Attachments).WithOne().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Restrict);
    }
}
