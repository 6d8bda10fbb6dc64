namespace ComplianceHub.Core.Storage;

/// <summary>
/// Work a feature needs done once migrations have been applied on start-up (web host and CLI alike),
/// such as refilling derived data a migration emptied. <see cref="DatabaseInitializer"/> runs every
/// registered one, in registration order, with the names of the migrations it has just applied.
/// </summary>
public interface IAfterMigrations
{
    Task RunAsync(ComplianceHubDbContext db, IReadOnlyList<string> appliedMigrations, CancellationToken ct);
}
