using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Search;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>export --hold &lt;id&gt;|--search "&lt;query&gt;" [filters]|--conversation &lt;id&gt; --format pdf|zip|zip+pdf --out &lt;file&gt; [--bates-prefix P] [--bates-start N] [--time-zone Z] [--json]</c>:
/// a court-ready transcript or the e-discovery package of a legal hold, of every message a search finds, or of a
/// conversation, audited like a production from the portal. The file is written beside its final name and moved there only when complete.
/// </summary>
internal sealed class ExportCommand : ICliCommand
{
    public string Verb => "export";
    public string Summary => "Produce a legal hold's, a search's or a conversation's transcript (PDF with Bates numbers) or e-discovery package (ZIP: JSON, CSV, RSMF, manifest).";
    public string Usage => "export --hold <id>|--search \"<query>\" [--from <date>] [--to <date>] [--participant <p>] [--sender <s>] [--custodian <email>]|--conversation <id> "
        + "--format pdf|zip|zip+pdf --out <file> [--bates-prefix P] [--bates-start N] [--time-zone <IANA>] [--json]";
    public IReadOnlyList<string> ValueOptions { get; } =
        ["hold", "search", "conversation", "from", "to", "participant", "sender", "custodian", "format", "out", "bates-prefix", "bates-start", "time-zone"];
    public IReadOnlyList<string> Flags { get; } = [];

    public async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var args = context.Arguments;
        var filters = new[] { "from", "to", "participant", "sender", "custodian" }.Where(f => args.Value(f) is not null).ToList();
        ExportSource source = (args.Value("hold"), args.Value("search"), args.Value("conversation")) switch
        {
            ({ } hold, null, null) => new ExportSource.LegalHold(Id("hold", hold)),
            (null, { } query, null) => new ExportSource.Search(new MessageSearchCriteria
            {
                Text = string.IsNullOrWhiteSpace(query) ? null : query,
                From = args.Value("from") is { } from ? SearchCommand.ParseDate("from", from, endOfDay: false) : null,
                Until = args.Value("to") is { } to ? SearchCommand.ParseDate("to", to, endOfDay: true) : null,
                Participant = args.Value("participant"),
                Sender = args.Value("sender"),
                Custodian = args.Value("custodian"),
            }),
            (null, null, { } conversation) => new ExportSource.Conversation(Id("conversation", conversation)),
            _ => throw new CliUsageException("name one of --hold <id>, --search \"<query>\" or --conversation <id>"),
        };
        if (filters.Count > 0 && source is not ExportSource.Search)
        {
            throw new CliUsageException($"--{filters[0]} filters a search: use it with --search");
        }

        var name = args.Value("format") ?? throw new CliUsageException("--format is required: pdf, zip or zip+pdf");
        var format = ExportFormats.Parse(name) ?? throw new CliUsageException($"--format is '{name}'; expected pdf (the transcript), zip (the e-discovery package) or zip+pdf (the package carrying the transcript)");

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
                outcome = await context.Get<ExportService>().WriteAsync(source, format, settings, file, AuditActor.CommandLine, ct: ct);
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
                format = format.Name(),
                sha256 = outcome.Sha256,
                manifestSha256 = outcome.Package?.ManifestSha256,
                files = outcome.Package?.Files,
                signed = outcome.Package?.Signed,
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
            await context.Out.WriteLineAsync(outcome.Package is { } package
                ? $"{full}: e-discovery package, {package.Files:N0} files, {outcome.Scope.Sections.Count} conversation(s), {outcome.Scope.Messages:N0} messages"
                  + (outcome.Pages is { } pages ? $", transcript of {pages:N0} pages" : "")
                : $"{full}: {outcome.Pages:N0} pages, {outcome.Scope.Sections.Count} conversation(s), {outcome.Scope.Messages:N0} messages");
            if (outcome.FirstBates is not null)
            {
                await context.Out.WriteLineAsync($"Bates {outcome.FirstBates} to {outcome.LastBates}");
            }

            if (outcome.Package is { } written)
            {
                await context.Out.WriteLineAsync($"Manifest SHA-256 {written.ManifestSha256}{(written.Signed ? " (signed)" : "")}");
            }

            await context.Out.WriteLineAsync($"SHA-256 {outcome.Sha256}");
        }

        return 0;
    }

    private static long Id(string option, string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw new CliUsageException($"--{option} is '{text}'; expected an id");
}
