namespace ComplianceHub.Core.Archive;

// Stored as numbers: never renumber.

public enum ConversationKind
{
    Direct = 0,
    Group = 1,
}

/// <summary>The capture path a message came through.</summary>
public enum MessageSource
{
    Export = 0,
    Webhook = 1,
}

/// <summary>How the UTC instant of an exported message was derived from its wall-clock time.</summary>
public enum TimestampFlag
{
    /// <summary>The wall-clock time maps to exactly one instant.</summary>
    Exact = 0,

    /// <summary>The time falls in a daylight-saving gap (it never existed); read with the offset in force before the gap.</summary>
    Nonexistent = 1,

    /// <summary>The time occurred twice (clocks went back); read as the first occurrence.</summary>
    Ambiguous = 2,
}

public enum AttachmentStatus
{
    /// <summary>The file is in the blob store.</summary>
    Stored = 0,

    /// <summary>The export references a file that was not in the upload.</summary>
    Missing = 1,

    /// <summary>
    /// The capture reported the file (media id and Meta's SHA-256); its bytes are fetched from the Graph
    /// API separately and the download's state is in <c>MediaDownloads</c>.
    /// </summary>
    Remote = 2,
}
