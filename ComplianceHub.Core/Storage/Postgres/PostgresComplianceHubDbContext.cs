using ComplianceHub.Core.Archive;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Storage.Postgres;

/// <summary>The scale-out provider: PostgreSQL through Npgsql.</summary>
public sealed class PostgresComplianceHubDbContext(DbContextOptions<PostgresComplianceHubDbContext> options)
    : ComplianceHubDbContext(options)
{
    /// <summary>Transaction-scoped advisory lock key for the audit chain ("CHAUDIT" as ASCII).</summary>
    private const long AuditChainLockKey = 0x43484155444954;

    /// <summary>Transaction-scoped advisory lock key for webhook processing ("CHCAPTUR" as ASCII).</summary>
    private const long CaptureLockKey = 0x4348434150545552;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Full-text search over message bodies (PostgresMessageSearch); a shadow property keeps
        // NpgsqlTsVector out of the shared entity.
        builder.Entity<ChatMessage>()
            .Property<NpgsqlTypes.NpgsqlTsVector>("SearchVector")
            .HasComputedColumnSql("""to_tsvector('simple', "Body")""", stored: true);
        builder.Entity<ChatMessage>().HasIndex("SearchVector").HasMethod("GIN");
    }

    protected override async Task LockAuditChainAsync(CancellationToken ct)
    {
        await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AuditChainLockKey})", ct);
    }

    internal override async Task LockCaptureProcessingAsync(CancellationToken ct)
    {
        await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({CaptureLockKey})", ct);
    }
}
