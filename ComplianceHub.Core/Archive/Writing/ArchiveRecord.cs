namespace ComplianceHub.Core.Archive.Writing;

/// <summary>Who sent a message, as a capture path identifies them.</summary>
internal sealed record SenderIdentity(string DisplayName, string? PhoneE164 = null, string? WhatsAppUserId = null);

/// <summary>One message on its way into the archive, from any capture path.</summary>
internal sealed record ArchiveRecord(
    SenderIdentity? Sender, DateTimeOffset SentAt, string Body, MessageKind Kind, MessageSource Source, string DedupKey,
    IReadOnlyList<ChatAttachment> Attachments)
{
    public string? LocalTimestampText { get; init; }
    public string? TimeZoneId { get; init; }
    public TimestampFlag TimestampFlag { get; init; }
    public bool IsEdited { get; init; }
    public bool KindUncertain { get; init; }
    public long? ImportBatchId { get; init; }
    public int? LineNumber { get; init; }
    public CaptureReference? Capture { get; init; }
}

/// <summary>The ids a stored message and its attachments were given.</summary>
internal sealed record AppendedMessage(long Id, long[] AttachmentIds);
