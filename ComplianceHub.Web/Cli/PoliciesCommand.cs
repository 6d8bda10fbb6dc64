using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Policies;
using ComplianceHub.Core.Roster;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>policies publish &lt;file.md&gt; --title &lt;t&gt; [--audience everyone|department:&lt;d&gt;|role:&lt;r&gt;] [--due-days N] [--material] [--summary S]</c>:
/// publishes a policy kept in a repository (a new document, or the next version of the one with that title).
/// <c>policies report [--json]</c>: each policy in force with its signatures, outstanding and overdue.
/// </summary>
internal sealed class PoliciesCommand : ICliCommand
{
    public string Verb => "policies";
    public string Summary => "Publish a messaging policy from a Markdown file (a new version when the title exists), or report who has signed each policy in force.";
    public string Usage => "policies publish <file.md> --title <t> [--audience everyone|department:<d>|role:<r>] [--due-days N] [--material] [--summary <s>] | policies report [--json]";
    public IReadOnlyList<string> ValueOptions { get; } = ["title", "audience", "due-days", "summary"];
    public IReadOnlyList<string> Flags { get; } = ["material"];
    public int MaxPositionals => 2;

    public async Task<int> RunAsync(CliContext context, CancellationToken ct) => context.Arguments.Positionals switch
    {
        ["publish"] => throw new CliUsageException("give the Markdown file to publish"),
        ["publish", var path] => await PublishAsync(context, path, ct),
        ["report"] => await ReportAsync(context, ct),
        [] => throw new CliUsageException("name the action: publish or report"),
        [var action, ..] => throw new CliUsageException($"unknown action '{action}'; available: publish, report"),
    };

    private static async Task<int> PublishAsync(CliContext context, string path, CancellationToken ct)
    {
        var args = context.Arguments;
        var title = args.Value("title") ?? throw new CliUsageException("--title is required");
        var audience = ParseAudience(args.Value("audience") ?? "everyone");
        var dueDays = 14;
        if (args.Value("due-days") is { } due && !int.TryParse(due, NumberStyles.None, CultureInfo.InvariantCulture, out dueDays))
        {
            throw new CliUsageException($"--due-days is '{due}'; expected a whole number");
        }

        if (!File.Exists(path))
        {
            throw new CliUsageException($"there is no file '{path}'");
        }

        var draft = new PolicyDraft(await File.ReadAllTextAsync(path, ct), audience, dueDays);
        var policies = context.Get<PolicyService>();
        var documentId = await policies.FindAsync(title, ct) is { } existing
            ? await SaveAsync(policies, existing, draft, ct)
            : await policies.CreateAsync(title, draft, AuditActor.CommandLine, ct);
        var version = await policies.PublishAsync(documentId, args.Value("summary"), args.HasFlag("material"), AuditActor.CommandLine, ct);
        if (args.Json)
        {
            await context.WriteJsonAsync(new { title, version = version.Number, contentSha256 = version.ContentSha256, material = version.IsMaterial, audience = audience.Describe() });
        }
        else
        {
            await context.Out.WriteLineAsync($"Published \"{title}\" version {version.Number} ({(version.IsMaterial ? "material: everyone signs again" : "not material")}) to {audience.Describe()}, due in {dueDays} day(s); SHA-256 {version.ContentSha256}");
        }

        return 0;
    }

    private static async Task<long> SaveAsync(PolicyService policies, long documentId, PolicyDraft draft, CancellationToken ct)
    {
        await policies.SaveDraftAsync(documentId, draft, AuditActor.CommandLine, ct);
        return documentId;
    }

    private static async Task<int> ReportAsync(CliContext context, CancellationToken ct)
    {
        var standings = await context.Get<PolicyReport>().StandingsAsync(ct);
        if (context.Arguments.Json)
        {
            await context.WriteJsonAsync(new
            {
                policies = standings.Select(s => new
                {
                    title = s.Title,
                    version = s.Version,
                    publishedOn = s.PublishedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    contentSha256 = s.ContentSha256,
                    audience = s.Audience,
                    acknowledged = s.Acknowledged,
                    outstanding = s.Outstanding,
                    overdue = s.Overdue,
                }),
            });
        }
        else if (standings.Count == 0)
        {
            await context.Out.WriteLineAsync("No policy is in force.");
        }
        else
        {
            foreach (var s in standings)
            {
                await context.Out.WriteLineAsync(
                    $"{s.Title} v{s.Version} (published {s.PublishedAt.UtcDateTime:yyyy-MM-dd}, {s.Audience}): {s.Acknowledged} signed, {s.Outstanding} outstanding, {s.Overdue} overdue");
            }
        }

        return 0;
    }

    private static Audience ParseAudience(string text) => text.Split(':', 2) switch
    {
        ["everyone"] => Audience.Everyone,
        ["department", var d] when d.Trim().Length > 0 => new Audience(AudienceKind.Departments, [d.Trim()]),
        ["role", var r] when r.Trim().Length > 0 => new Audience(AudienceKind.Roles, [r.Trim()]),
        _ => throw new CliUsageException($"--audience is '{text}'; expected everyone, department:<name> or role:<name>"),
    };
}
