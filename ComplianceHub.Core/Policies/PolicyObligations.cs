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
    DateTimeOffset? SignedAt, int? SignedVersion, bool SignedOnBehalf)
{
    public bool IsSigned => State == PolicyObligationState.Signed;
}

/// <summary>
/// Which policies a sign-in account must sign: every version in force whose audience takes them in (everyone, their
/// roster department, one of their roles, or their e-mail address), as the roster and their roles stand now, so that
/// someone who joins a department later owes its policies from then. The one rule the portal, the roster's
/// prerequisite and the reports use.
/// </summary>
public sealed class PolicyObligations(IDbContextFactory<ComplianceHubDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<PolicyObligation>> ForUserAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Id, u.Email, u.CreatedAt }).SingleOrDefaultAsync(ct);
        if (user is null)
        {
            return [];
        }

        var roles = await db.UserRoles.Where(r => r.UserId == userId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToListAsync(ct);
        var email = user.Email?.ToLowerInvariant();
        var departments = await db.People.AsNoTracking()
            .Where(p => p.UserId == userId || (email != null && p.WorkEmail == email)) // the roster keeps e-mail addresses in lower case
            .Where(p => p.Department != null).Select(p => new { Department = p.Department!, p.CreatedAt }).ToListAsync(ct);

        var inForce = await db.PolicyVersions.AsNoTracking().Where(v => v.Status == PolicyVersionStatus.Published)
            .Join(db.PolicyDocuments.Where(d => d.RetiredAt == null), v => v.DocumentId, d => d.Id, (v, d) => new { Version = v, d.Title })
            .ToListAsync(ct);
        var applicable = inForce.Where(x => Includes(x.Version.Audience, email, roles, departments.Select(d => d.Department).ToList())).ToList();
        if (applicable.Count == 0)
        {
            return [];
        }

        var documentIds = applicable.Select(x => x.Version.DocumentId).ToList();
        var history = await db.PolicyVersions.AsNoTracking().Where(v => documentIds.Contains(v.DocumentId) && v.Status != PolicyVersionStatus.Draft)
            .Select(v => new { v.Id, v.DocumentId, v.Number, v.IsMaterial }).ToListAsync(ct);
        var versionIds = history.Select(h => h.Id).ToList();
        var signatures = await db.PolicyAcknowledgements.AsNoTracking().Where(a => a.UserId == userId && versionIds.Contains(a.VersionId))
            .Select(a => new { a.VersionId, a.AcknowledgedAt, a.OnBehalfBy }).ToListAsync(ct);

        var now = clock.GetUtcNow();
        var obligations = new List<PolicyObligation>();
        foreach (var (version, title) in applicable.Select(x => (x.Version, x.Title)).OrderBy(x => x.Title, StringComparer.CurrentCulture))
        {
            // A signature counts from the last material version on; the newest such one is the one that stands.
            var versions = history.Where(h => h.DocumentId == version.DocumentId).ToList();
            var sinceNumber = versions.Where(h => h.IsMaterial && h.Number <= version.Number).Select(h => h.Number).DefaultIfEmpty(1).Max();
            var counting = versions.Where(h => h.Number >= sinceNumber).ToDictionary(h => h.Id, h => h.Number);
            var latest = signatures.Where(s => counting.ContainsKey(s.VersionId)).MaxBy(s => s.AcknowledgedAt);

            // Due: so many days after publication, or after someone came later (their account created; for a department's
            // policy, their roster entry in it); when a signature must be renewed, so many months after it.
            var from = new[] { version.PublishedAt!.Value, user.CreatedAt }.Max();
            if (version.AudienceKind == PolicyAudienceKind.Departments
                && departments.Where(d => version.Audience.Values.Any(v => string.Equals(v.Trim(), d.Department, StringComparison.OrdinalIgnoreCase)))
                    .Select(d => d.CreatedAt).DefaultIfEmpty(from).Min() is var joined && joined > from)
            {
                from = joined;
            }

            var due = from.AddDays(version.DueDays);
            var lapsed = latest is not null && version.ReattestMonths is { } months && latest.AcknowledgedAt.AddMonths(months) <= now;
            if (lapsed)
            {
                due = latest!.AcknowledgedAt.AddMonths(version.ReattestMonths!.Value);
            }

            var state = latest is not null && !lapsed
                ? PolicyObligationState.Signed
                : now > due ? PolicyObligationState.Overdue : PolicyObligationState.Outstanding;
            obligations.Add(new PolicyObligation(version.DocumentId, title, version.Id, version.Number, version.ContentSha256!, due, state,
                latest?.AcknowledgedAt, latest is null ? null : counting[latest.VersionId], latest?.OnBehalfBy is not null));
        }

        return obligations;
    }

    private static bool Includes(PolicyAudience audience, string? email, IReadOnlyList<string> roles, IReadOnlyList<string> departments) => audience.Kind switch
    {
        PolicyAudienceKind.Everyone => true,
        PolicyAudienceKind.Departments => audience.Values.Any(d => departments.Contains(d.Trim(), StringComparer.OrdinalIgnoreCase)),
        PolicyAudienceKind.Roles => audience.Values.Any(r => roles.Contains(r.Trim(), StringComparer.OrdinalIgnoreCase)),
        _ => email is not null && audience.Values.Any(p => string.Equals(p.Trim(), email, StringComparison.OrdinalIgnoreCase)),
    };
}
