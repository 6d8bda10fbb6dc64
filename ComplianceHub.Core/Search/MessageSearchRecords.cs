using ComplianceHub.Core.Archive;

namespace ComplianceHub.Core.Search;

/// <summary>What kind of message a search keeps (any of those chosen).</summary>
public enum MessageCategory
{
    Text,
    Media,
    System,
    Deleted,
    Edited,
    Reaction,

    /// <summary>Polls, locations, contacts, interactive replies, orders and unsupported types.</summary>
    Other,
}

public enum SearchOrder
{
    Newest,

    /// <summary>Best match first (BM25 on SQLite, <c>ts_rank</c> on PostgreSQL); newest first without words.</summary>
    Relevance,
}

/// <summary>A search over the archive: words, filters and order. Every part is optional.</summary>
public sealed record MessageSearchCriteria
{
    /// <summary>Full-text query (<see cref="SearchQuery"/> syntax).</summary>
    public string? Text { get; init; }

    /// <summary>Messages in conversations a participant matching this name (part of it, any case) or number is in.</summary>
    public string? Participant { get; init; }

    /// <summary>Messages in conversations one of this roster person's numbers took part in.</summary>
    public long? PersonId { get; init; }

    /// <summary>Messages sent by a participant matching this name or number.</summary>
    public string? Sender { get; init; }

    public IReadOnlyList<long> ConversationIds { get; init; } = [];

    /// <summary>Messages in conversations this person (email) is custodian of.</summary>
    public string? Custodian { get; init; }

    /// <summary>Sent at or after this instant.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Sent before this instant.</summary>
    public DateTimeOffset? Until { get; init; }

    public IReadOnlyList<MessageCategory> Categories { get; init; } = [];
    public MessageSource? Source { get; init; }
    public bool? HasAttachments { get; init; }

    /// <summary>Only messages in (true) or out of (false) the scope of an active legal hold.</summary>
    public bool? OnLegalHold { get; init; }

    public SearchOrder Order { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => string.IsNullOrWhiteSpace(Text) && string.IsNullOrWhiteSpace(Participant) && PersonId is null && string.IsNullOrWhiteSpace(Sender)
        && ConversationIds.Count == 0 && string.IsNullOrWhiteSpace(Custodian) && From is null && Until is null && Categories.Count == 0
        && Source is null && HasAttachments is null && OnLegalHold is null;
}

/// <summary>A stretch of a message body, matched by the query or not.</summary>
public sealed record HighlightSegment(string Text, bool IsMatch);

public sealed record MessageSearchHit(
    long MessageId,
    long ConversationId,
    string Conversation,
    string? Sender,
    string? SenderPhone,
    DateTimeOffset SentAt,
    string Body,
    MessageKind Kind,
    bool IsEdited,
    MessageSource Source,
    IReadOnlyList<string> Attachments,
    IReadOnlyList<HighlightSegment> Highlighted);

/// <summary>
/// One page of hits. <see cref="Next"/> continues after the last hit (keyset, stable while new
/// messages arrive); null on the last page.
/// </summary>
public sealed record MessageSearchPage(IReadOnlyList<MessageSearchHit> Hits, string? Next);

/// <summary>
/// How many messages match: exact up to <see cref="MessageSearchService.CountCap"/>; past it
/// <see cref="IsLowerBound"/> is set (a common word's posting list is not worth counting to the end).
/// </summary>
public sealed record MessageSearchCount(int Count, bool IsLowerBound);
