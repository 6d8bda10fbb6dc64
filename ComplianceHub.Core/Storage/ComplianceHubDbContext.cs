using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Storage;

/// <summary>
/// The whole provider-agnostic model. Each provider has a subclass holding its own migrations and
/// provider-specific pieces; services receive it as <c>IDbContextFactory&lt;ComplianceHubDbContext&gt;</c>.
/// </summary>
/// <remarks>
/// Every model change gets two migrations, added in the same commit:
/// <code>
/// dotnet ef migrations add &lt;Name&gt; --project ComplianceHub.Core --startup-project ComplianceHub.Web \
///   --context SqliteComplianceHubDbContext --output-dir Storage/Migrations/Sqlite
/// dotnet ef migrations add &lt;Name&gt; --project ComplianceHub.Core --startup-project ComplianceHub.Web \
///   --context PostgresComplianceHubDbContext --output-dir Storage/Migrations/Postgres
/// </code>
/// </remarks>
public abstract class ComplianceHubDbContext(DbContextOptions options) : IdentityDbContext<ApplicationUser>(options)
{
    // Audit
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ComplianceHubDbContext).Assembly);
    }

    /// <summary>
    /// Serialises writers of the audit chain until the current transaction ends. Called inside the
    /// transaction, before the chain head is read.
    /// </summary>
    protected abstract Task LockAuditChainAsync(CancellationToken ct);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAppendOnly();
        if (PendingAuditEvents().Count > 0)
        {
            // Sealing reads the chain head under a lock; only the async path does that.
            throw new InvalidOperationException("Audit events are saved with SaveChangesAsync.");
        }

        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardAppendOnly();
        var pending = PendingAuditEvents();
        if (pending.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        var ownTransaction = Database.CurrentTransaction is null
            ? await Database.BeginTransactionAsync(cancellationToken)
            : null;
        try
        {
            await LockAuditChainAsync(cancellationToken);
            var head = await AuditEvents.AsNoTracking()
                .OrderByDescending(e => e.Id)
                .Select(e => new { e.Id, e.Hash })
                .FirstOrDefaultAsync(cancellationToken);

            var id = head?.Id ?? 0;
            var previousHash = head?.Hash ?? AuditEvent.GenesisHash;
            foreach (var auditEvent in pending)
            {
                auditEvent.Seal(++id, previousHash);
                previousHash = auditEvent.Hash;
            }

            var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }

            return written;
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }

    private List<AuditEvent> PendingAuditEvents() =>
        ChangeTracker.Entries<AuditEvent>()
            .Where(e => e.State == EntityState.Added && !e.Entity.IsSealed)
            .Select(e => e.Entity)
            .OrderBy(e => e.CreationOrder)
            .ToList();

    private void GuardAppendOnly()
    {
        var changed = ChangeTracker.Entries<AuditEvent>()
            .FirstOrDefault(e => e.State is EntityState.Modified or EntityState.Deleted);
        if (changed is not null)
        {
            throw new InvalidOperationException(
                $"Audit event {changed.Entity.Id} cannot be {changed.State.ToString().ToLowerInvariant()}: the audit trail is append-only.");
        }
    }
}
