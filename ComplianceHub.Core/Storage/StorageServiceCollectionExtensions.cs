using ComplianceHub.Core.Storage.Backup;
using ComplianceHub.Core.Storage.Blobs;
using ComplianceHub.Core.Storage.Encryption;
using ComplianceHub.Core.Storage.Postgres;
using ComplianceHub.Core.Storage.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the provider chosen by <paramref name="settings"/> as
    /// <c>IDbContextFactory&lt;ComplianceHubDbContext&gt;</c> (one context per operation) and as a scoped
    /// <see cref="ComplianceHubDbContext"/> for Identity's EF stores, plus the blob store.
    /// </summary>
    public static IServiceCollection AddComplianceHubStorage(this IServiceCollection services, StorageSettings settings)
    {
        services.AddSingleton(settings);
        switch (settings.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContextFactory<SqliteComplianceHubDbContext>((sp, o) =>
                {
                    ConfigureSqlite(o, settings.ConnectionString);
                    if (sp.GetService<BackgroundCheckpointing>() is not null)
                    {
                        o.AddInterceptors(new NoAutoCheckpointInterceptor());
                    }
                });
                services.AddSingleton<IDbContextFactory<ComplianceHubDbContext>>(sp =>
                    new DerivedContextFactory<SqliteComplianceHubDbContext>(
                        sp.GetRequiredService<IDbContextFactory<SqliteComplianceHubDbContext>>()));
                break;
            case DatabaseProvider.Postgres:
                services.AddDbContextFactory<PostgresComplianceHubDbContext>(o => ConfigurePostgres(o, settings.ConnectionString));
                services.AddSingleton<IDbContextFactory<ComplianceHubDbContext>>(sp =>
                    new DerivedContextFactory<PostgresComplianceHubDbContext>(
                        sp.GetRequiredService<IDbContextFactory<PostgresComplianceHubDbContext>>()));
                break;
        }

        services.AddScoped<ComplianceHubDbContext>(sp =>
            sp.GetRequiredService<IDbContextFactory<ComplianceHubDbContext>>().CreateDbContext());
        services.AddSingleton(_ => ArchiveKeys.LoadOrCreate(ArchiveKeys.ResolvePath(settings, settings.KeyFile)));
        services.AddSingleton<IBlobStore>(sp => new FileSystemBlobStore(settings.BlobDirectory, sp.GetRequiredService<ArchiveKeys>(), sp.GetService<TimeProvider>()));
        services.AddSingleton(sp => new ArchiveBackup(settings, sp.GetRequiredService<IBlobStore>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton<WalCheckpoints>();
        services.AddSingleton<WriteTurns>();
        return services;
    }

    /// <summary>
    /// For a long-running host: SQLite connections stop checkpointing at commit, and the host must run
    /// <see cref="WalCheckpoints.CheckpointAsync"/> periodically (see <see cref="WalCheckpoints"/>).
    /// </summary>
    public static IServiceCollection AddBackgroundWalCheckpoints(this IServiceCollection services) =>
        services.AddSingleton<BackgroundCheckpointing>();

    internal static void ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable("__EFMigrationsHistory"));

    internal static void ConfigurePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString);

    /// <summary>Marks a host that checkpoints in the background.</summary>
    internal sealed class BackgroundCheckpointing;

    private sealed class DerivedContextFactory<TContext>(IDbContextFactory<TContext> inner)
        : IDbContextFactory<ComplianceHubDbContext>
        where TContext : ComplianceHubDbContext
    {
        public ComplianceHubDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<ComplianceHubDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}
