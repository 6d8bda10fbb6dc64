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
}
