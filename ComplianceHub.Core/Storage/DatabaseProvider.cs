namespace ComplianceHub.Core.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
