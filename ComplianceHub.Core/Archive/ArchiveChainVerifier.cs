using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Archive;

/// <summary>
/// Walks every conversation's message chain in order and reports the first message whose position,
/// link or hash does not verify (a changed body, sender, time or attachment; a removed or inserted message).
/// </summary>
public sealed class ArchiveChainVerifier(IDbContextFactory<ComplianceHubDbContext> dbFactory) : IIntegrityCheck
{
    public const string ChainName = "archive";
    private const int BatchSize = 2000;

    public async Task<IReadOnlyList<ChainVerificationResult>> VerifyAsync(CancellationToken ct = default)
    {
        List<long> conversations;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            conversations = await db.Conversations.AsNoTracking().OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        }

        long checkedCount = 0;
        long crossed = 0;
        foreach (var conversationId in conversations)
        {
            var result = await VerifyConversationAsync(conversationId, ct);
            if (!result.IsIntact)
            {
                return [result with { RecordsChecked = checkedCount + result.RecordsChecked, TombstonesCrossed = crossed + result.TombstonesCrossed }];
            }

            checkedCount += result.RecordsChecked;
            crossed += result.TombstonesCrossed;
        }

        return [new ChainVerificationResult(ChainName, checkedCount, null, null, null, crossed)];
    }

    /// <summary>
    /// One conversation's chain, from its first message; the result names the first message that does not verify. A message a
    /// disposition removed is crossed by its tombstone: its position and link are checked, and its hash carries the chain on.
    /// </summary>
    public async Task<ChainVerificationResult> VerifyConversationAsync(long conversationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.ChatParticipants.AsNoTracking().Where(p => p.ConversationId == conversationId)
            .ToDictionaryAsync(p => p.Id, p => p.DisplayName, ct);
        long expected = 1;
        long crossed = 0;
        var previousHash = AuditEvent.GenesisHash;
        while (true)
        {
            var after = expected - 1;
            var messages = await db.ChatMessages.IgnoreQueryFilters().AsNoTracking().Include(m => m.Attachments)
                .Where(m => m.ConversationId == conversationId && m.ChainSequence > after)
                .OrderBy(m => m.ChainSequence)
                .Take(BatchSize)
                .ToListAsync(ct);
            var tombstones = await db.MessageTombstones.AsNoTracking()
                .Where(t => t.ConversationId == conversationId && t.ChainSequence > after)
                .OrderBy(t => t.ChainSequence)
                .Take(BatchSize)
                .ToListAsync(ct);
            if (messages.Count == 0 && tombstones.Count == 0)
            {
                return new ChainVerificationResult(ChainName, expected - 1, null, null, previousHash, crossed);
            }

            // Both lists are in chain order; past the end of a full batch of either, the other may not be complete yet.
            var upTo = Math.Min(
                messages.Count == BatchSize ? messages[^1].ChainSequence : long.MaxValue,
                tombstones.Count == BatchSize ? tombstones[^1].ChainSequence : long.MaxValue);
            var links = messages.Select(m => (m.ChainSequence, Message: (ChatMessage?)m, Tombstone: (MessageTombstone?)null))
                .Concat(tombstones.Select(t => (t.ChainSequence, Message: (ChatMessage?)null, Tombstone: (MessageTombstone?)t)))
                .Where(l => l.ChainSequence <= upTo)
                .OrderBy(l => l.ChainSequence)
                .ThenBy(l => l.Message is null ? 1 : 0);
            foreach (var (_, message, tombstone) in links)
            {
                if (message is not null)
                {
                    var sender = message.ParticipantId is { } id ? names.GetValueOrDefault(id) : null;
                    var problem = HashChainLink.Problem(
                        expected, message.ChainSequence, previousHash, message.PreviousHash, message.Hash, () => message.ComputeHash(sender), "messages");
                    if (problem is not null)
                    {
                        return new ChainVerificationResult(ChainName, expected - 1, $"message {message.Id} (conversation {conversationId}, position {message.ChainSequence})", problem, null, crossed);
                    }

                    previousHash = message.Hash;
                }
                else
                {
                    // A removed message's content is gone, so its hash cannot be recomputed: its place and link must still hold,
                    // and the next link (or the checkpoint sealing the head) holds its hash.
                    var problem = tombstone!.ChainSequence != expected
                        ? $"expected position {expected} next but found {tombstone.ChainSequence}: messages are missing"
                        : !string.Equals(tombstone.PreviousHash, previousHash, StringComparison.Ordinal) ? "its link to the previous record does not match"
                        : null;
                    if (problem is not null)
                    {
                        return new ChainVerificationResult(ChainName, expected - 1,
                            $"tombstone of message {tombstone.MessageId} (conversation {conversationId}, position {tombstone.ChainSequence}, removed by disposition run {tombstone.RunId})",
                            problem, null, crossed);
                    }

                    previousHash = tombstone.Hash;
                    crossed++;
                }

                expected++;
            }
        }
    }
}
