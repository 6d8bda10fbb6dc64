using ComplianceHub.Core.Training;

namespace ComplianceHub.Web.Cli;

/// <summary><c>training report [--json]</c>: each course assigned, with how many are asked, have completed it, are late, and whose completion expires within 30 days.</summary>
internal sealed class TrainingCommand : ICliCommand
{
    public string Verb => "training";
    public string Summary => "Report each assigned course: assigned, completed, overdue, and completions expiring within 30 days.";
    public string Usage => "training report [--json]";
    public IReadOnlyList<string> ValueOptions { get; } = [];
    public IReadOnlyList<string> Flags { get; } = [];
    public int MaxPositionals => 1;

    public async Task<int> RunAsync(CliContext context, CancellationToken ct) => context.Arguments.Positionals switch
    {
        ["report"] => await ReportAsync(context, ct),
        [] => throw new CliUsageException("name the action: report"),
        [var action, ..] => throw new CliUsageException($"unknown action '{action}'; available: report"),
    };

    private static async Task<int> ReportAsync(CliContext context, CancellationToken ct)
    {
        var courses = await context.Get<TrainingReport>().CoursesAsync(ct);
        if (context.Arguments.Json)
        {
            await context.WriteJsonAsync(new
            {
                courses = courses.Select(c => new
                {
                    title = c.Title,
                    assigned = c.Assigned,
                    completed = c.Completed,
                    overdue = c.Overdue,
                    expiringWithin30Days = c.Expiring30,
                }),
            });
        }
        else if (courses.Count == 0)
        {
            await context.Out.WriteLineAsync("No course is assigned.");
        }
        else
        {
            foreach (var c in courses)
            {
                await context.Out.WriteLineAsync(
                    $"{c.Title}: {c.Completed} of {c.Assigned} completed, {c.Overdue} overdue, {c.Expiring30} expiring within 30 days");
            }
        }

        return 0;
    }
}
