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
        var windows = scan.Windows(Name, scan.Watched);
        var businessNumbers = await business.PhonesE164Async(ct);

        // Senders with a number, and senders an export shows only by name (saved contacts), per conversation.
        async Task<List<Sender>> SendersAsync(IQueryable<ChatMessage> messages) =>
            await messages.Where(m => m.Kind != MessageKind.System)
                .Join(db.ChatParticipants, m => m.ParticipantId, p => p.Id, (m, p) => new { m.ConversationId, p.PhoneE164, p.DisplayName, m.SentAt })
                .GroupBy(x => new { x.ConversationId, x.PhoneE164, Name = x.PhoneE164 == null ? x.DisplayName : null })
                .Select(g => new Sender(g.Key.ConversationId, g.Key.PhoneE164, g.Max(x => x.DisplayName)!, g.Count(), g.Max(x => x.SentAt)))
                .ToListAsync(ct);

        var senders = (await SendersAsync(scan.MessagesAfter(windows.Since))).Where(s => windows.CaughtUp.Contains(s.ConversationId)).ToList();
        foreach (var (conversationId, since) in windows.Behind)
        {
            senders.AddRange(await SendersAsync(scan.MessagesAfter(conversationId, since)));
        }

        var alerts = new List<RosterAlert>();
        foreach (var sender in senders.OrderBy(s => s.ConversationId))
        {
            var where = scan.GroupOf(sender.ConversationId) is { } group ? $" in official group \"{group.Name}\""
                : scan.UnregisteredGroups.FirstOrDefault(g => g.ConversationId == sender.ConversationId) is { } unregistered ? $" in unregistered group \"{unregistered.Title}\""
                : "";
            if (sender.Phone is { } phone)
            {
                if (!scan.OnRoster.Contains(phone) && !businessNumbers.Contains(phone))
                {
                    alerts.Add(new RosterAlert(RosterAlertKind.UnknownSender, phone, sender.ConversationId, "", string.Create(CultureInfo.InvariantCulture,
                        $"{sender.Count} message(s){where} from {sender.Name} ({phone}), who is not on the roster; the latest {sender.Last:yyyy-MM-dd HH:mm} UTC."), scan.Now));
                }
            }
            else if (scan.IsGroup(sender.ConversationId) && !scan.RosterNames.Contains(sender.Name))
            {
                // A group's sender with no number whose name is nobody's on the roster.
                alerts.Add(new RosterAlert(RosterAlertKind.UnknownSender, "", sender.ConversationId, sender.Name, string.Create(CultureInfo.InvariantCulture,
                    $"{sender.Count} message(s){where} from {sender.Name}, who is not on the roster; the latest {sender.Last:yyyy-MM-dd HH:mm} UTC."), scan.Now));
            }
        }

        return alerts;
    }

    private sealed record Sender(long ConversationId, string? Phone, string Name, int Count, DateTimeOffset Last);
}
