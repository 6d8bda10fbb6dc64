using System.Globalization;
using ComplianceHub.Core.Archive;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Roster.Monitoring;

/// <summary>
/// Senders not on the roster in the conversations where everyone must be: the business numbers'
/// (the business numbers themselves excepted), the official groups' and the unregistered business
/// groups', where a sender an export shows only by name counts as unknown when the name is nobody's on
/// the roster.
/// </summary>
internal sealed class UnknownSenderCheck(IBusinessNumbers business) : IRosterCheck
{
    public string Name => "roster:unknown-sender";

    public async Task<IReadOnlyList<RosterAlert>> FindAsync(RosterScan scan, CancellationToken ct)
    {
        var db = scan.Db;
        var businessNumbers = await business.PhonesE164Async(ct);
        var alerts = new List<RosterAlert>();
        foreach (var conversationId in scan.Watched)
        {
            var since = scan.Watermarks.Since(Name, conversationId);
            var group = scan.GroupOf(conversationId);
            var where = group is not null ? $" in official group \"{group.Name}\""
                : scan.UnregisteredGroups.FirstOrDefault(g => g.ConversationId == conversationId) is { } unregistered ? $" in unregistered group \"{unregistered.Title}\""
                : "";
            var senders = await scan.NewMessages(conversationId, since)
                .Join(db.ChatParticipants.Where(p => p.PhoneE164 != null), m => m.ParticipantId, p => p.Id, (m, p) => new { p.PhoneE164, p.DisplayName, m.SentAt })
                .GroupBy(x => x.PhoneE164)
                .Select(g => new { Phone = g.Key!, Name = g.Max(x => x.DisplayName), Count = g.Count(), Last = g.Max(x => x.SentAt) })
                .ToListAsync(ct);
            alerts.AddRange(senders.Where(s => !scan.OnRoster.Contains(s.Phone) && !businessNumbers.Contains(s.Phone))
                .Select(s => new RosterAlert(RosterAlertKind.UnknownSender, s.Phone, conversationId, "", string.Create(CultureInfo.InvariantCulture,
                    $"{s.Count} message(s){where} from {s.Name} ({s.Phone}), who is not on the roster; the latest {s.Last:yyyy-MM-dd HH:mm} UTC."), scan.Now)));

            if (!scan.IsGroup(conversationId))
            {
                continue;
            }

            // Senders with no number (exports show saved contacts by name) whose name is nobody's on the roster.
            var named = await scan.NewMessages(conversationId, since).Where(m => m.Kind != MessageKind.System)
                .Join(db.ChatParticipants.Where(p => p.PhoneE164 == null), m => m.ParticipantId, p => p.Id, (m, p) => new { p.DisplayName, m.SentAt })
                .GroupBy(x => x.DisplayName)
                .Select(g => new { Name = g.Key, Count = g.Count(), Last = g.Max(x => x.SentAt) })
                .ToListAsync(ct);
            alerts.AddRange(named.Where(s => !scan.RosterNames.Contains(s.Name))
                .Select(s => new RosterAlert(RosterAlertKind.UnknownSender, "", conversationId, s.Name, string.Create(CultureInfo.InvariantCulture,
                    $"{s.Count} message(s){where} from {s.Name}, who is not on the roster; the latest {s.Last:yyyy-MM-dd HH:mm} UTC."), scan.Now)));
        }

        return alerts;
    }
}
