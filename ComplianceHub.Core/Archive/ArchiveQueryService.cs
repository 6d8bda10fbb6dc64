using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Archive;

/// <summary>Reads the archive for browsing: conversations and their figures.</summary>
public sealed class ArchiveQueryService(IDbContextFactory<ComplianceHubDbContext> dbFactory)
{
    /// <summary>
    /// Every conversation with its custodians, message count and period, most recent activity first. WhatsApp's
    /// own notices (encryption, security codes, members joining) are not messages: they neither count nor start the period.
    /// </summary>
    public async Task<IReadOnlyList<ConversationSummary>> ListConversationsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var figures = await db.ChatMessages.AsNoTracking()
            .Where(m => m.Kind != MessageKind.System)
            .GroupBy(m => m.ConversationId)
            .Select(g => new { ConversationId = g.Key, Count = g.Count(), First = g.Min(m => m.SentAt), Last = g.Max(m => m.SentAt) })
            .ToDictionaryAsync(f => f.ConversationId, ct);
        var participants = await db.ChatParticipants.AsNoTracking()
            .GroupBy(p => p.ConversationId)
            .Select(g => new { ConversationId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(p => p.ConversationId, p => p.Count, ct);
        // A conversation an import is creating is not there yet for readers (ArchiveVisibility).
        var beingCreated = await db.ImportBatches.Where(b => b.CompletedAt == null)
            .Select(b => b.ConversationId).ToListAsync(ct);
        var conversations = (await db.Conversations.AsNoTracking().Include(c => c.Custodians).ToListAsync(ct))
            .Where(c => !beingCreated.Contains(c.Id) || figures.ContainsKey(c.Id)).ToList();

        return conversations
            .Select(c =>
            {
                var f = figures.GetValueOrDefault(c.Id);
                return new ConversationSummary(
                    c.Id, c.Title, c.Kind, c.Custodians.Select(k => k.Email).Order(StringComparer.Ordinal).ToList(),
                    participants.GetValueOrDefault(c.Id), f?.Count ?? 0, f?.First, f?.Last);
            })
            .OrderByDescending(c => c.LastMessageAt)
            .ToList();
    }
}

public sealed record ConversationSummary(
    long Id,
    string Title,
    ConversationKind Kind,
    IReadOnlyList<string> Custodians,
    int Participants,
    int Messages,
    DateTimeOffset? FirstMessageAt,
    DateTimeOffset? LastMessageAt);
