using ComplianceHub.Core;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// Runs a verb (<c>dotnet ComplianceHub.Web.dll &lt;verb&gt; [options]</c>) on the same configuration as the
/// web host: appsettings, environment variables and <c>--data-dir</c>/<c>--provider</c>/<c>--connection-string</c>.
/// Exit codes: 0 ok, 1 failure, 2 bad arguments (one line on stderr).
/// </summary>
internal static class CliDispatcher
{
    private static readonly ICliCommand[] Commands =
    [
        new CreateAdminCommand(),
        new VerifyCommand(),
        new SeedDemoCommand(),
        new ImportCommand(),
        new SearchCommand(),
        new ExportCommand(),
        new VerifyExportCommand(),
        new RosterCommand(),
        new PoliciesCommand(),
        new TrainingCommand(),
        new CheckpointCommand(),
        new KeysCommand(),
        new BackupCommand(),
        new RestoreCommand(),
        new RetentionCommand(),
        new BenchCommand(),
    ];

    /// <summary>True when <paramref name="args"/> starts with a verb; everything else goes to the web host.</summary>
    public static bool IsVerb(string[] args) =>
        args.Length > 0 && (args[0] is "help" or "--help" || Commands.Any(c => c.Verb == args[0]));

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        if (args[0] is "help" or "--help")
        {
            await PrintHelpAsync(stdout);
            return 0;
        }

        var command = Commands.Single(c => c.Verb == args[0]);

        // Verbs are batch jobs: no background GC competing for the machine's cores (the web host keeps it).
        System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Batch;
        try
        {
            var arguments = CliArguments.Parse(args[1..], command.ValueOptions, command.Flags, command.MaxPositionals);
            using var host = BuildHost(arguments);
            if (command.NeedsDatabase(arguments))
            {
                await host.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
            }

            return await command.RunAsync(new CliContext(arguments, host.Services, stdout, stderr), ct);
        }
        catch (CliUsageException ex)
        {
            await stderr.WriteLineAsync($"{command.Verb}: {ex.Message}. Usage: {command.Usage}");
            return 2;
        }
        catch (ComplianceRuleException ex)
        {
            await stderr.WriteLineAsync($"{command.Verb}: {ex.Message}");
            return 1;
        }
    }

    private static IHost BuildHost(CliArguments arguments)
    {
        var environment = arguments.Value("environment")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environments.Production;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = typeof(CliDispatcher).Assembly.GetName().Name,
            ContentRootPath = Directory.GetCurrentDirectory(),
            EnvironmentName = environment,
            Args = [],
        });
        builder.Configuration.AddInMemoryCollection(arguments.ConfigurationOverrides());
        StorageSettings storage;
        try
        {
            storage = StorageSettings.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath);
        }
        catch (InvalidOperationException ex)
        {
            // Unknown provider or a missing connection string is a usage problem, reported on one line.
            throw new CliUsageException(ex.Message.TrimEnd('.'));
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Error);
        builder.Services.AddComplianceHubCore(storage);
        return builder.Build();
    }

    private static async Task PrintHelpAsync(TextWriter stdout)
    {
        await stdout.WriteLineAsync("ComplianceHub command line. Usage: dotnet ComplianceHub.Web.dll <verb> [options]");
        await stdout.WriteLineAsync();
        foreach (var command in Commands)
        {
            await stdout.WriteLineAsync($"  {command.Verb,-14}{command.Summary}");
            await stdout.WriteLineAsync($"  {"",-14}{command.Usage}");
        }

        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync("Common options: --data-dir <dir>  --provider Sqlite|Postgres  --connection-string <cs>  --key-file <file>  --environment <name>  --json");
    }
}
