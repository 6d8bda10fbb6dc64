using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Storage.Sqlite;

/// <summary>The embedded default: one SQLite file in WAL mode under the data directory.</summary>
public sealed class SqliteComplianceHubDbContext(DbContextOptions<SqliteComplianceHubDbContext> options)
    : ComplianceHubDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
    }

    // Microsoft.Data.Sqlite begins transactions with BEGIN IMMEDIATE, which already holds the
    // database's single write lock for the rest of the transaction.
    protected override Task LockAuditChainAsync(CancellationToken ct) => Task.CompletedTask;

    internal override Task LockArchiveWritesAsync(CancellationToken ct) => Task.CompletedTask;

    protected override bool SavesTakeWriteTurn => true;

    internal override object InstantParameter(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    internal override async Task PrepareRemovalAsync(CancellationToken ct) =>
        await Database.ExecuteSqlRawAsync("PRAGMA secure_delete = ON;", ct);

    internal override async Task<string> PurgeRemovedAsync(CancellationToken ct)
    {
        // Readers still open on older snapshots can keep the checkpoint from finishing; it is tried a few times.
        for (var attempt = 1; ; attempt++)
        {
            var connection = Database.GetDbConnection();
            await Database.OpenConnectionAsync(ct);
            long busy;
            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                await using var reader = await command.ExecuteReaderAsync(ct);
                busy = await reader.ReadAsync(ct) ? reader.GetInt64(0) : 1;
            }
            finally
            {
                await Database.CloseConnectionAsync();
            }

            if (busy == 0 || attempt == 5)
            {
                return busy == 0 ? "write-ahead log checkpointed and truncated" : "write-ahead log checkpoint still busy after 5 attempts; the next checkpoint overwrites it";
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
        }
    }
}
