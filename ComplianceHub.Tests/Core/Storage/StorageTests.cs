using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Postgres;
using ComplianceHub.Core.Storage.Sqlite;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace ComplianceHub.Tests.Core.Storage;

public sealed class StorageTests
{
    [Fact]
    public void Model_HasNoPendingChanges_Sqlite()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        db.Database.HasPendingModelChanges().ShouldBeFalse("run the migrations-add command for SqliteComplianceHubDbContext");
    }

    [Fact]
    public void Model_HasNoPendingChanges_Postgres()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        db.Database.HasPendingModelChanges().ShouldBeFalse("run the migrations-add command for PostgresComplianceHubDbContext");
    }

    [Fact]
    public async Task Initialize_Sqlite_CreatesTheFileInWalModeWithEveryRole()
    {
        await using var host = await TestHost.StartAsync(DatabaseProvider.Sqlite);

        File.Exists(Path.Combine(host.DataDirectory, StorageSettings.SqliteFileName)).ShouldBeTrue();
        await using var db = await host.CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        (await command.ExecuteScalarAsync(TestContext.Current.CancellationToken)).ShouldBe("wal");
        (await db.Roles.Select(r => r.Name).OrderBy(n => n).ToListAsync(TestContext.Current.CancellationToken))
            .ShouldBe(["Administrator", "Auditor", "ComplianceOfficer", "Employee", "HrManager"]);
    }

    [Fact]
    public async Task Initialize_Postgres_AppliesMigrationsWithEveryRole()
    {
        await using var host = await TestHost.StartAsync(DatabaseProvider.Postgres);

        await using var db = await host.CreateDbContextAsync();
        (await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();
        (await db.Roles.CountAsync(TestContext.Current.CancellationToken)).ShouldBe(5);
    }

    [Fact]
    public async Task Initialize_RunTwice_IsIdempotent()
    {
        await using var host = await TestHost.StartAsync(DatabaseProvider.Sqlite);

        await host.Get<DatabaseInitializer>().InitializeAsync(TestContext.Current.CancellationToken);

        await using var db = await host.CreateDbContextAsync();
        (await db.Roles.CountAsync(TestContext.Current.CancellationToken)).ShouldBe(5);
    }

    [Fact]
    public void Settings_Defaults_SqliteUnderContentRoot()
    {
        var settings = StorageSettings.FromConfiguration(new ConfigurationBuilder().Build(), "/srv/app");

        settings.Provider.ShouldBe(DatabaseProvider.Sqlite);
        settings.DataDirectory.ShouldBe(Path.Combine("/srv/app", "App_Data"));
        settings.ConnectionString.ShouldBe($"Data Source={Path.Combine("/srv/app", "App_Data", "compliancehub.db")}");
        settings.BlobDirectory.ShouldBe(Path.Combine("/srv/app", "App_Data", "blobs"));
    }

    [Fact]
    public void Settings_RelativeDataDirectory_ResolvesAgainstContentRoot()
    {
        var configuration = Config(("ComplianceHub:DataDirectory", "data/archive"), ("Database:Provider", "sqlite"));

        StorageSettings.FromConfiguration(configuration, "/srv/app").DataDirectory.ShouldBe("/srv/app/data/archive");
    }

    [Fact]
    public void Settings_UnknownProvider_NamesTheKeyAndTheChoices()
    {
        var ex = Should.Throw<InvalidOperationException>(() =>
            StorageSettings.FromConfiguration(Config(("Database:Provider", "Oracle")), "/srv/app"));

        ex.Message.ShouldContain("Database:Provider");
        ex.Message.ShouldContain("'Sqlite' or 'Postgres'");
    }

    [Fact]
    public void Settings_PostgresWithoutConnectionString_SaysWhichVariableToSet()
    {
        var ex = Should.Throw<InvalidOperationException>(() =>
            StorageSettings.FromConfiguration(Config(("Database:Provider", "Postgres")), "/srv/app"));

        ex.Message.ShouldContain("ConnectionStrings__ComplianceHub");
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
