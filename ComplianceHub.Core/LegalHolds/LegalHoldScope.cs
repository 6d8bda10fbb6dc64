using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.LegalHolds;

/// <summary>
/// The one rule for which messages a legal hold covers, in the two forms its callers need: SQL for the
/// hand-written search and count queries, and LINQ for everything else (the transcript header,
/// retention, exports). A message is covered when it was sent within the hold's range (its search keys
/// <see cref="LegalHold.ScopeFromKey"/> inclusive to <see cref="LegalHold.ScopeUntilKey"/> exclusive,
/// either end open) in a conversation the hold names or that one of its custodians keeps, including
/// conversations archived after the hold was placed. A released hold covers nothing once released;
/// <see cref="Active"/> picks the holds in force. Both forms are held to the same answers by
/// <c>LegalHoldScopeTests</c> on both providers.
/// </summary>
public static class LegalHoldScope
{
    /// <summary>The holds in force.</summary>
    public static IQueryable<LegalHold> Active(ComplianceHubDbContext db) => db.LegalHolds.Where(h => h.ReleasedAt == null);

    /// <summary>SQL: true when the message aliased <paramref name="message"/> is covered by an active hold.</summary>
    public static string OnHoldCondition(string message) => Condition(message, "h.\"ReleasedAt\" IS NULL");

    /// <summary>SQL: true when the message is covered by the hold whose id is the parameter <paramref name="holdParameter"/> (released or not).</summary>
    public static string InScopeOfHoldCondition(string message, string holdParameter) => Condition(message, $"h.\"Id\" = {holdParameter}");

    /// <summary>LINQ: the messages <paramref name="holds"/> cover.</summary>
    public static IQueryable<ChatMessage> Messages(ComplianceHubDbContext db, IQueryable<LegalHold> holds) =>
        db.ChatMessages.Where(m => holds.Any(h =>
            m.SearchKey >= (h.ScopeFromKey ?? long.MinValue) && m.SearchKey < (h.ScopeUntilKey ?? long.MaxValue)
            && (h.Conversations.Any(c => c.ConversationId == m.ConversationId)
                || h.Custodians.Any(hu => db.ConversationCustodians.Any(cc => cc.ConversationId == m.ConversationId && cc.Email == hu.Email)))));

    /// <summary>LINQ: those of <paramref name="holds"/> that cover at least one message of the conversation (its header names them).</summary>
    public static IQueryable<LegalHold> Covering(ComplianceHubDbContext db, IQueryable<LegalHold> holds, long conversationId) =>
        TakingIn(db, holds, conversationId).Where(h => db.ChatMessages.Any(m => m.ConversationId == conversationId
            && m.SearchKey >= (h.ScopeFromKey ?? long.MinValue) && m.SearchKey < (h.ScopeUntilKey ?? long.MaxValue)));

    /// <summary>
    /// Where <paramref name="holds"/> can cover anything: the conversations they take in and the span of
    /// their ranges (null ends: unbounded). A query that lists these first reads the (conversation, key)
    /// index instead of every message; the exact rule, each hold with its own range, is still the condition's.
    /// </summary>
    public static async Task<HoldFootprint> FootprintAsync(ComplianceHubDbContext db, IQueryable<LegalHold> holds, CancellationToken ct)
    {
        var ranges = await holds.Select(h => new { h.ScopeFromKey, h.ScopeUntilKey }).ToListAsync(ct);
        if (ranges.Count == 0)
        {
            return new HoldFootprint([], null, null);
        }

        var ids = holds.Select(h => h.Id);
        var conversations = await db.LegalHoldConversations.Where(hc => ids.Contains(hc.HoldId)).Select(hc => hc.ConversationId)
            .Concat(db.ConversationCustodians
                .Where(cc => db.LegalHoldCustodians.Any(hu => hu.Email == cc.Email && ids.Contains(hu.HoldId)))
                .Select(cc => cc.ConversationId))
            .Distinct()
            .ToListAsync(ct);
        return new HoldFootprint(
            conversations.Order().ToList(),
            ranges.Any(r => r.ScopeFromKey is null) ? null : ranges.Min(r => r.ScopeFromKey),
            ranges.Any(r => r.ScopeUntilKey is null) ? null : ranges.Max(r => r.ScopeUntilKey));
    }

    private static IQueryable<LegalHold> TakingIn(ComplianceHubDbContext db, IQueryable<LegalHold> holds, long conversationId) =>
        holds.Where(h => h.Conversations.Any(c => c.ConversationId == conversationId)
            || h.Custodians.Any(hu => db.ConversationCustodians.Any(cc => cc.ConversationId == conversationId && cc.Email == hu.Email)));

    private static string Condition(string message, string whichHolds) => $"""
        EXISTS (SELECT 1 FROM "LegalHolds" h
            WHERE {whichHolds}
              AND (h."ScopeFromKey" IS NULL OR {message}."SearchKey" >= h."ScopeFromKey")
              AND (h."ScopeUntilKey" IS NULL OR {message}."SearchKey" < h."ScopeUntilKey")
              AND (EXISTS (SELECT 1 FROM "LegalHoldConversations" hc WHERE hc."HoldId" = h."Id" AND hc."ConversationId" = {message}."ConversationId")
                OR EXISTS (SELECT 1 FROM "LegalHoldCustodians" hu JOIN "ConversationCustodians" cc ON cc."Email" = hu."Email"
                           WHERE hu."HoldId" = h."Id" AND cc."ConversationId" = {message}."ConversationId")))
        """;
}

/// <summary>The conversations some holds take in (ascending) and the span of their ranges' search keys.</summary>
public sealed record HoldFootprint(IReadOnlyList<long> ConversationIds, long? FromKey, long? UntilKey);
