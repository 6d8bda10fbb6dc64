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
        foreach (var conversationId in conversations)
        {
            var result = await VerifyConversationAsync(conversationId, ct);
            if (!result.IsIntact)
            {
                return [result with { RecordsChecked = checkedCount + result.RecordsChecked }];
            }

            checkedCount += result.RecordsChecked;
        }

        return [new ChainVerificationResult(ChainName, checkedCount, null, null, null)];
    }

    /// <summary>One conversation's chain, from its first message; the result names the first message that does not verify.</summary>
    public async Task<ChainVerificationResult> VerifyConversationAsync(long conversationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.ChatParticipants.AsNoTracking().Where(p => p.ConversationId == conversationId)
            .ToDictionaryAsync(p => p.Id, p => p.DisplayName, ct);
        long expected = 1;
        var previousHash = AuditEvent.GenesisHash;
        while (true)
        {
            var after = expected - 1;
            var batch = await db.ChatMessages.IgnoreQueryFilters().AsNoTracking().Include(m => m.Attachments)
                .Where(m => m.ConversationId == conversationId && m.ChainSequence > after)
                .OrderBy(m => m.ChainSequence)
                .Take(BatchSize)
                .ToListAsync(ct);
            if (batch.Count == 0)
            {
                return new ChainVerificationResult(ChainName, expected - 1, null, null, previousHash);
            }

            foreach (var message in batch)
            {
                var sender = message.ParticipantId is { } id ? names.GetValueOrDefault(id) : null;
                var problem = HashChainLink.Problem(
                    expected, message.ChainSequence, previousHash, message.PreviousHash, message.Hash, () => message.ComputeHash(sender), "messages");
                if (problem is not null)
                {
                    return new ChainVerificationResult(ChainName, expected - 1, $"message {message.Id} (conversation {conversationId}, position {message.ChainSequence})", problem, null);
                }

                previousHash = message.Hash;
                expected++;
            }
        }
    }
}
