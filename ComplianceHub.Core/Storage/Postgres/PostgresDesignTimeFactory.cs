using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ComplianceHub.Core.Storage.Postgres;

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL context; adding a migration needs no server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresComplianceHubDbContext>
{
    public PostgresComplianceHubDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresComplianceHubDbContext>();
        StorageServiceCollectionExtensions.ConfigurePostgres(options, "Host=localhost;Database=compliancehub_design");
        return new PostgresComplianceHubDbContext(options.Options);
    }
}
