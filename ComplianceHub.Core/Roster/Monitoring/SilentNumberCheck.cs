using System.Globalization;
using ComplianceHub.Core.Archive;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Roster.Monitoring;

/// <summary>
/// Active numbers with no captured traffic for <see cref="RosterOptions.SilentAfterDays"/>. Each number's
/// latest message is one seek of the (participant, key) index, so this reads no message history; a listed
/// participant of an official group whom an export shows by name (a saved contact) counts too, and so do a
/// custodian's own messages in the chats exported from their phone.
/// </summary>
internal sealed class SilentNumberCheck(IOptionsMonitor<RosterOptions> options) : IRosterCheck
{
    public string Name => "roster:silent-number";

    public async Task<IReadOnlyList<RosterAlert>> FindAsync(RosterScan scan, CancellationToken ct)
    {
        var active = scan.Numbers.Where(n => n.Status == AuthorizationStatus.Active).ToList();
        if (active.Count == 0)
        {
            return [];
        }

        var db = scan.Db;
        var phones = active.Select(n => n.PhoneE164).Distinct().ToList();
        var lastSeen = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        void Seen(string phone, DateTimeOffset? at)
        {
            if (at is { } when && (!lastSeen.TryGetValue(phone, out var seen) || seen < when))
            {
                lastSeen[phone] = when;
            }
        }

        var byNumber = await db.ChatParticipants.AsNoTracking().Where(p => p.PhoneE164 != null && phones.Contains(p.PhoneE164))
            .Select(p => new
            {
                Phone = p.PhoneE164!,
                Last = db.ChatMessages.Where(m => m.ParticipantId == p.Id).OrderByDescending(m => m.SearchKey).Select(m => (DateTimeOffset?)m.SentAt).FirstOrDefault(),
            })
            .ToListAsync(ct);
        foreach (var participant in byNumber)
        {
            Seen(participant.Phone, participant.Last);
        }

        // A listed participant an export shows by name: the group's participant of that name, without a number.
        var groupConversations = scan.Groups.Select(g => g.ConversationId!.Value).ToList();
        var named = await db.ChatParticipants.AsNoTracking().Where(p => p.PhoneE164 == null && groupConversations.Contains(p.ConversationId))
            .Select(p => new
            {
                p.ConversationId,
                p.DisplayName,
                Last = db.ChatMessages.Where(m => m.ParticipantId == p.Id && m.Kind != MessageKind.System)
                    .OrderByDescending(m => m.SearchKey).Select(m => (DateTimeOffset?)m.SentAt).FirstOrDefault(),
            })
            .ToListAsync(ct);
        foreach (var participant in named)
        {
            var group = scan.GroupOf(participant.ConversationId)!;
            foreach (var stay in group.Members.Where(m => string.Equals(scan.MemberNames[m.PersonId], participant.DisplayName, StringComparison.OrdinalIgnoreCase)))
            {
                Seen(stay.PhoneE164, participant.Last);
            }
        }

        await CustodiansOwnMessagesAsync(scan, active, Seen, ct);

        var silentAfter = TimeSpan.FromDays(options.CurrentValue.SilentAfterDays);
        var alerts = new List<RosterAlert>();
        foreach (var number in active)
        {
            var authorizedAt = new DateTimeOffset(number.AuthorizedFrom.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var last = lastSeen.TryGetValue(number.PhoneE164, out var seen) ? seen : (DateTimeOffset?)null;
            if (scan.Now - (last ?? authorizedAt) > silentAfter)
            {
                alerts.Add(new RosterAlert(RosterAlertKind.SilentNumber, number.PhoneE164, null, "", last is { } l
                    ? string.Create(CultureInfo.InvariantCulture, $"{number.Person}'s active number has had no captured traffic since {l:yyyy-MM-dd}.")
                    : string.Create(CultureInfo.InvariantCulture, $"{number.Person}'s active number has had no captured traffic since it was authorized on {number.AuthorizedFrom:yyyy-MM-dd}."),
                    scan.Now));
            }
        }

        return alerts;
    }

    /// <summary>
    /// An export's custodian appears in their own chats under their own name, without a number (the phone's
    /// owner): those messages are the traffic of that person's numbers whose chats arrive as exports (of all
    /// their active numbers when none is recorded so).
    /// </summary>
    private static async Task CustodiansOwnMessagesAsync(RosterScan scan, List<RosterScanNumber> active, Action<string, DateTimeOffset?> seen, CancellationToken ct)
    {
        var db = scan.Db;
        var byEmail = active.Where(n => n.PersonEmail is not null).ToLookup(n => n.PersonEmail!.ToLowerInvariant(), StringComparer.Ordinal);
        if (byEmail.Count == 0)
        {
            return;
        }

        var emails = byEmail.Select(g => g.Key).ToList();
        var kept = (await db.ConversationCustodians.AsNoTracking().Where(c => emails.Contains(c.Email))
                .Select(c => new { c.ConversationId, c.Email }).ToListAsync(ct))
            .ToLookup(c => c.ConversationId, c => c.Email.ToLowerInvariant());
        var conversations = kept.Select(g => g.Key).ToList();
        var unnumbered = await db.ChatParticipants.AsNoTracking().Where(p => p.PhoneE164 == null && conversations.Contains(p.ConversationId))
            .Select(p => new { p.Id, p.ConversationId, p.DisplayName }).ToListAsync(ct);
        var owners = new Dictionary<long, List<RosterScanNumber>>();
        foreach (var participant in unnumbered)
        {
            var numbers = kept[participant.ConversationId].SelectMany(email => byEmail[email])
                .Where(n => string.Equals(n.Person, participant.DisplayName, StringComparison.OrdinalIgnoreCase))
                .GroupBy(n => n.PersonId)
                .SelectMany(person => person.Any(n => n.Capture == CaptureMethod.ExportImport) ? person.Where(n => n.Capture == CaptureMethod.ExportImport) : person)
                .ToList();
            if (numbers.Count > 0)
            {
                owners[participant.Id] = numbers;
            }
        }

        if (owners.Count == 0)
        {
            return;
        }

        var ids = owners.Keys.ToList();
        var latest = await db.ChatParticipants.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new
            {
                p.Id,
                Last = db.ChatMessages.Where(m => m.ParticipantId == p.Id && m.Kind != MessageKind.System)
                    .OrderByDescending(m => m.SearchKey).Select(m => (DateTimeOffset?)m.SentAt).FirstOrDefault(),
            })
            .ToListAsync(ct);
        foreach (var participant in latest)
        {
            foreach (var number in owners[participant.Id])
            {
                seen(number.PhoneE164, participant.Last);
            }
        }
    }
}
