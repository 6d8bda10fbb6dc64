using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Roster;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>roster import &lt;csv&gt; [--dry-run] [--json]</c>: checks a roster CSV (the template's header,
/// one row per number) and stores it only when every row is valid; exit 1 naming each problem's row and
/// column. <c>roster import-participants &lt;csv&gt; [--dry-run] [--json]</c>: the same for official
/// groups' participants. <c>roster export</c>: the roster in the import format, on standard output.
/// <c>roster alerts [--json]</c>: checks the archive against the roster, then lists the open alerts.
/// </summary>
internal sealed class RosterCommand : ICliCommand
{
    public string Verb => "roster";
    public string Summary => "Onboard employees and their WhatsApp numbers, or official groups' participants, from CSV (all or nothing); export the roster as CSV; list the roster's open alerts.";
    public string Usage => "roster import <csv> [--dry-run] [--json] | roster import-participants <csv> [--dry-run] [--json] | roster export | roster alerts [--json]";
    public IReadOnlyList<string> ValueOptions { get; } = [];
    public IReadOnlyList<string> Flags { get; } = ["dry-run"];
    public int MaxPositionals => 2;

    public async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var args = context.Arguments;
        var roster = context.Get<RosterImportService>();
        switch (args.Positionals)
        {
            case ["export"]:
                await context.Out.WriteAsync(await roster.ExportCsvAsync(AuditActor.CommandLine, ct));
                return 0;
            case ["alerts"]:
                return await AlertsAsync(context, ct);
            case ["import"]:
                throw new CliUsageException("give the CSV file to import");
            case ["import", var path]:
                return await ImportAsync(context, roster, path, ct);
            case ["import-participants"]:
                throw new CliUsageException("give the CSV file of participants to import");
            case ["import-participants", var path]:
                return await ImportParticipantsAsync(context, path, ct);
            default:
                throw new CliUsageException(args.Positionals.Count == 0
                    ? "name the action: import, import-participants, export or alerts"
                    : $"unknown action '{args.Positionals[0]}'; available: import, import-participants, export, alerts");
        }
    }

    /// <summary>Suspends lapsed authorizations and checks the archive against the roster now, then lists every alert not yet acknowledged.</summary>
    private static async Task<int> AlertsAsync(CliContext context, CancellationToken ct)
    {
        var monitor = context.Get<RosterMonitor>();
        await context.Get<RosterService>().ApplyLapsesAsync(ct);
        await monitor.ScanAsync(ct);
        var alerts = await monitor.ListAsync(ct: ct);
        if (context.Arguments.Json)
        {
            await context.WriteJsonAsync(new
            {
                alerts = alerts.Select(a => new { kind = RosterAlert.KindCode(a.Kind), phone = a.Phone, conversationId = a.ConversationId, detail = a.Detail }),
            });
        }
        else
        {
            foreach (var alert in alerts)
            {
                await context.Out.WriteLineAsync($"{RosterAlert.KindCode(alert.Kind),-15} {alert.Phone,-16} {(alert.ConversationId is { } c ? $"conversation {c}" : ""),-18} {alert.Detail}");
            }

            await context.Out.WriteLineAsync($"{alerts.Count} open alert(s)");
        }

        return 0;
    }

    private static Task<int> ImportAsync(CliContext context, RosterImportService roster, string path, CancellationToken ct) =>
        ImportFileAsync(context, path, (file, name, dryRun) => roster.ImportAsync(file, name, dryRun, AuditActor.CommandLine, ct), result => new ImportReport(
            result.Rows, result.Errors, result.Stored, result.Summary, result.Blocked.Select(b => $"row {b.Row}: {b.Phone} not activated: {b.Reason}"),
            new { rows = result.Rows, people = result.People, numbers = result.Numbers, errors = Json(result.Errors) }));

    private static Task<int> ImportParticipantsAsync(CliContext context, string path, CancellationToken ct) =>
        ImportFileAsync(context, path, (file, name, dryRun) => context.Get<GroupParticipantImportService>().ImportAsync(file, name, dryRun, AuditActor.CommandLine, ct),
            result => new ImportReport(result.Rows, result.Errors, result.Stored, result.Summary, [],
                new { rows = result.Rows, groups = result.Groups, participants = result.Participants, contacts = result.Contacts, errors = Json(result.Errors) }));

    /// <summary>What an import said, for <see cref="ImportFileAsync{T}"/>: its counts and problems, notes on stored rows, and its JSON form.</summary>
    private sealed record ImportReport(int Rows, IReadOnlyList<RosterImportError> Errors, bool Stored, string Summary, IEnumerable<string> Notes, object Json);

    private static IEnumerable<object> Json(IReadOnlyList<RosterImportError> errors) => errors.Select(e => new { row = e.Row, column = e.Column, reason = e.Reason });

    /// <summary>Runs a roster CSV import (a dry run with <c>--dry-run</c>) and reports it; exit 1 naming the file when any row is wrong.</summary>
    private static async Task<int> ImportFileAsync<T>(CliContext context, string path, Func<Stream, string, bool, Task<T>> run, Func<T, ImportReport> report)
    {
        if (!File.Exists(path))
        {
            throw new CliUsageException($"'{path}' does not exist");
        }

        ImportReport result;
        await using (var file = File.OpenRead(path))
        {
            result = report(await run(file, Path.GetFileName(path), context.Arguments.HasFlag("dry-run")));
        }

        if (context.Arguments.Json)
        {
            await context.WriteJsonAsync(result.Json);
        }
        else
        {
            foreach (var error in result.Errors)
            {
                await context.Out.WriteLineAsync($"row {error.Row}, {error.Column}: {error.Reason}");
            }

            foreach (var note in result.Notes)
            {
                await context.Out.WriteLineAsync(note);
            }

            await context.Out.WriteLineAsync(result.Errors.Count > 0
                ? $"{result.Errors.Count} problem(s) in {result.Rows} row(s); nothing stored."
                : $"{result.Summary}{(result.Stored ? " stored." : "; dry run, nothing stored.")}");
        }

        if (result.Errors.Count > 0)
        {
            await context.Error.WriteLineAsync($"roster: {result.Errors.Count} problem(s) in {Path.GetFileName(path)}; nothing stored");
            return 1;
        }

        return 0;
    }
}
