using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Policies;

public enum PolicyObligationState
{
    Signed = 0,
    Outstanding = 1,
    Overdue = 2,
}

/// <summary>
/// One policy a person must have signed: the version in force, by when, and whether they have (a signature of this
/// version, or of an earlier one when nothing material changed since, still within the re-attestation period).
/// </summary>
public sealed record PolicyObligation(
    long DocumentId, string Title, long VersionId, int VersionNumber, string ContentSha256, DateTimeOffset DueAt, PolicyObligationState State,
    DateTimeOffset? SignedAt, int? SignedVersion, bool SignedOnBehalf, long? AcknowledgementId = null)
{
    public bool IsSigned => State == PolicyObligationState.Signed;
}

/// <summary>
/// Which policies a sign-in account must sign: every version in force whose audience takes them in (everyone, their
/// roster department, one of their roles, or their e-mail address), as the roster and their roles stand now, so that
/// someone who joins a department later owes its policies from then. The one rule the portal, the roster's
/// prerequisite, the reports and the reminders use; computed for many accounts at once from a handful of queries.
/// </summary>
public sealed class PolicyObligations(IDbContextFactory<ComplianceHubDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<PolicyObligation>> ForUserAsync(string userId, CancellationToken ct = default) =>
        (await ForUsersAsync([userId], ct)).GetValueOrDefault(userId) ?? [];

    /// <summary>The obligations of the given accounts (null: of every account), by account id; an account that owes nothing has an empty list.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<PolicyObligation>>> ForUsersAsync(
        IReadOnlyCollection<string>? userIds, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var result = new Dictionary<string, IReadOnlyList<PolicyObligation>>(StringComparer.Ordinal);
        var inForce = await db.PolicyVersions.AsNoTracking().Where(v => v.Status == PolicyVersionStatus.Published)
            .Join(db.PolicyDocuments.Where(d => d.RetiredAt == null), v => v.DocumentId, d => d.Id, (v, d) => new { Version = v, d.Title })
            .ToListAsync(ct);

        var members = await AudienceMember.LoadAsync(db, userIds, ct);
        if (inForce.Count == 0 || members.Count == 0)
        {
            return members.ToDictionary(u => u.UserId, _ => (IReadOnlyList<PolicyObligation>)[], StringComparer.Ordinal);
        }

        var ids = members.Select(m => m.UserId).ToList();
        var documentIds = inForce.Select(x => x.Version.DocumentId).ToList();
        var history = await db.PolicyVersions.AsNoTracking().Where(v => documentIds.Contains(v.DocumentId) && v.Status != PolicyVersionStatus.Draft)
            .Select(v => new { v.Id, v.DocumentId, v.Number, v.IsMaterial }).ToListAsync(ct);
        var versionIds = history.Select(h => h.Id).ToList();
        var signatureQuery = db.PolicyAcknowledgements.AsNoTracking().Where(a => versionIds.Contains(a.VersionId));
        if (userIds is not null)
        {
            signatureQuery = signatureQuery.Where(a => ids.Contains(a.UserId));
        }

        var signatures = (await signatureQuery.Select(a => new Signature(a.Id, a.UserId, a.VersionId, a.AcknowledgedAt, a.OnBehalfBy != null)).ToListAsync(ct))
            .ToLookup(s => s.UserId, StringComparer.Ordinal);

        // Per document: the version numbers a signature counts from (the last material one up to the version in force).
        var counting = inForce.ToDictionary(x => x.Version.Id, x =>
        {
            var versions = history.Where(h => h.DocumentId == x.Version.DocumentId).ToList();
            var since = versions.Where(h => h.IsMaterial && h.Number <= x.Version.Number).Select(h => h.Number).DefaultIfEmpty(1).Max();
            return versions.Where(h => h.Number >= since).ToDictionary(h => h.Id, h => h.Number);
        });
        var ordered = inForce.OrderBy(x => x.Title, StringComparer.CurrentCulture).ToList();

        var now = clock.GetUtcNow();
        foreach (var member in members)
        {
            var obligations = new List<PolicyObligation>();
            foreach (var (version, title) in ordered.Select(x => (x.Version, x.Title)))
            {
                var audience = version.Audience;
                if (!member.IsIn(audience))
                {
                    continue;
                }

                // A signature counts from the last material version on; the newest such one is the one that stands.
                var counts = counting[version.Id];
                var latest = signatures[member.UserId].Where(s => counts.ContainsKey(s.VersionId)).MaxBy(s => s.At);

                // Due: so many days after publication, or after someone came later (their account created; for a department's
                // policy, their roster entry in it); when a signature must be renewed, so many months after it.
                var from = member.OwesFrom(audience, version.PublishedAt!.Value);
                var due = from.AddDays(version.DueDays);
                var lapsed = latest is not null && version.ReattestMonths is { } months && latest.At.AddMonths(months) <= now;
                if (lapsed)
                {
                    due = latest!.At.AddMonths(version.ReattestMonths!.Value);
                }

                var state = latest is not null && !lapsed
                    ? PolicyObligationState.Signed
                    : now > due ? PolicyObligationState.Overdue : PolicyObligationState.Outstanding;
                obligations.Add(new PolicyObligation(version.DocumentId, title, version.Id, version.Number, version.ContentSha256!, due, state,
                    latest?.At, latest is null ? null : counts[latest.VersionId], latest?.OnBehalf == true, latest?.Id));
            }

            result[member.UserId] = obligations;
        }

        return result;
    }

    private sealed record Signature(long Id, string UserId, long VersionId, DateTimeOffset At, bool OnBehalf);
}
