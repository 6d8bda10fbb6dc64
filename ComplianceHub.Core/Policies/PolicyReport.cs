using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Policies;

/// <summary>One version in force with how many of its audience have signed it, still may, and are late.</summary>
public sealed record PolicyStanding(
    long DocumentId, string Title, long VersionId, int Version, DateTimeOffset PublishedAt, string ContentSha256, string Audience,
    int Acknowledged, int Outstanding, int Overdue)
{
    public int Total => Acknowledged + Outstanding + Overdue;
}

/// <summary>
/// Where every policy in force stands: each sign-in account's obligations (<see cref="PolicyObligations"/>, the one
/// rule) counted per version. Locked-out accounts count too: the firm still owes their signatures.
/// </summary>
public sealed class PolicyReport(IDbContextFactory<ComplianceHubDbContext> dbFactory, PolicyObligations obligations)
{
    public async Task<IReadOnlyList<PolicyStanding>> StandingsAsync(CancellationToken ct = default)
    {
        List<string> users;
        List<PolicyStanding> standings;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            users = await db.Users.AsNoTracking().OrderBy(u => u.Id).Select(u => u.Id).ToListAsync(ct);
            standings = (await db.PolicyVersions.AsNoTracking().Where(v => v.Status == PolicyVersionStatus.Published)
                    .Join(db.PolicyDocuments.Where(d => d.RetiredAt == null), v => v.DocumentId, d => d.Id, (v, d) => new { Version = v, d.Title })
                    .ToListAsync(ct))
                .OrderBy(x => x.Title, StringComparer.CurrentCulture)
                .Select(x => new PolicyStanding(x.Version.DocumentId, x.Title, x.Version.Id, x.Version.Number, x.Version.PublishedAt!.Value,
                    x.Version.ContentSha256!, x.Version.Audience.Describe(), 0, 0, 0))
                .ToList();
        }

        var counts = standings.ToDictionary(s => s.VersionId, _ => new int[3]);
        foreach (var user in users)
        {
            foreach (var obligation in await obligations.ForUserAsync(user, ct))
            {
                if (counts.TryGetValue(obligation.VersionId, out var count))
                {
                    count[(int)obligation.State]++;
                }
            }
        }

        return standings.Select(s => s with
        {
            Acknowledged = counts[s.VersionId][(int)PolicyObligationState.Signed],
            Outstanding = counts[s.VersionId][(int)PolicyObligationState.Outstanding],
            Overdue = counts[s.VersionId][(int)PolicyObligationState.Overdue],
        }).ToList();
    }
}
