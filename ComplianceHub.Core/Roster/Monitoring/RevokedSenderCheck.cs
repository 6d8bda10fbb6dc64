using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Roster.Monitoring;

/// <summary>Traffic from a number after its authorization was suspended or revoked, per conversation.</summary>
internal sealed class RevokedSenderCheck : IRosterCheck
{
    public string Name => "roster:revoked-sender";

    public async Task<IReadOnlyList<RosterAlert>> FindAsync(RosterScan scan, CancellationToken ct)
    {
        var (db, since, upTo) = (scan.Db, scan.Watermarks.Since(Name, 0), scan.Watermarks.UpTo);
        var alerts = new List<RosterAlert>();
        foreach (var number in scan.Numbers.Where(n => n.Status is AuthorizationStatus.Suspended or AuthorizationStatus.Revoked))
        {
            var changedAt = await db.NumberStatusChanges.Where(h => h.AuthorizedNumberId == number.Id && h.ToStatus == number.Status)
                .MaxAsync(h => (DateTimeOffset?)h.ChangedAt, ct) ?? DateTimeOffset.MinValue;
            var after = await db.ChatMessages.AsNoTracking()
                .Where(m => m.Id > since && m.Id <= upTo)
                .Join(db.ChatParticipants.Where(p => p.PhoneE164 == number.PhoneE164), m => m.ParticipantId, p => p.Id, (m, p) => m)
                .Where(m => m.SentAt > changedAt)
                .GroupBy(m => m.ConversationId)
                .Select(g => new { ConversationId = g.Key, Count = g.Count(), Last = g.Max(m => m.SentAt) })
                .ToListAsync(ct);
            alerts.AddRange(after.Select(conversation => new RosterAlert(RosterAlertKind.RevokedSender, number.PhoneE164, conversation.ConversationId, "",
                string.Create(CultureInfo.InvariantCulture,
                    $"{conversation.Count} message(s) from {number.Person}'s number after it was {number.Status.ToString().ToLowerInvariant()} on {changedAt:yyyy-MM-dd}; the latest {conversation.Last:yyyy-MM-dd HH:mm} UTC."),
                scan.Now)));
        }

        return alerts;
    }
}
