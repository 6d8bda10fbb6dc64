using ComplianceHub.Core.Common;

namespace ComplianceHub.Core.Archive;

/// <summary>
/// One archived message. Immutable once stored (SEC 17a-4, MiFID II Art. 72): an edit or deletion
/// arrives as a new record, and each message is chained by hash to the one before it in its
/// conversation, so a change to any stored field is detectable by <c>verify</c>.
/// </summary>
public sealed class ChatMessage
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
    public MessageSource Source { get; private set; }
    public long? ImportBatchId { get; private set; }

    /// <summary>First line of the message in the import's text file.</summary>
    public int? LineNumber { get; private set; }

    /// <summary>Identifies the same message across overlapping captures of one conversation.</summary>
    public string DedupKey { get; private set; } = "";

    /// <summary>Position in the conversation's hash chain, from 1.</summary>
    public long ChainSequence { get; private set; }

    public string PreviousHash { get; private set; } = "";
    public string Hash { get; private set; } = "";

    public List<ChatAttachment> Attachments { get; private set; } = [];

    /// <summary>The chain hash over the stored fields, the sender's name and the attachments.</summary>
    public static string ComputeHash(
        long conversationId, long chainSequence, DateTimeOffset sentAt, string? localTimestampText, string? timeZoneId,
        TimestampFlag timestampFlag, string? senderName, string body, MessageKind kind, bool isEdited, MessageSource source,
        long? importBatchId, int? lineNumber, IEnumerable<ChatAttachment> attachments, string previousHash)
    {
        var writer = new CanonicalWriter()
            .Add(conversationId).Add(chainSequence).Add(sentAt.ToUnixTimeMilliseconds()).Add(localTimestampText).Add(timeZoneId)
            .Add((int)timestampFlag).Add(senderName).Add(body).Add((int)kind).Add(isEdited).Add((int)source)
            .Add(importBatchId ?? -1).Add(lineNumber ?? -1);
        foreach (var attachment in attachments.OrderBy(a => a.Ordinal))
        {
            writer.Add(attachment.FileName).Add(attachment.Sha256).Add(attachment.Length ?? -1).Add((int)attachment.Status);
        }

        return writer.Add(previousHash).Sha256Hex();
    }

    public string ComputeHash(string? senderName) => ComputeHash(
        ConversationId, ChainSequence, SentAt, LocalTimestampText, TimeZoneId, TimestampFlag, senderName, Body, Kind, IsEdited,
        Source, ImportBatchId, LineNumber, Attachments, PreviousHash);
}
