using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ComplianceHub.Core.Storage.Sqlite;

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the web host.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteComplianceHubDbContext>
{
    public SqliteComplianceHubDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteComplianceHubDbContext>();
        StorageServiceCollectionExtensions.ConfigureSqlite(options, "Data Source=design-time.db");
        return new SqliteComplianceHubDbContext(options.Options);
    }
}
