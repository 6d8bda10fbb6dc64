using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Roster.Monitoring;

/// <summary>
/// An official group's notices of members joining and leaving (<see cref="GroupMembershipNotice"/>),
/// checked against the participants listed: someone joining who is not listed, or a listed participant
/// leaving. A change to the listed participants reads the group's notices again from the start.
/// </summary>
internal sealed class GroupChangeCheck : IRosterCheck
{
    public string Name => "roster:group-change";

    public async Task<IReadOnlyList<RosterAlert>> FindAsync(RosterScan scan, CancellationToken ct)
    {
        var groups = scan.Groups.ToDictionary(g => g.ConversationId!.Value);
        var windows = scan.Windows(Name, groups.Keys, conversationId => Basis(groups[conversationId], scan));
        async Task<List<Notice>> NoticesAsync(IQueryable<ChatMessage> messages) =>
            await messages.Where(m => m.Kind == MessageKind.System).Select(m => new Notice(m.ConversationId, m.Body, m.SentAt)).ToListAsync(ct);

        var all = (await NoticesAsync(scan.MessagesAfter(windows.Since))).Where(n => windows.CaughtUp.Contains(n.ConversationId)).ToList();
        foreach (var (conversationId, since) in windows.Behind)
        {
            all.AddRange(await NoticesAsync(scan.MessagesAfter(conversationId, since)));
        }

        var alerts = new List<RosterAlert>();
        foreach (var notices in all.GroupBy(n => n.ConversationId))
        {
            var conversationId = notices.Key;
            var group = groups[conversationId];

            var participants = await scan.Db.ChatParticipants.AsNoTracking().Where(p => p.ConversationId == conversationId && p.PhoneE164 != null)
                .Select(p => new { p.DisplayName, p.PhoneE164 }).ToListAsync(ct);
            foreach (var notice in notices)
            {
                if (!GroupMembershipNotice.TryParse(notice.Body, out var change, out var who))
                {
                    continue;
                }

                var on = DateOnly.FromDateTime(notice.SentAt.UtcDateTime);
                foreach (var name in who)
                {
                    // The number behind the name: written as a number, or the archive's participant of that name.
                    var phone = PhoneNumberNormalizer.TryNormalize(name)
                        ?? participants.FirstOrDefault(p => string.Equals(p.DisplayName, name, StringComparison.OrdinalIgnoreCase))?.PhoneE164;
                    var stays = group.Members.Where(m => (phone is not null && m.PhoneE164 == phone)
                        || string.Equals(scan.MemberNames[m.PersonId], name, StringComparison.OrdinalIgnoreCase)).ToList();
                    var subject = string.Create(CultureInfo.InvariantCulture, $"{(change == MembershipChange.Joined ? "joined" : "left")} {on:yyyy-MM-dd} {name}");
                    subject = subject.Length > 300 ? subject[..300] : subject;
                    var label = phone is not null && phone != name ? $"{name} ({phone})" : name;
                    if (change == MembershipChange.Joined && !stays.Any(m => m.JoinedOn <= on.AddDays(1) && (m.LeftOn is null || m.LeftOn >= on)))
                    {
                        alerts.Add(new RosterAlert(RosterAlertKind.GroupChange, phone ?? "", conversationId, subject, string.Create(CultureInfo.InvariantCulture,
                            $"{label} joined official group \"{group.Name}\" on {on:yyyy-MM-dd} and is not a listed participant."), scan.Now));
                    }
                    else if (change == MembershipChange.Left && stays.Any(m => m.JoinedOn <= on && (m.LeftOn is null || m.LeftOn > on)))
                    {
                        alerts.Add(new RosterAlert(RosterAlertKind.GroupChange, phone ?? "", conversationId, subject, string.Create(CultureInfo.InvariantCulture,
                            $"{label} left official group \"{group.Name}\" on {on:yyyy-MM-dd}; the roster still lists them as a participant."), scan.Now));
                    }
                }
            }
        }

        return alerts;
    }

    private sealed record Notice(long ConversationId, string Body, DateTimeOffset SentAt);

    /// <summary>The listed participants a group's notices were judged against: when they change, the notices are judged again.</summary>
    private static string Basis(OfficialGroup group, RosterScan scan)
    {
        var text = new StringBuilder();
        foreach (var stay in group.Members.OrderBy(m => m.Id))
        {
            text.Append(CultureInfo.InvariantCulture, $"{stay.Id}|{stay.PhoneE164}|{scan.MemberNames[stay.PersonId]}|{stay.JoinedOn:O}|{stay.LeftOn:O}\n");
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
