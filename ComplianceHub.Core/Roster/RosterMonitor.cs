using System.Globalization;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Roster;

/// <summary>
/// Compares the archive with the roster and raises a flag for each finding: traffic in a business
/// number's conversation or an official group from someone not on the roster; a roster participant
/// leaving, or someone not listed joining, an official group (from the group's notices); traffic from
/// a number after its authorization was suspended or revoked; and an active number with no captured
/// traffic for <c>Roster:SilentAfterDays</c> days (30 unless configured). A finding is flagged once; a
/// compliance officer acknowledges it with a comment, audited.
/// </summary>
public sealed class RosterMonitor(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, TimeProvider clock, IOptionsMonitor<RosterOptions> options,
    IBusinessNumbers business)
{
    /// <summary>Looks for new findings and stores them as alerts; returns how many were raised.</summary>
    public async Task<int> ScanAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var numbers = await db.AuthorizedNumbers.AsNoTracking()
            .Join(db.People, n => n.PersonId, p => p.Id, (n, p) => new { n.Id, n.PhoneE164, n.Status, n.AuthorizedFrom, Person = p.Name, p.EmployeeId })
            .ToListAsync(ct);
        var onRoster = (await RosterNumbers.Owners(db).Select(o => o.PhoneE164).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var rosterNames = (await db.People.AsNoTracking().Select(p => p.Name).ToListAsync(ct)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var existing = (await db.RosterAlerts.AsNoTracking().Select(a => new { a.Kind, a.Phone, a.ConversationId, a.Subject }).ToListAsync(ct))
            .Select(a => (a.Kind, a.Phone, a.ConversationId, a.Subject)).ToHashSet();
        var raised = new List<RosterAlert>();
        void Raise(RosterAlertKind kind, string phone, long? conversationId, string detail, string subject = "")
        {
            if (existing.Add((kind, phone, conversationId, subject)))
            {
                raised.Add(new RosterAlert(kind, phone, conversationId, subject, detail, now));
            }
        }

        // Who sent what, by number and conversation (one pass over the participants with numbers).
        var traffic = await db.ChatMessages.AsNoTracking()
            .Join(db.ChatParticipants.Where(p => p.PhoneE164 != null), m => m.ParticipantId, p => p.Id, (m, p) => new { p.PhoneE164, p.DisplayName, m.ConversationId, m.SentAt })
            .GroupBy(x => new { x.PhoneE164, x.ConversationId })
            .Select(g => new { g.Key.PhoneE164, g.Key.ConversationId, Name = g.Max(x => x.DisplayName), Count = g.Count(), Last = g.Max(x => x.SentAt) })
            .ToListAsync(ct);

        // Suspended or revoked numbers still sending: messages after the change.
        foreach (var number in numbers.Where(n => n.Status is AuthorizationStatus.Suspended or AuthorizationStatus.Revoked))
        {
            var since = await db.NumberStatusChanges.Where(h => h.AuthorizedNumberId == number.Id && h.ToStatus == number.Status)
                .MaxAsync(h => (DateTimeOffset?)h.ChangedAt, ct) ?? DateTimeOffset.MinValue;
            var after = await db.ChatMessages.AsNoTracking()
                .Join(db.ChatParticipants.Where(p => p.PhoneE164 == number.PhoneE164), m => m.ParticipantId, p => p.Id, (m, p) => m)
                .Where(m => m.SentAt > since)
                .GroupBy(m => m.ConversationId)
                .Select(g => new { ConversationId = g.Key, Count = g.Count(), Last = g.Max(m => m.SentAt) })
                .ToListAsync(ct);
            foreach (var conversation in after)
            {
                Raise(RosterAlertKind.RevokedSender, number.PhoneE164, conversation.ConversationId, string.Create(CultureInfo.InvariantCulture,
                    $"{conversation.Count} message(s) from {number.Person}'s number after it was {number.Status.ToString().ToLowerInvariant()} on {since:yyyy-MM-dd}; the latest {conversation.Last:yyyy-MM-dd HH:mm} UTC."));
            }
        }

        // Numbers not on the roster in the business numbers' conversations and the official groups (the business numbers themselves excepted).
        var businessNumbers = business.PhonesE164;
        var groups = await db.OfficialGroups.AsNoTracking().Include(g => g.Members).Where(g => g.ConversationId != null).ToListAsync(ct);
        var watched = (await db.Conversations.AsNoTracking().Where(c => c.BusinessPhoneNumberId != null).Select(c => c.Id).ToListAsync(ct))
            .Concat(groups.Select(g => g.ConversationId!.Value)).ToHashSet();
        var groupNames = groups.ToDictionary(g => g.ConversationId!.Value, g => g.Name);
        foreach (var sender in traffic.Where(t => watched.Contains(t.ConversationId) && !onRoster.Contains(t.PhoneE164!) && !businessNumbers.Contains(t.PhoneE164!)))
        {
            var where = groupNames.TryGetValue(sender.ConversationId, out var group) ? $" in official group \"{group}\"" : "";
            Raise(RosterAlertKind.UnknownSender, sender.PhoneE164!, sender.ConversationId, string.Create(CultureInfo.InvariantCulture,
                $"{sender.Count} message(s){where} from {sender.Name} ({sender.PhoneE164}), who is not on the roster; the latest {sender.Last:yyyy-MM-dd HH:mm} UTC."));
        }

        var namedInGroups = await ScanGroupsAsync(db, groups, rosterNames, Raise, ct);

        // Active numbers that have gone quiet.
        var silentAfter = TimeSpan.FromDays(options.CurrentValue.SilentAfterDays);
        var lastSeen = traffic.GroupBy(t => t.PhoneE164!).ToDictionary(g => g.Key, g => g.Max(t => t.Last), StringComparer.Ordinal);
        foreach (var (phone, last) in namedInGroups)
        {
            lastSeen[phone] = lastSeen.TryGetValue(phone, out var seen) && seen > last ? seen : last;
        }
        foreach (var number in numbers.Where(n => n.Status == AuthorizationStatus.Active))
        {
            var authorizedAt = new DateTimeOffset(number.AuthorizedFrom.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var last = lastSeen.TryGetValue(number.PhoneE164, out var seen) ? seen : (DateTimeOffset?)null;
            if (now - (last ?? authorizedAt) > silentAfter)
            {
                Raise(RosterAlertKind.SilentNumber, number.PhoneE164, null, last is { } l
                    ? string.Create(CultureInfo.InvariantCulture, $"{number.Person}'s active number has had no captured traffic since {l:yyyy-MM-dd}.")
                    : string.Create(CultureInfo.InvariantCulture, $"{number.Person}'s active number has had no captured traffic since it was authorized on {number.AuthorizedFrom:yyyy-MM-dd}."));
            }
        }

        if (raised.Count > 0)
        {
            db.RosterAlerts.AddRange(raised);
            audit.Record(db, AuditEventType.RosterAlertsRaised, AuditActor.System, null, new
            {
                alerts = raised.GroupBy(a => RosterAlert.KindCode(a.Kind)).ToDictionary(g => g.Key, g => g.Count()),
            });
            await db.SaveChangesAsync(ct);
        }

        return raised.Count;
    }

    /// <summary>
    /// The official groups' own findings: senders known only by a name that is nobody's on the roster,
    /// and the groups' notices of members joining and leaving, checked against the participants listed.
    /// Returns, by number, the latest message of each listed participant the export shows by name only
    /// (a saved contact), so their traffic counts for the silent-number check.
    /// </summary>
    private static async Task<Dictionary<string, DateTimeOffset>> ScanGroupsAsync(
        ComplianceHubDbContext db, List<OfficialGroup> groups, HashSet<string> rosterNames, Action<RosterAlertKind, string, long?, string, string> raise,
        CancellationToken ct)
    {
        var namedTraffic = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (groups.Count == 0)
        {
            return namedTraffic;
        }

        var conversationIds = groups.Select(g => g.ConversationId!.Value).ToList();
        var memberIds = groups.SelectMany(g => g.Members).Select(m => m.PersonId).Distinct().ToList();
        var memberNames = await db.People.AsNoTracking().Where(p => memberIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var participants = (await db.ChatParticipants.AsNoTracking().Where(p => conversationIds.Contains(p.ConversationId))
                .Select(p => new { p.Id, p.ConversationId, p.DisplayName, p.PhoneE164 }).ToListAsync(ct))
            .ToLookup(p => p.ConversationId);

        // Senders with no number (exports show saved contacts by name) whose name is nobody's on the roster.
        var namedOnly = await db.ChatMessages.AsNoTracking()
            .Where(m => conversationIds.Contains(m.ConversationId) && m.Kind != MessageKind.System)
            .Join(db.ChatParticipants.Where(p => p.PhoneE164 == null), m => m.ParticipantId, p => p.Id, (m, p) => new { m.ConversationId, p.DisplayName, m.SentAt })
            .GroupBy(x => new { x.ConversationId, x.DisplayName })
            .Select(g => new { g.Key.ConversationId, g.Key.DisplayName, Count = g.Count(), Last = g.Max(x => x.SentAt) })
            .ToListAsync(ct);
        foreach (var sender in namedOnly)
        {
            var group = groups.Single(g => g.ConversationId == sender.ConversationId);
            foreach (var stay in group.Members.Where(m => string.Equals(memberNames[m.PersonId], sender.DisplayName, StringComparison.OrdinalIgnoreCase)))
            {
                if (!namedTraffic.TryGetValue(stay.PhoneE164, out var seen) || seen < sender.Last)
                {
                    namedTraffic[stay.PhoneE164] = sender.Last;
                }
            }
        }

        foreach (var sender in namedOnly.Where(s => !rosterNames.Contains(s.DisplayName)))
        {
            var group = groups.Single(g => g.ConversationId == sender.ConversationId);
            raise(RosterAlertKind.UnknownSender, "", sender.ConversationId, string.Create(CultureInfo.InvariantCulture,
                $"{sender.Count} message(s) in official group \"{group.Name}\" from {sender.DisplayName}, who is not on the roster; the latest {sender.Last:yyyy-MM-dd HH:mm} UTC."),
                sender.DisplayName);
        }

        var notices = await db.ChatMessages.AsNoTracking()
            .Where(m => conversationIds.Contains(m.ConversationId) && m.Kind == MessageKind.System)
            .Select(m => new { m.ConversationId, m.Body, m.SentAt })
            .ToListAsync(ct);
        foreach (var notice in notices)
        {
            if (!GroupMembershipNotice.TryParse(notice.Body, out var change, out var who))
            {
                continue;
            }

            var group = groups.Single(g => g.ConversationId == notice.ConversationId);
            var on = DateOnly.FromDateTime(notice.SentAt.UtcDateTime);
            foreach (var name in who)
            {
                // The number behind the name: written as a number, or the archive's participant of that name.
                var phone = PhoneNumberNormalizer.TryNormalize(name)
                    ?? participants[notice.ConversationId].FirstOrDefault(p => p.PhoneE164 != null && string.Equals(p.DisplayName, name, StringComparison.OrdinalIgnoreCase))?.PhoneE164;
                var stays = group.Members.Where(m => (phone is not null && m.PhoneE164 == phone)
                    || string.Equals(memberNames[m.PersonId], name, StringComparison.OrdinalIgnoreCase)).ToList();
                var subject = string.Create(CultureInfo.InvariantCulture, $"{(change == MembershipChange.Joined ? "joined" : "left")} {on:yyyy-MM-dd} {name}");
                subject = subject.Length > 300 ? subject[..300] : subject;
                var label = phone is not null && phone != name ? $"{name} ({phone})" : name;
                if (change == MembershipChange.Joined && !stays.Any(m => m.JoinedOn <= on.AddDays(1) && (m.LeftOn is null || m.LeftOn >= on)))
                {
                    raise(RosterAlertKind.GroupChange, phone ?? "", notice.ConversationId, string.Create(CultureInfo.InvariantCulture,
                        $"{label} joined official group \"{group.Name}\" on {on:yyyy-MM-dd} and is not a listed participant."), subject);
                }
                else if (change == MembershipChange.Left && stays.Any(m => m.JoinedOn <= on && (m.LeftOn is null || m.LeftOn > on)))
                {
                    raise(RosterAlertKind.GroupChange, phone ?? "", notice.ConversationId, string.Create(CultureInfo.InvariantCulture,
                        $"{label} left official group \"{group.Name}\" on {on:yyyy-MM-dd}; the roster still lists them as a participant."), subject);
                }
            }
        }

        return namedTraffic;
    }

    /// <summary>Alerts, newest first; unacknowledged only unless <paramref name="includeAcknowledged"/>.</summary>
    public async Task<IReadOnlyList<RosterAlert>> ListAsync(bool includeAcknowledged = false, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.RosterAlerts.AsNoTracking().Where(a => includeAcknowledged || a.AcknowledgedAt == null)
            .OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id).ToListAsync(ct);
    }

    public async Task<int> CountOpenAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.RosterAlerts.CountAsync(a => a.AcknowledgedAt == null, ct);
    }

    /// <summary>Closes an alert with the officer's comment (required), audited.</summary>
    public async Task AcknowledgeAsync(long alertId, string comment, AuditActor actor, CancellationToken ct = default)
    {
        var text = comment.Trim();
        if (text.Length is 0 or > 2000)
        {
            throw new ComplianceRuleException("Say what was found or done: a comment of 1 to 2,000 characters.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alert = await db.RosterAlerts.SingleOrDefaultAsync(a => a.Id == alertId, ct)
            ?? throw new ComplianceRuleException("That alert does not exist.");
        if (alert.AcknowledgedAt is not null)
        {
            throw new ComplianceRuleException($"That alert was already acknowledged by {alert.AcknowledgedBy}.");
        }

        alert.Acknowledge(actor.Name, text, clock.GetUtcNow());
        audit.Record(db, AuditEventType.RosterAlertAcknowledged, actor, new AuditSubject("RosterAlert", alertId.ToString(CultureInfo.InvariantCulture)), new
        {
            kind = RosterAlert.KindCode(alert.Kind),
            phone = alert.Phone,
            conversationId = alert.ConversationId,
            comment = text,
        });
        await db.SaveChangesAsync(ct);
    }
}
