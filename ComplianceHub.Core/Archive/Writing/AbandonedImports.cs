using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Archive.Writing;

/// <summary>On start-up, removes what imports that stopped mid-way had written (<see cref="ImportRollback.AbandonedAfter"/>).</summary>
internal sealed class AbandonedImports(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, ArchiveWriteGate gate, ISearchIndex index, AuditLog audit, TimeProvider clock) : IAfterMigrations
{
    public async Task RunAsync(ComplianceHubDbContext db, IReadOnlyList<string> appliedMigrations, CancellationToken ct) =>
        await ImportRollback.RunForAbandonedAsync(dbFactory, gate, index, audit, clock.GetUtcNow(), ct);
}
