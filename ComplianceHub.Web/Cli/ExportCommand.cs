using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Exports;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>export --hold &lt;id&gt;|--conversation &lt;id&gt; --format pdf --out &lt;file&gt; [--bates-prefix P] [--bates-start N] [--time-zone Z] [--json]</c>:
/// a court-ready transcript of a legal hold or a conversation, audited like a production from the portal. The file
/// is written beside its final name and moved there only when complete.
/// </summary>
internal sealed class ExportCommand : ICliCommand
{
    public string Verb => "export";
    public string Summary => "Produce a legal hold's or a conversation's court-ready transcript (PDF with Bates numbers).";
    public string Usage => "export --hold <id>|--conversation <id> --format pdf --out <file> [--bates-prefix P] [--bates-start N] [--time-zone <IANA>] [--json]";
    public IReadOnlyList<string> ValueOptions { get; } = ["hold", "conversation", "format", "out", "bates-prefix", "bates-start", "time-zone"];
    public IReadOnlyList<string> Flags { get; } = [];

    public async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var args = context.Arguments;
        ExportSource source = (args.Value("hold"), args.Value("conversation")) switch
        {
            ({ } hold, null) => new ExportSource.LegalHold(Id("hold", hold)),
            (null, { } conversation) => new ExportSource.Conversation(Id("conversation", conversation)),
            _ => throw new CliUsageException("name one of --hold <id> or --conversation <id>"),
        };
        var format = args.Value("format") ?? throw new CliUsageException("--format is required: pdf");
        if (format != "pdf")
        {
            throw new CliUsageException($"--format is '{format}'; expected pdf");
        }

        var output = args.Value("out") ?? throw new CliUsageException("--out <file> is required");
        var batesStart = 1L;
        if (args.Value("bates-start") is { } start && !long.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out batesStart))
        {
            throw new CliUsageException($"--bates-start is '{start}'; expected a whole number");
        }

        var settings = new ExportSettings(args.Value("time-zone") ?? "UTC", args.Value("bates-prefix"), batesStart);
        var full = Path.GetFullPath(output);
        var partial = full + ".partial";
        ExportOutcome outcome;
        try
        {
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                outcome = await context.Get<ExportService>().WritePdfAsync(source, settings, file, AuditActor.CommandLine, ct: ct);
            }

            File.Move(partial, full, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        if (args.Json)
        {
            await context.WriteJsonAsync(new
            {
                file = full,
                sha256 = outcome.Sha256,
                bytes = outcome.Length,
                pages = outcome.Pages,
                batesFirst = outcome.FirstBates,
                batesLast = outcome.LastBates,
                conversations = outcome.Scope.Sections.Count,
                messages = outcome.Scope.Messages,
            });
        }
        else
        {
            await context.Out.WriteLineAsync($"{full}: {outcome.Pages:N0} pages, {outcome.Scope.Sections.Count} conversation(s), {outcome.Scope.Messages:N0} messages");
            if (outcome.FirstBates is not null)
            {
                await context.Out.WriteLineAsync($"Bates {outcome.FirstBates} to {outcome.LastBates}");
            }

            await context.Out.WriteLineAsync($"SHA-256 {outcome.Sha256}");
        }

        return 0;
    }

    private static long Id(string option, string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw new CliUsageException($"--{option} is '{text}'; expected an id");
}
