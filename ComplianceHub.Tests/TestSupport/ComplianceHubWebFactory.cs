using ComplianceHub.Core.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Tests.TestSupport;

/// <summary>
/// The real web app (Program) on a fresh SQLite data directory, with demo accounts seeded. Serves
/// in-memory for endpoint tests, or on Kestrel (<see cref="StartKestrel"/>) for the browser.
/// <paramref name="services"/> replaces services after the app's own (a fake clock), for what real time cannot test.
/// </summary>
public sealed class ComplianceHubWebFactory(
    string environment = "Development", IReadOnlyDictionary<string, string?>? settings = null, string? dataDirectory = null,
    Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = dataDirectory ?? Path.Combine(Path.GetTempPath(), "compliancehub-tests", "web-" + Guid.NewGuid().ToString("N"));

    /// <summary>Base address on loopback, with "localhost" rather than 127.0.0.1 (stack-notes 2.6).</summary>
    public string BaseUrl { get; private set; } = "";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting(StorageSettings.DataDirectoryKey, DataDirectory);
        builder.UseSetting(StorageSettings.ProviderKey, "Sqlite");
        builder.UseSetting("ComplianceHub:SeedDemoData", "true");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    public void StartKestrel()
    {
        UseKestrel(0);
        StartServer();
        BaseUrl = ClientOptions.BaseAddress.ToString().Replace("127.0.0.1", "localhost", StringComparison.Ordinal).TrimEnd('/');
    }

    public async Task<ComplianceHubDbContext> CreateDbContextAsync() =>
        await Services.GetRequiredService<IDbContextFactory<ComplianceHubDbContext>>().CreateDbContextAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestHost.TryDeleteDirectory(DataDirectory);
        TestHost.TryDeleteDirectory(DataDirectory + "-checkpoints");
        TestHost.TryDeleteDirectory(DataDirectory + "-keys");
    }
}
