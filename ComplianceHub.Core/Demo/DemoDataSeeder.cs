using System.Text;
using ComplianceHub.Core.Archive.Capture;
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
    StorageSettings storage, AuditLog audit, WebhookInbox inbox, WebhookProcessor processor, TimeProvider clock)
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
        var captured = await CaptureDemoDeliveriesAsync(ct);
        if (created.Count > 0 || exports.Count > 0 || captured > 0)
        {
            await audit.RecordInOwnTransactionAsync(AuditEventType.DemoDataSeeded, actor, details: new { accounts = created, exports, webhookDeliveries = captured }, ct: ct);
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

    /// <summary>
    /// A short live-captured chat on the demo business number (appsettings.Development.json), fed
    /// through the real inbox and processor: texts both ways, a reply, a reaction, an edit and the
    /// delivery history of the business's message. Times are relative to now.
    /// </summary>
    private async Task<int> CaptureDemoDeliveriesAsync(CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.WebhookDeliveries.AnyAsync(ct))
            {
                return 0;
            }
        }

        var payloads = DemoWebhookPayloads.All(clock.GetUtcNow());
        foreach (var payload in payloads)
        {
            await inbox.AcceptAsync(Encoding.UTF8.GetBytes(payload), "demo", ct);
        }

        await processor.ProcessPendingAsync(ct: ct);
        return payloads.Count;
    }

    private async Task<bool> ExistsAsync(string email, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var normalized = email.ToUpperInvariant();
        return await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, ct);
    }
}

public sealed record DemoSeedResult(IReadOnlyList<string> CreatedAccounts, int ExistingAccounts, IReadOnlyList<string> ImportedExports);
