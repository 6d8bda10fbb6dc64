using Microsoft.Extensions.Configuration;

namespace ComplianceHub.Core.Storage;

/// <summary>
/// Where data lives, resolved once from configuration: <c>ComplianceHub:DataDirectory</c>,
/// <c>Database:Provider</c> and <c>ConnectionStrings:ComplianceHub</c>.
/// </summary>
public sealed record StorageSettings(DatabaseProvider Provider, string DataDirectory, string ConnectionString)
{
    public const string DataDirectoryKey = "ComplianceHub:DataDirectory";
    public const string ProviderKey = "Database:Provider";
    public const string ConnectionStringName = "ComplianceHub";
    public const string DefaultDataDirectoryName = "App_Data";
    public const string SqliteFileName = "compliancehub.db";

    public string BlobDirectory => Path.Combine(DataDirectory, "blobs");

    /// <summary>The archive key file configured (<c>Encryption:KeyFile</c>), or null for the default beside the data directory.</summary>
    public string? KeyFile { get; init; }

    /// <summary>
    /// Reads the settings. A relative data directory is taken relative to <paramref name="contentRoot"/>;
    /// without a connection string, SQLite uses <see cref="SqliteFileName"/> in the data directory.
    /// </summary>
    public static StorageSettings FromConfiguration(IConfiguration configuration, string contentRoot)
    {
        var providerText = configuration[ProviderKey];
        var provider = DatabaseProvider.Sqlite;
        if (!string.IsNullOrWhiteSpace(providerText) && !Enum.TryParse(providerText, ignoreCase: true, out provider))
        {
            throw new InvalidOperationException(
                $"Configuration '{ProviderKey}' is '{providerText}'; expected 'Sqlite' or 'Postgres'.");
        }

        var dataDirectory = configuration[DataDirectoryKey];
        dataDirectory = string.IsNullOrWhiteSpace(dataDirectory)
            ? Path.Combine(contentRoot, DefaultDataDirectoryName)
            : Path.GetFullPath(dataDirectory, contentRoot);

        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = provider switch
            {
                DatabaseProvider.Sqlite => $"Data Source={Path.Combine(dataDirectory, SqliteFileName)}",
                DatabaseProvider.Postgres => throw new InvalidOperationException(
                    $"Database provider Postgres needs a connection string: set 'ConnectionStrings:{ConnectionStringName}' " +
                    $"(environment variable ConnectionStrings__{ConnectionStringName})."),
            };
        }

        return new StorageSettings(provider, dataDirectory, connectionString) { KeyFile = configuration[Encryption.ArchiveKeys.KeyFileSetting] };
    }
}
