using System.Globalization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Policies;

/// <summary>One version in force with how many of its audience have signed it, still may, and are late.</summary>
public sealed record PolicyStanding(
    long DocumentId, string Title, long VersionId, int Version, DateTimeOffset PublishedAt, string ContentSha256, string Audience,
    int Acknowledged, int Outstanding, int Overdue)
{
    public int Total => Acknowledged + Outstanding + Overdue;

    /// <summary>Share of the audience that has signed, 0–100 (100 when nobody is asked).</summary>
    public double AcknowledgedPercent => Total == 0 ? 100 : 100.0 * Acknowledged / Total;
}

/// <summary>One department's part of a version's audience ("(no department)" for accounts the roster does not place).</summary>
public sealed record PolicyDepartmentStanding(string Department, int Acknowledged, int Outstanding, int Overdue)
{
    public int Total => Acknowledged + Outstanding + Overdue;
    public double AcknowledgedPercent => Total == 0 ? 100 : 100.0 * Acknowledged / Total;
}

/// <summary>Where one person of a version's audience stands: signed (when, which version, on their behalf or not), or due by when.</summary>
public sealed record PolicyPersonStanding(
    string UserId, string Name, string Email, string Department, PolicyObligationState State, DateTimeOffset DueAt,
    DateTimeOffset? SignedAt, int? SignedVersion, bool SignedOnBehalf, long? AcknowledgementId);

/// <summary>A version's tracking: its counts, by department, and person by person.</summary>
public sealed record PolicyVersionReport(PolicyStanding Standing, IReadOnlyList<PolicyDepartmentStanding> Departments, IReadOnlyList<PolicyPersonStanding> People);

/// <summary>
/// Where every policy in force stands: each sign-in account's obligations (<see cref="PolicyObligations"/>, the one
/// rule) counted per version, overall and by roster department. Locked-out accounts count too: the firm still owes
/// their signatures.
/// </summary>
public sealed class PolicyReport(IDbContextFactory<ComplianceHubDbContext> dbFactory, PolicyObligations obligations)
{
    public const string NoDepartment = AudienceMember.NoDepartment;

    public async Task<IReadOnlyList<PolicyStanding>> StandingsAsync(CancellationToken ct = default)
    {
        var (standings, _, all) = await LoadAsync(ct);
        return standings.Select(s => Count(s, all.SelectMany(u => u.Value).Where(o => o.VersionId == s.VersionId))).ToList();
    }

    /// <summary>The tracking of one version in force (null when it is not in force: a draft, superseded or retired).</summary>
    public async Task<PolicyVersionReport?> VersionAsync(long versionId, CancellationToken ct = default)
    {
        var (standings, people, all) = await LoadAsync(ct);
        if (standings.SingleOrDefault(s => s.VersionId == versionId) is not { } standing)
        {
            return null;
        }

        var rows = all.Where(u => people.ContainsKey(u.Key)) // an account made a moment ago is counted next time
            .SelectMany(u => u.Value.Where(o => o.VersionId == versionId).Select(o =>
            {
                var person = people[u.Key];
                return new PolicyPersonStanding(u.Key, person.Name, person.Email, person.Department, o.State, o.DueAt, o.SignedAt, o.SignedVersion,
                    o.SignedOnBehalf, o.AcknowledgementId);
            }))
            .OrderBy(p => p.State == PolicyObligationState.Overdue ? 0 : p.State == PolicyObligationState.Outstanding ? 1 : 2)
            .ThenBy(p => p.Name, StringComparer.CurrentCulture)
            .ToList();
        var departments = rows.GroupBy(r => r.Department, StringComparer.OrdinalIgnoreCase)
            .Select(g => new PolicyDepartmentStanding(g.Key,
                g.Count(r => r.State == PolicyObligationState.Signed),
                g.Count(r => r.State == PolicyObligationState.Outstanding),
                g.Count(r => r.State == PolicyObligationState.Overdue)))
            .OrderBy(d => d.Department == NoDepartment ? 1 : 0).ThenBy(d => d.Department, StringComparer.CurrentCulture)
            .ToList();
        return new PolicyVersionReport(Count(standing, all.SelectMany(u => u.Value).Where(o => o.VersionId == versionId)), departments, rows);
    }

    /// <summary>
    /// A version's tracking as CSV (UTF-8, RFC 4180, CRLF): one row per person with their department, state, due date,
    /// when and which version they signed, and whether it was given on their behalf. Cells a spreadsheet would run as a
    /// formula start with an apostrophe.
    /// </summary>
    public static byte[] ToCsv(PolicyVersionReport report) => Csv.ToBytes(
        ["policy", "version", "name", "email", "department", "state", "due_utc", "signed_utc", "signed_version", "on_behalf"],
        report.People.Select(p => (IReadOnlyList<string>)
        [
            report.Standing.Title, report.Standing.Version.ToString(CultureInfo.InvariantCulture), p.Name, p.Email, p.Department,
            p.State.ToString().ToLowerInvariant(), Utc(p.DueAt), p.SignedAt is { } at ? Utc(at) : "",
            p.SignedVersion?.ToString(CultureInfo.InvariantCulture) ?? "", p.SignedOnBehalf ? "yes" : "no",
        ]));

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static PolicyStanding Count(PolicyStanding standing, IEnumerable<PolicyObligation> obligations)
    {
        var list = obligations.ToList();
        return standing with
        {
            Acknowledged = list.Count(o => o.State == PolicyObligationState.Signed),
            Outstanding = list.Count(o => o.State == PolicyObligationState.Outstanding),
            Overdue = list.Count(o => o.State == PolicyObligationState.Overdue),
        };
    }

    private async Task<(List<PolicyStanding> Standings, Dictionary<string, (string Name, string Email, string Department)> People,
        IReadOnlyDictionary<string, IReadOnlyList<PolicyObligation>> Obligations)> LoadAsync(CancellationToken ct)
    {
        List<PolicyStanding> standings;
        Dictionary<string, (string, string, string)> people;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            standings = (await db.PolicyVersions.AsNoTracking().Where(v => v.Status == PolicyVersionStatus.Published)
                    .Join(db.PolicyDocuments.Where(d => d.RetiredAt == null), v => v.DocumentId, d => d.Id, (v, d) => new { Version = v, d.Title })
                    .ToListAsync(ct))
                .OrderBy(x => x.Title, StringComparer.CurrentCulture)
                .Select(x => new PolicyStanding(x.Version.DocumentId, x.Title, x.Version.Id, x.Version.Number, x.Version.PublishedAt!.Value,
                    x.Version.ContentSha256!, x.Version.Audience.Describe(), 0, 0, 0))
                .ToList();
            people = (await AudienceMember.LoadAsync(db, null, ct)).ToDictionary(m => m.UserId, m => (m.Name, m.Email ?? "", m.Department), StringComparer.Ordinal);
        }

        var all = standings.Count == 0
            ? new Dictionary<string, IReadOnlyList<PolicyObligation>>()
            : await obligations.ForUsersAsync(null, ct);
        return (standings, people, all);
    }
}
