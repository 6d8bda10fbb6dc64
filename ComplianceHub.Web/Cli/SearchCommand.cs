using System.Globalization;
using ComplianceHub.Core.Search;
using ComplianceHub.Core.Audit;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>search "&lt;query&gt;" [--from &lt;date&gt;] [--to &lt;date&gt;] [--participant &lt;number-or-name&gt;] [--conversation &lt;id&gt;] [--limit N] [--json]</c>:
/// the portal's search from the command line, newest first, audited like any other search. Dates are
/// UTC days (both ends included) or ISO-8601 instants.
/// </summary>
internal sealed class SearchCommand : ICliCommand
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 10_000;

    public string Verb => "search";
    public string Summary => "Search the archive (words, \"phrases\", prefix*, AND/OR/NOT) with date, participant and conversation filters.";
    public string Usage => "search \"<query>\" [--from <date>] [--to <date>] [--participant <number-or-name>] [--conversation <id>] [--limit N] [--json]";
    public IReadOnlyList<string> ValueOptions { get; } = ["from", "to", "participant", "conversation", "limit"];
    public IReadOnlyList<string> Flags { get; } = [];
    public int MaxPositionals => 1;

    public async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var args = context.Arguments;
        var criteria = new MessageSearchCriteria
        {
            Text = args.Positionals.Count > 0 ? args.Positionals[0] : null,
            From = args.Value("from") is { } from ? ParseDate("from", from, endOfDay: false) : null,
            Until = args.Value("to") is { } to ? ParseDate("to", to, endOfDay: true) : null,
            Participant = args.Value("participant"),
            ConversationIds = args.Value("conversation") is { } conversation
                ? [long.TryParse(conversation, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw new CliUsageException($"--conversation is '{conversation}'; expected a conversation id")]
                : [],
        };
        if (criteria.IsEmpty)
        {
            throw new CliUsageException("give a query, a filter or both");
        }

        var limit = DefaultLimit;
        if (args.Value("limit") is { } limitText && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            throw new CliUsageException($"--limit is '{limitText}'; expected a whole number from 1 to {MaxLimit:N0}");
        }

        var search = context.Get<MessageSearchService>();
        var hits = new List<MessageSearchHit>();
        MessageSearchPage page;
        string? after = null;
        MessageSearchCount count;
        try
        {
            do
            {
                page = await search.SearchAsync(criteria, AuditActor.CommandLine, Math.Min(limit - hits.Count, MessageSearchService.MaxPageSize), after, ct);
                hits.AddRange(page.Hits);
                after = page.Next;
            }
            while (after is not null && hits.Count < limit);
            count = await search.CountAsync(criteria, ct);
        }
        catch (SearchQueryException ex)
        {
            throw new CliUsageException(ex.Message.TrimEnd('.'));
        }

        if (args.Json)
        {
            await context.WriteJsonAsync(new
            {
                total = count.Count,
                hits = hits.Select(h => new
                {
                    messageId = h.MessageId,
                    conversationId = h.ConversationId,
                    conversation = h.Conversation,
                    sender = h.Sender,
                    sentAtUtc = h.SentAt.ToUniversalTime(),
                    body = h.Body,
                }),
            });
        }
        else
        {
            foreach (var hit in hits)
            {
                var body = hit.Body.ReplaceLineEndings(" ");
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{hit.SentAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z  #{hit.MessageId}  {hit.Conversation}  {hit.Sender ?? "(system)"}: {body}"));
            }

            await context.Out.WriteLineAsync($"{count.Count:N0}{(count.IsLowerBound ? "+" : "")} message(s) found, {hits.Count:N0} shown");
        }

        if (count.IsLowerBound)
        {
            await context.Error.WriteLineAsync($"search: more than {MessageSearchService.CountCap:N0} messages match; the count stops there");
        }

        return 0;
    }

    internal static DateTimeOffset ParseDate(string option, string text, bool endOfDay)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1) : start;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant;
        }

        throw new CliUsageException($"--{option} is '{text}'; expected a date (2024-03-18) or an ISO-8601 time");
    }
}
