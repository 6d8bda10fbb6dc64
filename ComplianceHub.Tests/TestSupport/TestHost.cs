using ComplianceHub.Core;
using ComplianceHub.Core.Search;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ComplianceHub.Tests.TestSupport;

/// <summary>
/// Core services on a fresh, migrated database of one provider: a SQLite file in a temporary data
/// directory, or a new database on the test PostgreSQL server. Real storage, no mocks.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string? _postgresDatabase;
    private bool _keepDirectory;

    private TestHost(ServiceProvider services, string dataDirectory, string? postgresDatabase, FakeTimeProvider clock)
    {
        _services = services;
        DataDirectory = dataDirectory;
        _postgresDatabase = postgresDatabase;
        Clock = clock;
    }

    public IServiceProvider Services => _services;
    public string DataDirectory { get; }
    public FakeTimeProvider Clock { get; }
    public StorageSettings Storage => Get<StorageSettings>();
    public DatabaseProvider Provider => Storage.Provider;

    /// <summary>
    /// Starts on <paramref name="provider"/> with optional configuration; <paramref name="dataDirectory"/> is kept afterwards when
    /// given (another host starts on it); <paramref name="extraServices"/> plugs in extensions (such as a roster prerequisite).
    /// </summary>
    public static async Task<TestHost> StartAsync(
        DatabaseProvider provider, IReadOnlyDictionary<string, string?>? extraSettings = null, string? dataDirectory = null,
        Action<IServiceCollection>? extraServices = null)
    {
        var keepDirectory = dataDirectory is not null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "compliancehub-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var settings = new Dictionary<string, string?>
        {
            [StorageSettings.DataDirectoryKey] = dataDirectory,
            [StorageSettings.ProviderKey] = provider.ToString(),
        };

        string? database = null;
        if (provider == DatabaseProvider.Postgres)
        {
            var admin = PostgresServer.RequireAdminConnectionString();
            database = $"ch_test_{Guid.NewGuid():N}";
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                await create.ExecuteNonQueryAsync();
            }

            settings[$"ConnectionStrings:{StorageSettings.ConnectionStringName}"] =
                new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
        }

        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<IConfiguration>(configuration);
        services.AddComplianceHubCore(StorageSettings.FromConfiguration(configuration, dataDirectory));
        extraServices?.Invoke(services);
        var serviceProvider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        await serviceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return new TestHost(serviceProvider, dataDirectory, database, clock) { _keepDirectory = keepDirectory };
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public Task<ComplianceHubDbContext> CreateDbContextAsync() =>
        Get<IDbContextFactory<ComplianceHubDbContext>>().CreateDbContextAsync();

    /// <summary>Every hit of a full-text search over the archive, newest first.</summary>
    public async Task<IReadOnlyList<MessageSearchHit>> SearchAsync(string text)
    {
        var page = await Get<MessageSearchService>().SearchAsync(new MessageSearchCriteria { Text = text }, AuditActor.System, MessageSearchService.MaxPageSize);
        return page.Hits;
    }

    /// <summary>
    /// Onboards roster <paramref name="rows"/> (CSV lines under the template's header, each ending in a
    /// line break) as <paramref name="actor"/>, failing the test on any problem in them.
    /// </summary>
    public async Task OnboardAsync(string rows, AuditActor? actor = null)
    {
        var csv = ComplianceHub.Core.Roster.RosterImportService.Template + "\n" + rows;
        var result = await Get<ComplianceHub.Core.Roster.RosterImportService>().ImportAsync(
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "roster.csv", dryRun: false, actor ?? AuditActor.System);
        result.Errors.ShouldBeEmpty();
    }

    /// <summary>Runs raw SQL, as someone with direct access to the database would.</summary>
    public async Task<int> ExecuteSqlAsync(string sql)
    {
        await using var db = await CreateDbContextAsync();
        return await db.Database.ExecuteSqlRawAsync(sql);
    }

    /// <summary>Removes the database-level append-only guard, as an attacker with direct access could.</summary>
    public Task DropAuditAppendOnlyTriggersAsync() => ExecuteSqlAsync(Provider switch
    {
        DatabaseProvider.Sqlite => "DROP TRIGGER AuditEvents_NoUpdate; DROP TRIGGER AuditEvents_NoDelete;",
        DatabaseProvider.Postgres => "ALTER TABLE \"AuditEvents\" DISABLE TRIGGER USER;",
    });

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_postgresDatabase is not null && PostgresServer.AdminConnectionString is { } admin)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_keepDirectory)
        {
            TryDeleteDirectory(DataDirectory);
            TryDeleteDirectory(DataDirectory + "-checkpoints");
            TryDeleteDirectory(DataDirectory + "-keys");
        }
    }

    internal static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held open only leaves a temporary folder behind.
        }
    }
}
