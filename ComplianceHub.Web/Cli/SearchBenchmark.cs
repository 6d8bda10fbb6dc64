using System.Diagnostics;
using System.Globalization;
using ComplianceHub.Core;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Search;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Transcripts;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>bench search [--messages N] [--json]</c>: builds a synthetic SQLite archive (default 1,000,000
/// messages in chats of 50,000, kept in the temp folder and reused by later runs of the same size),
/// then times each common query form through <see cref="MessageSearchService"/> exactly as the portal
/// runs it (the first page of 50 hits, highlighted and audited), alone and with a week's date range
/// plus a participant, and the opening of a conversation at its middle. The hit count, which the
/// portal fetches after showing the hits, is timed and printed beside each form.
/// </summary>
internal static class SearchBenchmark
{
    private const int DefaultMessages = 1_000_000;
    private const int MessagesPerChat = 50_000;
    private const int Repetitions = 30;
    private const string RareWord = "escalation";
    private const string BenchHold = "bench: one chat on hold";

    private static readonly (string Name, string Query)[] Forms =
    [
        ("common word", "client"),
        ("rare word", RareWord),
        ("two words", "bund futures"),
        ("phrase", "\"bund futures\""),
        ("prefix", "liq*"),
    ];

    public static async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var args = context.Arguments;
        var messages = DefaultMessages;
        if (args.Value("messages") is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out messages) || messages < 1))
        {
            throw new CliUsageException($"--messages is '{text}'; expected a positive whole number");
        }

        var dataDirectory = Path.Combine(Path.GetTempPath(), $"compliancehub-bench-search-{messages}");
        await using var services = BenchServices.Sqlite(dataDirectory);
        await EnsureArchiveAsync(context, services, dataDirectory, messages, ct);

        var search = services.GetRequiredService<MessageSearchService>();
        await using (var db = await services.GetRequiredService<IDbContextFactory<ComplianceHubDbContext>>().CreateDbContextAsync(ct))
        {
            var first = await db.ChatMessages.MinAsync(m => m.SentAt, ct);
            var last = await db.ChatMessages.MaxAsync(m => m.SentAt, ct);
            var middle = first + (last - first) / 2;
            var week = (From: middle, Until: middle.AddDays(7));

            var results = new List<Measurement>();
            foreach (var (name, query) in Forms)
            {
                results.Add(await MeasureAsync(search, name, new MessageSearchCriteria { Text = query }, ct));
                results.Add(await MeasureAsync(search, name + " + week + participant",
                    new MessageSearchCriteria { Text = query, From = week.From, Until = week.Until, Participant = "Sam Patel" }, ct));
            }

            // A hold on one chat's first day (placed once, kept with the reused archive): the "on legal hold" filter alone and with
            // words. The worst case for newest-first: every held message is among the oldest.
            if (!await db.LegalHolds.AnyAsync(h => h.Name == BenchHold, ct))
            {
                var held = await db.Conversations.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync(ct);
                await services.GetRequiredService<LegalHoldService>().PlaceAsync(
                    new LegalHoldDraft(BenchHold, null, "Benchmark hold on one chat's first day.", [held], [], first, first.AddDays(1)), AuditActor.CommandLine, ct);
            }

            results.Add(await MeasureAsync(search, "on legal hold", new MessageSearchCriteria { OnLegalHold = true }, ct));
            results.Add(await MeasureAsync(search, "common word + on legal hold", new MessageSearchCriteria { Text = "client", OnLegalHold = true }, ct));
            results.Add(await MeasureAsync(search, "common word + not on legal hold", new MessageSearchCriteria { Text = "client", OnLegalHold = false }, ct));

            var openP95 = await MeasureOpenAsync(services, db, ct);
            var holdsP95 = await MeasureHoldsListAsync(services.GetRequiredService<LegalHoldService>(), ct);
            if (args.Json)
            {
                await context.WriteJsonAsync(new
                {
                    messages,
                    queries = results.Select(r => new { name = r.Name, p50Ms = Round(r.P50), p95Ms = Round(r.P95), p99Ms = Round(r.P99) }),
                    openConversationP95Ms = Round(openP95),
                });
            }
            else
            {
                await context.Out.WriteLineAsync($"messages: {messages:N0} (SQLite; a search is its first page of 50 hits, highlighted and audited; {Repetitions} runs each)");
                foreach (var r in results)
                {
                    await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{r.Name,-38} p50 {r.P50,6:N1} ms  p95 {r.P95,6:N1} ms  p99 {r.P99,6:N1} ms  | count {r.Hits.Count:N0}{(r.Hits.IsLowerBound ? "+" : "")} hits, p95 {r.CountP95:N1} ms"));
                }

                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"open a conversation at its middle",-38} p95 {openP95,7:N1} ms"));
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"legal holds page (messages in scope)",-38} p95 {holdsP95,7:N1} ms"));
                await context.Out.WriteLineAsync("goal (2 cores, SQLite):   p95 < 100 ms every form, < 50 ms rare word and phrase, < 150 ms to open a conversation");
            }
        }

        return 0;
    }

    private static double Round(double value) => Math.Round(value, 2);

    private sealed record Measurement(string Name, double P50, double P95, double P99, MessageSearchCount Hits, double CountP95);

    private static async Task<Measurement> MeasureAsync(
        MessageSearchService search, string name, MessageSearchCriteria criteria, CancellationToken ct)
    {
        await search.SearchAsync(criteria, AuditActor.CommandLine, 50, ct: ct); // warm-up
        var count = await search.CountAsync(criteria, ct);
        var times = new List<double>(Repetitions);
        var counts = new List<double>(Repetitions);
        for (var i = 0; i < Repetitions; i++)
        {
            var timer = Stopwatch.StartNew();
            await search.SearchAsync(criteria, AuditActor.CommandLine, 50, ct: ct);
            times.Add(timer.Elapsed.TotalMilliseconds);
            timer.Restart();
            await search.CountAsync(criteria, ct);
            counts.Add(timer.Elapsed.TotalMilliseconds);
        }

        return new Measurement(name, BenchStatistics.Percentile(times, 0.50), BenchStatistics.Percentile(times, 0.95), BenchStatistics.Percentile(times, 0.99),
            count, BenchStatistics.Percentile(counts, 0.95));
    }

    /// <summary>The legal holds page's list, with the count of messages each hold preserves.</summary>
    private static async Task<double> MeasureHoldsListAsync(LegalHoldService holds, CancellationToken ct)
    {
        var times = new List<double>(Repetitions);
        for (var i = 0; i <= Repetitions; i++)
        {
            var timer = Stopwatch.StartNew();
            await holds.ListAsync(ct);
            if (i > 0)
            {
                times.Add(timer.Elapsed.TotalMilliseconds); // the first run warms up
            }
        }

        return BenchStatistics.Percentile(times, 0.95);
    }

    /// <summary>Header (audited) plus the 100 messages around a message near the middle of the largest chat.</summary>
    private static async Task<double> MeasureOpenAsync(ServiceProvider services, ComplianceHubDbContext db, CancellationToken ct)
    {
        var transcripts = services.GetRequiredService<TranscriptService>();
        var conversation = await db.ChatMessages.GroupBy(m => m.ConversationId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync(ct);
        var count = await db.ChatMessages.CountAsync(m => m.ConversationId == conversation, ct);
        var random = new Random(7);
        var times = new List<double>(Repetitions);
        for (var i = 0; i <= Repetitions; i++)
        {
            var position = count / 2 + random.Next(-count / 20, count / 20);
            var messageId = await db.ChatMessages.Where(m => m.ConversationId == conversation).OrderBy(m => m.SearchKey)
                .Skip(position).Select(m => m.Id).FirstAsync(ct);
            var timer = Stopwatch.StartNew();
            await transcripts.OpenAsync(conversation, AuditActor.CommandLine, ct);
            var window = await transcripts.AroundAsync(conversation, messageId, null, 100, ct);
            if (i > 0)
            {
                times.Add(timer.Elapsed.TotalMilliseconds); // the first run warms up
            }

            if (window.AnchorMessageId != messageId)
            {
                throw new InvalidOperationException("The transcript did not open at the chosen message.");
            }
        }

        return BenchStatistics.Percentile(times, 0.95);
    }

    /// <summary>Imports the synthetic chats unless an earlier run left a complete archive of this size.</summary>
    private static async Task EnsureArchiveAsync(CliContext context, ServiceProvider services, string dataDirectory, int messages, CancellationToken ct)
    {
        var marker = Path.Combine(dataDirectory, "bench-complete");
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
        if (File.Exists(marker))
        {
            await Progress(context, $"reusing the archive in {dataDirectory}");
            return;
        }

        var imports = services.GetRequiredService<ExportImportService>();
        await using (var db = await services.GetRequiredService<IDbContextFactory<ComplianceHubDbContext>>().CreateDbContextAsync(ct))
        {
            if (await db.ChatMessages.AnyAsync(ct))
            {
                throw new InvalidOperationException($"{dataDirectory} holds an unfinished benchmark archive: delete it and run again.");
            }
        }

        var timer = Stopwatch.StartNew();
        var chats = (messages + MessagesPerChat - 1) / MessagesPerChat;
        for (var chat = 0; chat < chats; chat++)
        {
            var size = Math.Min(MessagesPerChat, messages - chat * MessagesPerChat);
            var file = Path.Combine(dataDirectory, $"WhatsApp Chat with Bench Desk {chat + 1}.txt");
            SyntheticExport.Write(file, size, seed: 1000 + chat, rareWord: RareWord, rareEvery: 8_000);
            await imports.ImportAsync(file, Path.GetFileName(file), new ImportOptions("Europe/London", "bench@example.com", DateOrder.DayMonthYear),
                AuditActor.CommandLine, ct: ct);
            File.Delete(file);
            await Progress(context, $"imported chat {chat + 1} of {chats} ({timer.Elapsed.TotalSeconds:N0} s)");
        }

        await File.WriteAllTextAsync(marker, messages.ToString(CultureInfo.InvariantCulture), ct);
    }

    private static Task Progress(CliContext context, string line) =>
        context.Arguments.Json ? Task.CompletedTask : context.Error.WriteLineAsync("bench: " + line);
}

/// <summary>Core services on a SQLite archive in a given folder, outside the CLI's own host.</summary>
internal static class BenchServices
{
    public static ServiceProvider Sqlite(string dataDirectory)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddComplianceHubCore(new StorageSettings(
            DatabaseProvider.Sqlite, dataDirectory, $"Data Source={Path.Combine(dataDirectory, StorageSettings.SqliteFileName)}"));
        return services.BuildServiceProvider();
    }
}
