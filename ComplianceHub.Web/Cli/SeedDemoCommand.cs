using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;

namespace ComplianceHub.Web.Cli;

/// <summary><c>seed-demo</c>: adds whatever demo data is missing (idempotent).</summary>
internal sealed class SeedDemoCommand : ICliCommand
{
    public string Verb => "seed-demo";
    public string Summary => "Add the demo accounts and demo content (idempotent).";
    public string Usage => "seed-demo [--json]";
    public IReadOnlyList<string> ValueOptions { get; } = [];
    public IReadOnlyList<string> Flags { get; } = [];

    public async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var result = await context.Get<DemoDataSeeder>().SeedAsync(AuditActor.CommandLine, ct);
        if (context.Arguments.Json)
        {
            await context.WriteJsonAsync(new
            {
                createdAccounts = result.CreatedAccounts,
                existingAccounts = result.ExistingAccounts,
                importedExports = result.ImportedExports,
                password = DemoAccounts.Password,
            });
        }
        else
        {
            await context.Out.WriteLineAsync(result.CreatedAccounts.Count == 0
                ? $"Demo data already present ({result.ExistingAccounts} demo account(s))."
                : $"Created {result.CreatedAccounts.Count} demo account(s): {string.Join(", ", result.CreatedAccounts)}. Password: {DemoAccounts.Password}");
            if (result.ImportedExports.Count > 0)
            {
                await context.Out.WriteLineAsync($"Imported {result.ImportedExports.Count} demo export(s): {string.Join(", ", result.ImportedExports)}.");
            }
        }

        return 0;
    }
}
