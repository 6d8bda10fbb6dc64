using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Archive.Search;
using ComplianceHub.Core.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ComplianceHub.Core.Storage;

/// <summary>
/// Brings a database up to date on start-up (web host and CLI alike): creates the data directory,
/// applies the provider's migrations, switches SQLite to WAL, refills the search index when a
/// migration has rebuilt it, and makes sure every role exists.
/// </summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, StorageSettings settings, IMessageSearch search, ILogger<DatabaseInitializer> logger)
{
    /// <summary>Migrations after which the search index is empty and is refilled from the messages.</summary>
    private static readonly string[] SearchIndexRebuilds = ["_SearchIndex"];

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        Directory.CreateDirectory(settings.DataDirectory);
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        if (db.Database.IsSqlite())
        {
            // WAL is a property of the file: set once, it stays. Readers then never block the writer.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} database migration(s) for {Provider}", pending.Count, settings.Provider);
            await db.Database.MigrateAsync(ct);
            if (pending.Any(m => SearchIndexRebuilds.Any(r => m.EndsWith(r, StringComparison.Ordinal))))
            {
                var indexed = await ArchiveWriter.RebuildSearchIndexAsync(db, search, ct);
                logger.LogInformation("Search index rebuilt: {Count} messages", indexed);
            }
        }

        var existing = await db.Roles.Select(r => r.Name!).ToListAsync(ct);
        foreach (var role in Roles.All.Except(existing, StringComparer.Ordinal))
        {
            db.Roles.Add(new IdentityRole(role) { NormalizedName = role.ToUpperInvariant(), ConcurrencyStamp = Guid.NewGuid().ToString() });
        }

        await db.SaveChangesAsync(ct);
    }
}
