using System.Text.Json;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.LegalHolds;

namespace ComplianceHub.Core.Search;

/// <summary>
/// A legal hold whose scope is an archive search: the conversations in which the search finds messages,
/// plus the search's custodian, within the search's dates; the criteria are kept with the hold.
/// </summary>
public sealed class LegalHoldFromSearchService(MessageSearchService search, LegalHoldService holds)
{
    /// <summary>Places the hold (audited as any other); refused when the search finds nothing to hold.</summary>
    public async Task<long> PlaceAsync(
        string name, string? matterNumber, string description, MessageSearchCriteria criteria, AuditActor actor, CancellationToken ct = default)
    {
        var conversations = await search.MatchingConversationsAsync(criteria, ct);
        var custodians = string.IsNullOrWhiteSpace(criteria.Custodian) ? [] : new[] { criteria.Custodian };
        if (conversations.Count == 0 && custodians.Length == 0)
        {
            throw new ComplianceRuleException("The search finds no conversation to hold.");
        }

        var draft = new LegalHoldDraft(name, matterNumber, description, conversations, custodians, criteria.From, criteria.Until)
        {
            SourceCriteriaJson = JsonSerializer.Serialize(criteria),
        };
        return await holds.PlaceAsync(draft, actor, ct);
    }
}
