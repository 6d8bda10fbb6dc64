namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// How to read an export: the custodian's IANA time zone (exports carry no offset), whose device it
/// came from, and optionally the date order when the inferred one is wrong.
/// </summary>
public sealed record ImportOptions(string TimeZoneId, string? CustodianEmail = null, DateOrder? DateOrder = null);

/// <summary>What an export holds, read without storing anything (the preview and <c>import --dry-run</c>).</summary>
public sealed record ImportPreview(
    string File,
    string ChatTitle,
    string Format,
    DateOrder DateOrder,
    bool DateOrderAmbiguous,
    int Messages,
    int SystemMessages,
    IReadOnlyList<string> Authors,
    DateTime? First,
    DateTime? Last,
    IReadOnlyList<string> Attachments,
    IReadOnlyList<string> MissingAttachments,
    IReadOnlyList<string> Warnings);

/// <summary>The outcome of a committed import.</summary>
public sealed record ImportResult(
    long BatchId,
    long ConversationId,
    string ChatTitle,
    int MessagesInFile,
    int MessagesAdded,
    int MessagesAlreadyPresent,
    int AttachmentsStored,
    int AttachmentsMissing,
    IReadOnlyList<string> Warnings);

/// <summary>Progress of a running import, reported every few thousand messages.</summary>
public sealed record ImportProgress(int MessagesRead, int MessagesInFile);
