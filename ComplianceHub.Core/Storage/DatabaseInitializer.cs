using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace ComplianceHub.Core.Storage;

/// <summary>
/// Brings a database up to date on start-up (web host and CLI alike): creates the data directory,
/// applies the provider's migrations, switches SQLite to WAL, and runs what features need done after
/// migrating (<see cref="IAfterMigrations"/>: refilling the search index, the sign-in roles).
/// </summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, StorageSettings settings, IEnumerable<IAfterMigrations> followUps, ILogger<DatabaseInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        if (PrivateFiles.Protect(settings) is { } problem)
        {
            logger.LogWarning("The data directory could not be made owner-only: {Problem}", problem);
        }

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
        }

        foreach (var followUp in followUps)
        {
            await followUp.RunAsync(db, pending, ct);
        }

    }
}
