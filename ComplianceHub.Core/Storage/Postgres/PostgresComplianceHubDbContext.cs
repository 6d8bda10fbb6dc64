using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Storage.Postgres;

/// <summary>The scale-out provider: PostgreSQL through Npgsql.</summary>
public sealed class PostgresComplianceHubDbContext(DbContextOptions<PostgresComplianceHubDbContext> options)
    : ComplianceHubDbContext(options)
{
    /// <summary>Transaction-scoped advisory lock key for the audit chain ("CHAUDIT" as ASCII).</summary>
    private const long AuditChainLockKey = 0x43484155444954;

    /// <summary>Transaction-scoped advisory lock key for writes to the archive ("CHCAPTUR" as ASCII).</summary>
    private const long CaptureLockKey = 0x4348434150545552;

    protected override async Task LockAuditChainAsync(CancellationToken ct)
    {
        await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AuditChainLockKey})", ct);
    }

    internal override async Task LockArchiveWritesAsync(CancellationToken ct)
    {
        await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({CaptureLockKey})", ct);
    }

    internal override object InstantParameter(DateTimeOffset value) => value.ToUniversalTime();

    internal override async Task<string> PurgeRemovedAsync(CancellationToken ct)
    {
        await Database.ExecuteSqlRawAsync(
            "VACUUM \"ChatMessages\", \"ChatAttachments\", \"ChatMessageSearch\", \"MessageExportSources\", \"MediaDownloads\", \"WebhookDeliveries\";", ct);
        return "tables vacuumed";
    }
}
