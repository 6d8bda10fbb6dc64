namespace ComplianceHub.Core.Storage;

/// <summary>
/// Marks an entity whose rows are written once and never updated or deleted: the context refuses it
/// in code (<see cref="ComplianceHubDbContext"/>), and the entity's migration adds triggers that
/// refuse it in the database too. A correction is a new row.
/// </summary>
public interface IAppendOnly;
