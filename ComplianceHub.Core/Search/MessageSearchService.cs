using System.Globalization;
using System.Text;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Search;

/// <summary>
/// Searches the whole archive: full-text words through the provider's index, filters on the messages,
/// newest first or by relevance, in keyset pages. The index drives every text search in its own order
/// (the search key, which follows sent time), with the date range as a key range, so a common word
/// costs one page of the posting list and not a sort of all of it (perf-notes.md). Every search is
/// audited with its query and filters.
/// </summary>
public sealed class MessageSearchService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, IMessageSearch index, AuditLog audit)
{
    /// <summary>Result counts stop here and show as "10,000+".</summary>
    public const int CountCap = 10_000;

    public const int MaxPageSize = 500;

    /// <summary>
    /// A page of hits for <paramref name="criteria"/>, after <paramref name="after"/> (a previous page's
    /// <see cref="MessageSearchPage.Next"/>). The first page of a search is audited with the query and
    /// filters. Throws <see cref="SearchQueryException"/> for a query that cannot run. The number of
    /// hits comes from <see cref="CountAsync"/>, so a page never waits for a long count.
    /// </summary>
    public async Task<MessageSearchPage> SearchAsync(
        MessageSearchCriteria criteria, AuditActor actor, int pageSize = 50, string? after = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        var query = Parse(criteria);
        var cursor = after is null ? null : Cursor.Parse(after);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await ResolveScopeAsync(db, criteria, ct);
        var page = scope.IsEmpty ? new MessageSearchPage([], null) : await PageAsync(db, criteria, query, scope, pageSize, cursor, ct);

        if (after is null)
        {
            audit.Record(db, AuditEventType.ArchiveSearched, actor, null, new
            {
                query = criteria.Text,
                participant = criteria.Participant,
                person = criteria.PersonId,
                sender = criteria.Sender,
                conversations = criteria.ConversationIds,
                custodian = criteria.Custodian,
                from = criteria.From,
                until = criteria.Until,
                categories = criteria.Categories.Select(c => c.ToString()),
                source = criteria.Source?.ToString(),
                hasAttachments = criteria.HasAttachments,
                order = criteria.Order.ToString(),
            });
            await db.SaveChangesAsync(ct);
        }

        return page;
    }

    /// <summary>How many messages match, exactly up to <see cref="CountCap"/> (the search itself is audited by <see cref="SearchAsync"/>).</summary>
    public async Task<MessageSearchCount> CountAsync(MessageSearchCriteria criteria, CancellationToken ct = default)
    {
        var query = Parse(criteria);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await ResolveScopeAsync(db, criteria, ct);
        if (scope.IsEmpty)
        {
            return new MessageSearchCount(0, false);
        }

        var plan = Plan(criteria, query, scope, countOnly: true);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = DbCommands.Create(db.Database.GetDbConnection(), null,
            $"SELECT COUNT(*) FROM (SELECT 1 AS x FROM {plan.From} {plan.Filter} LIMIT {CountCap + 1}) AS c", plan.Parameters);
        var count = Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        return new MessageSearchCount(Math.Min(count, CountCap), count > CountCap);
    }

    /// <summary>The conversations in which <paramref name="criteria"/> finds at least one message (a legal hold's scope from a search).</summary>
    public async Task<IReadOnlyList<long>> MatchingConversationsAsync(MessageSearchCriteria criteria, CancellationToken ct = default) =>
        (await ReadMatchesAsync(criteria, "DISTINCT m.\"ConversationId\"", reader => reader.GetInt64(0), ct)).Order().ToList();

    /// <summary>
    /// Every message <paramref name="criteria"/> finds (no cap), by conversation and then in chain order: a
    /// production's scope. The caller audits the production; this records no search event of its own.
    /// </summary>
    public async Task<IReadOnlyList<MatchedMessage>> MatchingMessagesAsync(MessageSearchCriteria criteria, CancellationToken ct = default)
    {
        var messages = await ReadMatchesAsync(criteria, "m.\"ConversationId\", m.\"Id\", m.\"SearchKey\"",
            reader => new MatchedMessage(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)), ct);
        messages.Sort((a, b) => a.ConversationId != b.ConversationId ? a.ConversationId.CompareTo(b.ConversationId) : a.SearchKey.CompareTo(b.SearchKey));
        return messages;
    }

    /// <summary>Every match of <paramref name="criteria"/>, uncapped and unordered, as <paramref name="columns"/> of the messages (alias m) read by <paramref name="read"/>.</summary>
    private async Task<List<T>> ReadMatchesAsync<T>(MessageSearchCriteria criteria, string columns, Func<System.Data.Common.DbDataReader, T> read, CancellationToken ct)
    {
        var query = Parse(criteria);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var scope = await ResolveScopeAsync(db, criteria, ct);
        if (scope.IsEmpty)
        {
            return [];
        }

        var plan = Plan(criteria, query, scope, countOnly: false);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = DbCommands.Create(db.Database.GetDbConnection(), null, $"SELECT {columns} FROM {plan.From} {plan.Filter}", plan.Parameters);
        var results = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            results.Add(read(reader));
        }

        return results;
    }

    private static SearchQuery? Parse(MessageSearchCriteria criteria) =>
        string.IsNullOrWhiteSpace(criteria.Text) ? null : SearchQuery.Parse(criteria.Text);

    /// <summary>
    /// The FROM and WHERE of a search. With words, the index drives and the date range is a range of
    /// its keys; a count without filters on the messages themselves reads the index alone.
    /// </summary>
    private SqlPlan Plan(MessageSearchCriteria criteria, SearchQuery? query, Scope scope, bool countOnly)
    {
        var parameters = new List<(string Name, object? Value)>();
        var where = new List<string>();
        var key = query is null ? "m.\"SearchKey\"" : index.IndexKey;
        var messageFilters = new List<string>();
        AddFilters(criteria, scope, messageFilters, parameters, indexDriven: query is not null);
        string from;
        if (query is null)
        {
            from = "\"ChatMessages\" m";
        }
        else
        {
            from = countOnly && messageFilters.Count == 0 ? index.IndexTable : index.IndexJoin;
            where.Add(index.MatchCondition);
            parameters.Add(("@match", index.ToMatch(query)));
        }

        if (criteria.From is { } since)
        {
            where.Add($"{key} >= @fromKey");
            parameters.Add(("@fromKey", SearchKeys.FirstOf(since)));
        }

        if (criteria.Until is { } until)
        {
            where.Add($"{key} < @untilKey");
            parameters.Add(("@untilKey", SearchKeys.FirstOf(until, roundUp: true)));
        }

        if (scope.FromKey is { } heldFrom)
        {
            where.Add($"{key} >= @heldFromKey");
            parameters.Add(("@heldFromKey", heldFrom));
        }

        if (scope.UntilKey is { } heldUntil)
        {
            where.Add($"{key} < @heldUntilKey");
            parameters.Add(("@heldUntilKey", heldUntil));
        }

        where.AddRange(messageFilters);
        return new SqlPlan(from, where, parameters, key);
    }

    private async Task<MessageSearchPage> PageAsync(
        ComplianceHubDbContext db, MessageSearchCriteria criteria, SearchQuery? query, Scope scope, int pageSize, Cursor? cursor, CancellationToken ct)
    {
        var plan = Plan(criteria, query, scope, countOnly: false);
        var (key, parameters) = (plan.Key, plan.Parameters);
        var relevance = query is not null && criteria.Order == SearchOrder.Relevance;
        string sql;
        if (relevance)
        {
            var inner = $"SELECT m.\"Id\" AS id, {key} AS k, {index.Score} AS score FROM {plan.From} {plan.Filter}";
            var page = cursor is { Score: not null } ? "WHERE (r.score > @cursorScore OR (r.score = @cursorScore AND r.k < @cursorKey))" : "";
            sql = $"SELECT r.id, r.k, r.score FROM ({inner}) AS r {page} ORDER BY r.score, r.k DESC LIMIT {pageSize + 1}";
            if (cursor is { Score: { } score })
            {
                parameters.Add(("@cursorScore", score));
                parameters.Add(("@cursorKey", cursor.Key));
            }
        }
        else
        {
            var filter = plan.Filter;
            if (cursor is not null)
            {
                filter += (filter.Length == 0 ? "WHERE " : " AND ") + $"{key} < @cursorKey";
                parameters.Add(("@cursorKey", cursor.Key));
            }

            sql = $"SELECT m.\"Id\", {key}, 0.0 FROM {plan.From} {filter} ORDER BY {key} DESC LIMIT {pageSize + 1}";
        }

        await db.Database.OpenConnectionAsync(ct);
        var rows = new List<(long Id, long Key, double Score)>();
        await using (var command = DbCommands.Create(db.Database.GetDbConnection(), null, sql, parameters))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetInt64(0), reader.GetInt64(1), Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture)));
            }
        }

        string? next = null;
        if (rows.Count > pageSize)
        {
            rows.RemoveAt(rows.Count - 1);
            var last = rows[^1];
            next = new Cursor(last.Key, relevance ? last.Score : null).ToString();
        }

        var hits = await LoadHitsAsync(db, rows.Select(r => r.Id).ToList(), query, ct);
        return new MessageSearchPage(hits, next);
    }

    /// <summary>Conversation and sender filters resolved to ids in memory, so names match the same way (any case, any script) on every provider.</summary>
    private static async Task<Scope> ResolveScopeAsync(ComplianceHubDbContext db, MessageSearchCriteria criteria, CancellationToken ct)
    {
        HashSet<long>? conversations = criteria.ConversationIds.Count > 0 ? [.. criteria.ConversationIds] : null;
        HashSet<long>? senders = null;

        if (!string.IsNullOrWhiteSpace(criteria.Participant) || !string.IsNullOrWhiteSpace(criteria.Sender) || criteria.PersonId is not null)
        {
            var participants = await db.ChatParticipants.AsNoTracking()
                .Select(p => new { p.Id, p.ConversationId, p.DisplayName, p.PhoneE164 })
                .ToListAsync(ct);

            // Who each number belongs to on the roster: a participant matches by their roster name too.
            var roster = (await RosterNumbers.Owners(db).ToListAsync(ct))
                .Select(o => new { o.PhoneE164, Id = o.PersonId, o.Name })
                .ToLookup(r => r.PhoneE164, StringComparer.Ordinal);
            bool Matches(Func<string, string?, bool> matcher, string displayName, string? phone) =>
                matcher(displayName, phone) || (phone is not null && roster[phone].Any(r => matcher(r.Name, null)));

            if (!string.IsNullOrWhiteSpace(criteria.Participant))
            {
                var matcher = PersonMatcher(criteria.Participant);
                conversations = Intersect(conversations, participants.Where(p => Matches(matcher, p.DisplayName, p.PhoneE164)).Select(p => p.ConversationId));
            }

            if (criteria.PersonId is { } personId)
            {
                conversations = Intersect(conversations, participants
                    .Where(p => p.PhoneE164 is not null && roster[p.PhoneE164].Any(r => r.Id == personId)).Select(p => p.ConversationId));
            }

            if (!string.IsNullOrWhiteSpace(criteria.Sender))
            {
                var matcher = PersonMatcher(criteria.Sender);
                senders = [.. participants.Where(p => Matches(matcher, p.DisplayName, p.PhoneE164)).Select(p => p.Id)];
            }
        }

        if (!string.IsNullOrWhiteSpace(criteria.Custodian))
        {
            var email = criteria.Custodian.Trim();
            var custodians = await db.Set<ConversationCustodian>().AsNoTracking().Select(c => new { c.ConversationId, c.Email }).ToListAsync(ct);
            conversations = Intersect(conversations, custodians.Where(c => string.Equals(c.Email, email, StringComparison.OrdinalIgnoreCase)).Select(c => c.ConversationId));
        }

        // A running import's messages are not part of the archive yet (ArchiveVisibility); almost always there is none.
        var importsRunning = await db.ImportBatches.AnyAsync(b => b.CompletedAt == null, ct);
        if (criteria.OnLegalHold == true)
        {
            // Only the active holds' conversations, within the span of their ranges, can hold messages: listed, they drive
            // the (conversation, key) index, and the span bounds the keys any index reads. The exact rule is the filter's.
            var held = await LegalHoldScope.FootprintAsync(db, LegalHoldScope.Active(db), ct);
            return new Scope(Intersect(conversations, held.ConversationIds), senders, held.FromKey, held.UntilKey) { ImportsRunning = importsRunning };
        }

        return new Scope(conversations, senders) { ImportsRunning = importsRunning };
    }

    /// <summary>A number (any common form) matches the participant's number; other text matches part of the name, ignoring case.</summary>
    private static Func<string, string?, bool> PersonMatcher(string text)
    {
        var trimmed = text.Trim();
        if (PhoneNumberNormalizer.TryNormalize(trimmed) is { } phone)
        {
            return (_, number) => number == phone;
        }

        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray()).TrimStart('0');
        if (digits.Length >= 6 && trimmed.All(c => char.IsAsciiDigit(c) || char.IsWhiteSpace(c) || c is '-' or '(' or ')' or '.'))
        {
            // Digits without a country code (a national trunk 0 dropped): the end of a number.
            return (_, number) => number is not null && number.EndsWith(digits, StringComparison.Ordinal);
        }

        return (name, number) => name.Contains(trimmed, StringComparison.CurrentCultureIgnoreCase);
    }

    private static HashSet<long> Intersect(HashSet<long>? current, IEnumerable<long> ids)
    {
        var set = ids.ToHashSet();
        if (current is not null)
        {
            set.IntersectWith(current);
        }

        return set;
    }

    /// <summary>
    /// The filters on <c>m</c>. When the full-text index drives (<paramref name="indexDriven"/>), each hit
    /// is looked up by its key and the conversation and sender lists are only checked: written plainly,
    /// SQLite would probe the (conversation, key) index once per listed conversation for every hit (ten
    /// times slower for 20 conversations), so the column is wrapped in a unary plus, which no index serves.
    /// </summary>
    private static void AddFilters(
        MessageSearchCriteria criteria, Scope scope, List<string> where, List<(string Name, object? Value)> parameters, bool indexDriven)
    {
        var checkOnly = indexDriven ? "+" : "";
        if (scope.ImportsRunning)
        {
            where.Add(ArchiveVisibility.SqlCondition("m"));
        }

        if (scope.Conversations is { } conversations)
        {
            where.Add($"{checkOnly}m.\"ConversationId\" IN ({string.Join(", ", conversations.Order().Select(Invariant))})");
        }

        if (scope.Senders is { } senders)
        {
            where.Add($"{checkOnly}m.\"ParticipantId\" IN ({string.Join(", ", senders.Order().Select(Invariant))})");
        }

        if (criteria.Categories.Count > 0)
        {
            var kinds = criteria.Categories.Distinct().Select(CategoryCondition);
            where.Add("(" + string.Join(" OR ", kinds) + ")");
        }

        if (criteria.Source is { } source)
        {
            where.Add("m.\"Source\" = @source");
            parameters.Add(("@source", (int)source));
        }

        if (criteria.HasAttachments is { } has)
        {
            where.Add((has ? "" : "NOT ") + "EXISTS (SELECT 1 FROM \"ChatAttachments\" a WHERE a.\"MessageId\" = m.\"Id\")");
        }

        if (criteria.OnLegalHold is { } held)
        {
            where.Add((held ? "" : "NOT ") + LegalHoldScope.OnHoldCondition("m"));
        }
    }

    private static string CategoryCondition(MessageCategory category) => category switch
    {
        MessageCategory.Text => $"m.\"Kind\" = {(int)MessageKind.Text}",
        MessageCategory.Media => $"m.\"Kind\" = {(int)MessageKind.Media}",
        MessageCategory.System => $"m.\"Kind\" = {(int)MessageKind.System}",
        MessageCategory.Deleted => $"m.\"Kind\" = {(int)MessageKind.Deleted}",
        MessageCategory.Edited => "m.\"IsEdited\" = TRUE",
        MessageCategory.Reaction => $"m.\"Kind\" = {(int)MessageKind.Reaction}",
        MessageCategory.Other => $"m.\"Kind\" IN ({string.Join(", ", OtherKinds.Select(k => (int)k))})",
        _ => throw new ArgumentOutOfRangeException(nameof(category)),
    };

    private static readonly MessageKind[] OtherKinds =
        [MessageKind.Poll, MessageKind.Location, MessageKind.Contact, MessageKind.Interactive, MessageKind.Unsupported, MessageKind.Order];

    private static async Task<List<MessageSearchHit>> LoadHitsAsync(ComplianceHubDbContext db, List<long> ids, SearchQuery? query, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await db.ChatMessages.AsNoTracking()
            .Where(m => ids.Contains(m.Id))
            .Select(m => new
            {
                m.Id,
                m.ConversationId,
                Conversation = db.Conversations.Where(c => c.Id == m.ConversationId).Select(c => c.Title).First(),
                Sender = db.ChatParticipants.Where(p => p.Id == m.ParticipantId).Select(p => new { p.DisplayName, p.PhoneE164 }).FirstOrDefault(),
                m.SentAt,
                m.Body,
                m.Kind,
                m.IsEdited,
                m.Source,
                Attachments = m.Attachments.OrderBy(a => a.Ordinal).Select(a => a.FileName).ToList(),
            })
            .ToDictionaryAsync(m => m.Id, ct);

        return ids.Select(id => rows[id]).Select(m => new MessageSearchHit(
            m.Id, m.ConversationId, m.Conversation, m.Sender?.DisplayName, m.Sender?.PhoneE164, m.SentAt, m.Body, m.Kind, m.IsEdited, m.Source,
            m.Attachments, SearchHighlighter.Highlight(m.Body, query))).ToList();
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record SqlPlan(string From, List<string> Where, List<(string Name, object? Value)> Parameters, string Key)
    {
        public string Filter => Where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", Where);
    }

    /// <summary>Conversations and senders the filters allow (null: any), and a range of keys the legal-hold filter allows (null: unbounded).</summary>
    private sealed record Scope(HashSet<long>? Conversations, HashSet<long>? Senders, long? FromKey = null, long? UntilKey = null)
    {
        /// <summary>Some import has not completed: its messages must be filtered out (which needs the messages, not only the index).</summary>
        public bool ImportsRunning { get; init; }

        public bool IsEmpty => Conversations is { Count: 0 } || Senders is { Count: 0 };
    }

    /// <summary>Where a page ends: the last hit's search key, and its score when ordered by relevance.</summary>
    private sealed record Cursor(long Key, double? Score)
    {
        public static Cursor Parse(string text)
        {
            try
            {
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(text)).Split(':');
                return new Cursor(
                    long.Parse(parts[0], CultureInfo.InvariantCulture),
                    parts.Length > 1 ? double.Parse(parts[1], CultureInfo.InvariantCulture) : null);
            }
            catch (Exception e) when (e is FormatException or OverflowException or IndexOutOfRangeException)
            {
                throw new SearchQueryException("The page position is not one this search produced: start the search again.", 0);
            }
        }

        public override string ToString() => Convert.ToBase64String(Encoding.UTF8.GetBytes(
            Key.ToString(CultureInfo.InvariantCulture) + (Score is { } s ? ":" + s.ToString("R", CultureInfo.InvariantCulture) : "")));
    }
}

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

    /// <summary>The search in words, as a production's cover and manifest state it: the query, then each filter set.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(Text))
        {
            parts.Add($"\u201C{Text.Trim()}\u201D");
        }

        void Add(string name, object? value)
        {
            if (value is not null && value is not "")
            {
                parts.Add($"{name} {value}");
            }
        }

        Add("participant", Participant);
        Add("roster person", PersonId);
        Add("sender", Sender);
        Add("conversations", ConversationIds.Count == 0 ? null : string.Join(", ", ConversationIds));
        Add("custodian", Custodian);
        Add("from", From?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        Add("before", Until?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        Add("kinds", Categories.Count == 0 ? null : string.Join(", ", Categories.Select(c => c.ToString().ToLowerInvariant())));
        Add("source", Source?.ToString().ToLowerInvariant());
        Add("attachments", HasAttachments switch { true => "required", false => "none", _ => null });
        Add("legal hold", OnLegalHold switch { true => "on one", false => "on none", _ => null });
        return parts.Count == 0 ? "(everything)" : string.Join("; ", parts);
    }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => string.IsNullOrWhiteSpace(Text) && string.IsNullOrWhiteSpace(Participant) && PersonId is null && string.IsNullOrWhiteSpace(Sender)
        && ConversationIds.Count == 0 && string.IsNullOrWhiteSpace(Custodian) && From is null && Until is null && Categories.Count == 0
        && Source is null && HasAttachments is null && OnLegalHold is null;
}

/// <summary>A message a search found: where it is and its place in its conversation.</summary>
public sealed record MatchedMessage(long ConversationId, long MessageId, long SearchKey);

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
