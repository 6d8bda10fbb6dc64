using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Encryption;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Migrates the database (and seeds demo data where configured) before the web server accepts its
/// first request: <see cref="IHostedLifecycleService.StartingAsync"/> runs ahead of every hosted
/// service's start, the server's included. The archive key file is read first (created when it is the default and
/// missing): a missing, malformed or too widely readable one stops start-up with the reason.
/// </summary>
internal sealed class DatabaseStartup(
    DatabaseInitializer initializer, DemoDataSeeder demo, IConfiguration configuration, ILogger<DatabaseStartup> logger, IServiceProvider services)
    : IHostedLifecycleService
{
    public const string SeedDemoDataKey = "ComplianceHub:SeedDemoData";

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<ArchiveKeys>();
        await initializer.InitializeAsync(cancellationToken);
        if (configuration.GetValue<bool>(SeedDemoDataKey))
        {
            var result = await demo.SeedAsync(AuditActor.System, cancellationToken);
            if (result.CreatedAccounts.Count > 0)
            {
                logger.LogInformation("Seeded {Count} demo account(s)", result.CreatedAccounts.Count);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
