using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Search;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Transcripts;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Exports;

/// <summary>What an export takes in: the messages of a legal hold (its scope rule), those a search finds, or one whole conversation.</summary>
public abstract record ExportSource
{
    private ExportSource()
    {
    }

    public sealed record LegalHold(long HoldId) : ExportSource;

    public sealed record Conversation(long ConversationId) : ExportSource;

    /// <summary>Every message the search finds (its words and filters; no cap), as it stands when the production runs.</summary>
    public sealed record Search(MessageSearchCriteria Criteria) : ExportSource;

    public string Describe() => this switch
    {
        LegalHold h => $"legal hold {h.HoldId.ToString(CultureInfo.InvariantCulture)}",
        Conversation c => $"conversation {c.ConversationId.ToString(CultureInfo.InvariantCulture)}",
        Search s => "search " + s.Criteria.Describe(),
        _ => throw new InvalidOperationException(),
    };
}

/// <summary>
/// One conversation's part of a production: its messages with search keys in [<see cref="FromKey"/>,
/// <see cref="UntilKey"/>) (open ends), or exactly <see cref="MessageIds"/> (a search's hits, in chain order) when
/// given; how many there are, and the section's SHA-256: the hash over its messages' chain hashes, one per line
/// (<c>hash\n</c>), oldest first, so a third party holding the messages can recompute it.
/// </summary>
public sealed record ExportSection(
    long ConversationId, string Title, long? FromKey, long? UntilKey, int Messages, int Notices, int Attachments, string Sha256,
    IReadOnlyList<long>? MessageIds = null)
{
    /// <summary>The section's messages among <paramref name="messages"/> (visible ones: the caller's query filters apply).</summary>
    public IQueryable<ChatMessage> Of(IQueryable<ChatMessage> messages) => MessageIds is { } ids
        ? messages.Where(m => m.ConversationId == ConversationId && ids.Contains(m.Id))
        : messages.Where(m => m.ConversationId == ConversationId && m.SearchKey >= (FromKey ?? long.MinValue) && m.SearchKey < (UntilKey ?? long.MaxValue));
}

/// <summary>An export's scope resolved against the archive: the matter, a description of the scope, and its sections.</summary>
public sealed record ResolvedExport(
    string Matter, string? MatterNumber, IReadOnlyList<KeyValuePair<string, string>> Scope, IReadOnlyList<ExportSection> Sections,
    IReadOnlyList<string> Custodians)
{
    public int Messages => Sections.Sum(s => s.Messages);
    public int Notices => Sections.Sum(s => s.Notices);
    public int Attachments => Sections.Sum(s => s.Attachments);
}

/// <summary>Resolves an <see cref="ExportSource"/> into sections, hashing each (one read of its chain hashes by key).</summary>
public static class ExportScope
{
    public static async Task<ResolvedExport> ResolveAsync(ComplianceHubDbContext db, ExportSource source, MessageSearchService search, CancellationToken ct)
    {
        switch (source)
        {
            case ExportSource.LegalHold { HoldId: var holdId }:
            {
                var hold = await db.LegalHolds.AsNoTracking().Include(h => h.Conversations).Include(h => h.Custodians)
                    .SingleOrDefaultAsync(h => h.Id == holdId, ct) ?? throw new ComplianceRuleException($"There is no legal hold {holdId}.");
                var footprint = await LegalHoldScope.FootprintAsync(db, db.LegalHolds.Where(h => h.Id == holdId), ct);
                var sections = new List<ExportSection>();
                foreach (var conversationId in footprint.ConversationIds)
                {
                    sections.Add(await SectionAsync(db, conversationId, hold.ScopeFromKey, hold.ScopeUntilKey, ct)
                        ?? throw new ComplianceRuleException($"Conversation {conversationId} is no longer in the archive."));
                }

                var scope = new List<KeyValuePair<string, string>>
                {
                    new("Legal hold", $"#{hold.Id} {hold.Name}{(hold.IsActive ? "" : " (released)")}"),
                    new("Placed", $"{hold.PlacedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC by {hold.PlacedBy}"),
                    new("Dates", Range(hold.ScopeFrom, hold.ScopeUntil)),
                    new("Conversations named", hold.Conversations.Count == 0 ? "none" : string.Join(", ", sections
                        .Where(s => hold.Conversations.Any(c => c.ConversationId == s.ConversationId)).Select(s => s.Title))),
                    new("Custodians named", hold.Custodians.Count == 0 ? "none" : string.Join(", ", hold.Custodians.Select(c => c.Email).Order(StringComparer.Ordinal))),
                };
                if (!string.IsNullOrWhiteSpace(hold.Description))
                {
                    scope.Add(new("Description", hold.Description));
                }

                if (hold.SourceCriteriaJson is { } criteria)
                {
                    scope.Add(new("Placed from the search", criteria));
                }

                return new ResolvedExport(hold.Name, hold.MatterNumber, scope, sections, await CustodiansAsync(db, footprint.ConversationIds, ct));
            }

            case ExportSource.Conversation { ConversationId: var conversationId }:
            {
                var section = await SectionAsync(db, conversationId, null, null, ct)
                    ?? throw new ComplianceRuleException($"There is no conversation {conversationId}.");
                return new ResolvedExport(section.Title, null, [new("Conversation", $"#{conversationId} {section.Title}, every message")], [section],
                    await CustodiansAsync(db, [conversationId], ct));
            }

            case ExportSource.Search { Criteria: var criteria }:
            {
                CheckSearch(criteria);
                var hits = await search.MatchingMessagesAsync(criteria, ct);
                if (hits.Count == 0)
                {
                    throw new ComplianceRuleException($"The search {criteria.Describe()} finds no messages: there is nothing to produce.");
                }

                var sections = new List<ExportSection>();
                foreach (var conversation in hits.GroupBy(h => h.ConversationId))
                {
                    sections.Add(await SectionAsync(db, conversation.Key, conversation.Select(h => h.MessageId).ToList(), ct)
                        ?? throw new ComplianceRuleException($"Conversation {conversation.Key} is no longer in the archive."));
                }

                var scope = new List<KeyValuePair<string, string>> { new("Search", criteria.Describe()), new("Hits", $"{hits.Count:N0} message(s), found when produced") };
                return new ResolvedExport("Search: " + criteria.Describe(), null, scope, sections,
                    await CustodiansAsync(db, sections.Select(s => s.ConversationId).ToList(), ct));
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(source));
        }
    }

    /// <summary>A search a production can run: words, a filter or both, and words the query language reads.</summary>
    public static void CheckSearch(MessageSearchCriteria criteria)
    {
        if (criteria.IsEmpty)
        {
            throw new ComplianceRuleException("A search production needs words, a filter or both.");
        }

        try
        {
            if (!string.IsNullOrWhiteSpace(criteria.Text))
            {
                SearchQuery.Parse(criteria.Text);
            }
        }
        catch (SearchQueryException e)
        {
            throw new ComplianceRuleException($"The search cannot run: {e.Message}");
        }
    }

    /// <summary>The section's messages, oldest first, a window at a time.</summary>
    public static IAsyncEnumerable<TranscriptMessage> ReadSectionAsync(this TranscriptService transcripts, ExportSection section, CancellationToken ct) =>
        section.MessageIds is { } ids
            ? transcripts.ReadManyAsync(section.ConversationId, ids, ct)
            : transcripts.ReadAllAsync(section.ConversationId, section.FromKey, section.UntilKey, ct);

    /// <summary>The text a section's hash is taken over, for one message: its chain hash and a line feed.</summary>
    public static string SectionHashLine(string chainHash) => chainHash + "\n";

    /// <summary>One conversation's messages with keys in [<paramref name="fromKey"/>, <paramref name="untilKey"/>), counted and hashed; null when there is no such conversation.</summary>
    internal static async Task<ExportSection?> SectionAsync(ComplianceHubDbContext db, long conversationId, long? fromKey, long? untilKey, CancellationToken ct)
    {
        if (await TitleAsync(db, conversationId, ct) is not { } title)
        {
            return null;
        }

        using var tally = new SectionTally();
        await tally.AddAsync(db, db.ChatMessages.AsNoTracking().Where(m => m.ConversationId == conversationId
            && m.SearchKey >= (fromKey ?? long.MinValue) && m.SearchKey < (untilKey ?? long.MaxValue)), ct);
        return tally.Section(conversationId, title, fromKey, untilKey, null);
    }

    /// <summary>Exactly the messages <paramref name="messageIds"/> (in chain order) of one conversation, counted and hashed; null when there is no such conversation.</summary>
    internal static async Task<ExportSection?> SectionAsync(ComplianceHubDbContext db, long conversationId, IReadOnlyList<long> messageIds, CancellationToken ct)
    {
        if (await TitleAsync(db, conversationId, ct) is not { } title)
        {
            return null;
        }

        using var tally = new SectionTally();
        foreach (var chunk in messageIds.Chunk(1000))
        {
            var ids = chunk.ToList();
            await tally.AddAsync(db, db.ChatMessages.AsNoTracking().Where(m => m.ConversationId == conversationId && ids.Contains(m.Id)), ct);
        }

        return tally.Section(conversationId, title, null, null, messageIds);
    }

    private static Task<string?> TitleAsync(ComplianceHubDbContext db, long conversationId, CancellationToken ct) =>
        db.Conversations.Where(c => c.Id == conversationId).Select(c => (string?)c.Title).SingleOrDefaultAsync(ct);

    /// <summary>A section's hash (over its messages' chain hashes in chain order), messages, notices and attachments, added up a query at a time.</summary>
    private sealed class SectionTally : IDisposable
    {
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private int _messages;
        private int _notices;
        private int _attachments;

        public async Task AddAsync(ComplianceHubDbContext db, IQueryable<ChatMessage> messages, CancellationToken ct)
        {
            await foreach (var row in messages.OrderBy(m => m.SearchKey).Select(m => new { m.Hash, m.Kind }).AsAsyncEnumerable().WithCancellation(ct))
            {
                _sha.AppendData(Encoding.UTF8.GetBytes(SectionHashLine(row.Hash)));
                if (row.Kind == MessageKind.System)
                {
                    _notices++;
                }
                else
                {
                    _messages++;
                }
            }

            _attachments += await db.ChatAttachments.CountAsync(a => messages.Any(m => m.Id == a.MessageId), ct);
        }

        public ExportSection Section(long conversationId, string title, long? fromKey, long? untilKey, IReadOnlyList<long>? messageIds) =>
            new(conversationId, title, fromKey, untilKey, _messages, _notices, _attachments, Convert.ToHexStringLower(_sha.GetHashAndReset()), messageIds);

        public void Dispose() => _sha.Dispose();
    }

    private static async Task<IReadOnlyList<string>> CustodiansAsync(ComplianceHubDbContext db, IReadOnlyList<long> conversations, CancellationToken ct) =>
        await db.ConversationCustodians.Where(c => conversations.Contains(c.ConversationId)).Select(c => c.Email).Distinct()
            .OrderBy(e => e).ToListAsync(ct);

    private static string Range(DateTimeOffset? from, DateTimeOffset? until) => (from, until) switch
    {
        (null, null) => "all dates",
        ({ } f, null) => $"from {f.UtcDateTime:yyyy-MM-dd HH:mm} UTC",
        (null, { } u) => $"before {u.UtcDateTime:yyyy-MM-dd HH:mm} UTC",
        ({ } f, { } u) => $"{f.UtcDateTime:yyyy-MM-dd HH:mm} UTC to before {u.UtcDateTime:yyyy-MM-dd HH:mm} UTC",
    };
}
