using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.LegalHolds;

public static class LegalHoldServiceCollectionExtensions
{
    public static IServiceCollection AddLegalHolds(this IServiceCollection services) => services
        .AddSingleton<LegalHoldService>()
        // A hold's matter and scope (its conversations, custodians, dates and the search it was placed from) never change;
        // its release closes it once. Sealed by checkpoints.
        .AddEvidenceRecords("legal hold",
            db => db.LegalHolds.AsNoTracking().AsSplitQuery().Select(h => new
            {
                Hold = h,
                Conversations = h.Conversations.OrderBy(c => c.ConversationId).Select(c => c.ConversationId).ToList(),
                Custodians = h.Custodians.OrderBy(c => c.Email).Select(c => c.Email).ToList(),
            }),
            h => new EvidenceRecord(h.Hold.Id, Fixed(h.Hold, h.Conversations, h.Custodians),
                h.Hold.ReleasedAt is { } at ? new CanonicalWriter().Add(h.Hold.ReleasedBy).Add(at.ToUnixTimeMilliseconds()).Add(h.Hold.ReleaseReason).Sha256Hex() : null));

    private static string Fixed(LegalHold hold, List<long> conversations, List<string> custodians)
    {
        var writer = new CanonicalWriter().Add(hold.Name).Add(hold.MatterNumber).Add(hold.Description)
            .Add(hold.ScopeFrom?.ToUnixTimeMilliseconds() ?? long.MinValue).Add(hold.ScopeUntil?.ToUnixTimeMilliseconds() ?? long.MinValue)
            .Add(hold.SourceCriteriaJson).Add(hold.PlacedBy).Add(hold.PlacedAt.ToUnixTimeMilliseconds()).Add(conversations.Count);
        conversations.ForEach(c => writer.Add(c));
        writer.Add(custodians.Count);
        custodians.Order(StringComparer.Ordinal).ToList().ForEach(c => writer.Add(c));
        return writer.Sha256Hex();
    }
}
