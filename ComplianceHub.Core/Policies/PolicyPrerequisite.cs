using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Policies;

/// <summary>
/// The roster's prerequisite for an active WhatsApp number: its owner has signed every messaging policy they owe
/// (<see cref="PolicyObligations"/>). Without it a number is not activated, and an active one lapses (the roster's
/// lapse check), for instance when a material new version is published. Nothing is required while no policy is in
/// force; an owner without a sign-in account is held back only by a policy that takes them in as the roster knows them
/// (everyone, their department, their work e-mail), since they cannot sign it.
/// </summary>
public sealed class PolicyPrerequisite(IDbContextFactory<ComplianceHubDbContext> dbFactory, PolicyObligations obligations) : IAuthorizationPrerequisite
{
    public async Task<string?> BlockingReasonAsync(Person employee, CancellationToken ct)
    {
        string? userId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var inForce = await db.PolicyVersions.AsNoTracking().Where(v => v.Status == PolicyVersionStatus.Published)
                .Join(db.PolicyDocuments.Where(d => d.RetiredAt == null), v => v.DocumentId, d => d.Id, (v, d) => new { v.AudienceKind, v.AudienceValues, d.Title })
                .ToListAsync(ct);
            if (inForce.Count == 0)
            {
                return null;
            }

            userId = employee.UserId ?? (employee.WorkEmail is { } email
                ? await db.Users.Where(u => u.NormalizedEmail == email.ToUpperInvariant()).Select(u => u.Id).FirstOrDefaultAsync(ct)
                : null);
            if (userId is null)
            {
                var owed = inForce.Where(p => Audience.From(p.AudienceKind, p.AudienceValues)
                    .Includes(employee.WorkEmail, roles: [], employee.Department is { } department ? [department] : [])).ToList();
                return owed.Count == 0
                    ? null
                    : $"{employee.Name} has no sign-in account with which to sign {string.Join(", ", owed.Select(p => $"\u201C{p.Title}\u201D"))}.";
            }
        }

        var unsigned = (await obligations.ForUserAsync(userId, ct)).Where(o => !o.IsSigned).ToList();
        return unsigned.Count == 0
            ? null
            : $"{employee.Name} has not signed {string.Join(", ", unsigned.Select(o => $"\u201C{o.Title}\u201D (version {o.VersionNumber})"))}.";
    }
}
