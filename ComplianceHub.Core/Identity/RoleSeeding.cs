using ComplianceHub.Core.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Identity;

/// <summary>Makes sure every role of <see cref="Roles.All"/> exists, on every start-up.</summary>
public sealed class RoleSeeding : IAfterMigrations
{
    public async Task RunAsync(ComplianceHubDbContext db, IReadOnlyList<string> appliedMigrations, CancellationToken ct)
    {
        var existing = await db.Roles.Select(r => r.Name!).ToListAsync(ct);
        foreach (var role in Roles.All.Except(existing, StringComparer.Ordinal))
        {
            db.Roles.Add(new IdentityRole(role) { NormalizedName = role.ToUpperInvariant(), ConcurrencyStamp = Guid.NewGuid().ToString() });
        }

        await db.SaveChangesAsync(ct);
    }
}
