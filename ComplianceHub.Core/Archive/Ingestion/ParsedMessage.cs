namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// One message as read from an export, in file order. <see cref="LocalTime"/> is the wall-clock time
/// the device showed; converting it to UTC needs the custodian's time zone. <see cref="KindUncertain"/> is set
/// when the line's signals disagreed on whether it is a notice or a person's message (see <see cref="IosNotice"/>).
/// </summary>
public sealed record ParsedMessage(
    int Position,
    int LineNumber,
    int LineCount,
    string TimestampText,
    DateTime LocalTime,
    string? Author,
    string? AuthorPhone,
    string Body,
    MessageKind Kind,
    bool IsEdited,
    string? AttachmentFileName,
    bool KindUncertain)
{
    public bool IsSystem => Kind == MessageKind.System;
}
