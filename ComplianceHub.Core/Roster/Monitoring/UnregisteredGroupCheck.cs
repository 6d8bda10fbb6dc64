using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Roster.Monitoring;

/// <summary>
/// A group chat archived from an employee on the roster that is not registered as an official group: business
/// may be done in it with nobody having named its purpose, owner and participants. Raised once per chat,
/// naming its custodians and the people the archive has seen in it.
/// </summary>
internal sealed class UnregisteredGroupCheck : IRosterCheck
{
    private const int NamedParticipants = 10;

    public string Name => "roster:unregistered-group";

    public async Task<IReadOnlyList<RosterAlert>> FindAsync(RosterScan scan, CancellationToken ct)
    {
        if (scan.UnregisteredGroups.Count == 0)
        {
            return [];
        }

        var ids = scan.UnregisteredGroups.Select(g => g.ConversationId).ToList();
        var participants = (await scan.Db.ChatParticipants.AsNoTracking().Where(p => ids.Contains(p.ConversationId))
                .Select(p => new { p.ConversationId, p.DisplayName }).ToListAsync(ct))
            .ToLookup(p => p.ConversationId, p => p.DisplayName);
        return scan.UnregisteredGroups.Select(group =>
        {
            var names = participants[group.ConversationId].Order(StringComparer.Ordinal).ToList();
            var listed = string.Join(", ", names.Take(NamedParticipants)) + (names.Count > NamedParticipants ? $" and {names.Count - NamedParticipants} more" : "");
            var detail = string.Create(CultureInfo.InvariantCulture,
                $"Group \"{group.Title}\" is archived from {string.Join(", ", group.Custodians)} but is not registered as an official group; {names.Count} participant(s): {listed}.");
            return new RosterAlert(RosterAlertKind.UnregisteredGroup, "", group.ConversationId, "", detail.Length > 1000 ? detail[..997] + "..." : detail, scan.Now);
        }).ToList();
    }
}
