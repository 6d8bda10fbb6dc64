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
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var conversations = await db.Conversations.AsNoTracking().OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        long checkedCount = 0;
        foreach (var conversationId in conversations)
        {
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
                    break;
                }

                foreach (var message in batch)
                {
                    var sender = message.ParticipantId is { } id ? names.GetValueOrDefault(id) : null;
                    var problem = HashChainLink.Problem(
                        expected, message.ChainSequence, previousHash, message.PreviousHash, message.Hash, () => message.ComputeHash(sender), "messages");
                    if (problem is not null)
                    {
                        return [new ChainVerificationResult(ChainName, checkedCount, $"message {message.Id} (conversation {conversationId}, position {message.ChainSequence})", problem, null)];
                    }

                    previousHash = message.Hash;
                    expected++;
                    checkedCount++;
                }
            }
        }

        return [new ChainVerificationResult(ChainName, checkedCount, null, null, null)];
    }
}
