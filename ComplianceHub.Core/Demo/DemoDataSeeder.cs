using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Demo;

/// <summary>
/// Fills an empty installation with demo accounts and demo content (synthetic WhatsApp exports) so a
/// newcomer can sign in and find an archive at once. Idempotent: what already exists is left alone.
/// </summary>
public sealed class DemoDataSeeder(
    UserAdministrationService users, ExportImportService imports, IDbContextFactory<ComplianceHubDbContext> dbFactory,
    StorageSettings storage, AuditLog audit)
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

        var exports = await ImportExportsAsync(actor, ct);
        if (created.Count > 0 || exports.Count > 0)
        {
            await audit.RecordInOwnTransactionAsync(AuditEventType.DemoDataSeeded, actor, details: new { accounts = created, exports }, ct: ct);
        }

        return new DemoSeedResult(created, DemoAccounts.All.Count - created.Count, exports);
    }

    /// <summary>Imports the demo exports into an archive that has none yet.</summary>
    private async Task<List<string>> ImportExportsAsync(AuditActor actor, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.ImportBatches.AnyAsync(ct))
            {
                return [];
            }
        }

        var directory = Path.Combine(storage.DataDirectory, "tmp", "demo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var imported = new List<string>();
            foreach (var (fileName, options) in DemoExports.All)
            {
                await imports.ImportAsync(DemoExports.WriteTo(directory, fileName), fileName, options, actor, ct: ct);
                imported.Add(fileName);
            }

            return imported;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task<bool> ExistsAsync(string email, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var normalized = email.ToUpperInvariant();
        return await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, ct);
    }
}

public sealed record DemoSeedResult(IReadOnlyList<string> CreatedAccounts, int ExistingAccounts, IReadOnlyList<string> ImportedExports);
