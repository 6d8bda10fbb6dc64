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

        var usersQuery = db.Users.AsNoTracking();
        if (userIds is not null)
        {
            usersQuery = usersQuery.Where(u => userIds.Contains(u.Id));
        }

        var users = await usersQuery.Select(u => new { u.Id, u.Email, u.CreatedAt }).ToListAsync(ct);
        if (inForce.Count == 0 || users.Count == 0)
        {
            return users.ToDictionary(u => u.Id, _ => (IReadOnlyList<PolicyObligation>)[], StringComparer.Ordinal);
        }

        var ids = users.Select(u => u.Id).ToList();
        var roles = (await db.UserRoles.Where(r => ids.Contains(r.UserId)).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
                .ToListAsync(ct))
            .ToLookup(r => r.UserId, r => r.Name!, StringComparer.Ordinal);

        // Roster departments, by the account linked or by the work e-mail (the roster keeps addresses in lower case).
        var emails = users.Where(u => u.Email is not null).Select(u => u.Email!.ToLowerInvariant()).ToList();
        var rosterPeople = await db.People.AsNoTracking()
            .Where(p => p.Department != null && ((p.UserId != null && ids.Contains(p.UserId)) || (p.WorkEmail != null && emails.Contains(p.WorkEmail))))
            .Select(p => new RosterEntry(p.UserId, p.WorkEmail, p.Department!, p.CreatedAt)).ToListAsync(ct);
        var byAccount = rosterPeople.Where(p => p.UserId != null).ToLookup(p => p.UserId!, StringComparer.Ordinal);
        var byEmail = rosterPeople.Where(p => p.WorkEmail != null).ToLookup(p => p.WorkEmail!, StringComparer.Ordinal);

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
        foreach (var user in users)
        {
            var email = user.Email?.ToLowerInvariant();
            var departments = byAccount[user.Id].Union(email is null ? [] : byEmail[email]).ToList();
            var departmentNames = departments.Select(d => d.Department).ToList();
            var userRoles = roles[user.Id].ToList();
            var obligations = new List<PolicyObligation>();
            foreach (var (version, title) in ordered.Select(x => (x.Version, x.Title)))
            {
                var audience = version.Audience;
                if (!audience.Includes(email, userRoles, departmentNames))
                {
                    continue;
                }

                // A signature counts from the last material version on; the newest such one is the one that stands.
                var counts = counting[version.Id];
                var latest = signatures[user.Id].Where(s => counts.ContainsKey(s.VersionId)).MaxBy(s => s.At);

                // Due: so many days after publication, or after someone came later (their account created; for a department's
                // policy, their roster entry in it); when a signature must be renewed, so many months after it.
                var from = new[] { version.PublishedAt!.Value, user.CreatedAt }.Max();
                if (departments.Where(d => audience.NamesDepartment(d.Department)).Select(d => d.CreatedAt).DefaultIfEmpty(from).Min() is var joined
                    && joined > from)
                {
                    from = joined;
                }

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

            result[user.Id] = obligations;
        }

        return result;
    }

    private sealed record RosterEntry(string? UserId, string? WorkEmail, string Department, DateTimeOffset CreatedAt);

    private sealed record Signature(long Id, string UserId, long VersionId, DateTimeOffset At, bool OnBehalf);
}
