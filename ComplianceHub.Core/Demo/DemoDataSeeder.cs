using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Demo;

/// <summary>
/// Fills an empty installation with demo accounts (and, as features arrive, demo content) so a
/// newcomer can sign in at once. Idempotent: what already exists is left alone.
/// </summary>
public sealed class DemoDataSeeder(
    UserAdministrationService users, IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit)
{
    /// <summary>Creates whatever demo data is missing and returns what it created.</summary>
    public async Task<DemoSeedResult> SeedAsync(AuditActor actor, CancellationToken ct = default)
    {
        var created = new List<string>();
        foreach (var account in DemoAccounts.All)
        {
            if (await ExistsAsync(account.Email, ct))
            {
                continue;
            }

            await users.CreateUserAsync(
                new CreateUserRequest
                {
                    Email = account.Email,
                    DisplayName = account.DisplayName,
                    Password = DemoAccounts.Password,
                    Roles = [account.Role],
                },
                actor, ct);
            created.Add(account.Email);
        }

        if (created.Count > 0)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            audit.Record(db, AuditEventType.DemoDataSeeded, actor, details: new { accounts = created });
            await db.SaveChangesAsync(ct);
        }

        return new DemoSeedResult(created, DemoAccounts.All.Count - created.Count);
    }

    private async Task<bool> ExistsAsync(string email, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var normalized = email.ToUpperInvariant();
        return await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, ct);
    }
}

public sealed record DemoSeedResult(IReadOnlyList<string> CreatedAccounts, int ExistingAccounts);
