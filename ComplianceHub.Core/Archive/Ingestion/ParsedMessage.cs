namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// One message as read from an export, in file order. <see cref="LocalTime"/> is the wall-clock time
/// the device showed; converting it to UTC needs the custodian's time zone.
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
    bool SystemByHeuristic)
{
    public bool IsSystem => Kind == MessageKind.System;
}
