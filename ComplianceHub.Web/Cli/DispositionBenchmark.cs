using System.Diagnostics;
using System.Globalization;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Retention;
using ComplianceHub.Core.Search;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Transcripts;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>bench disposition [--messages N] [--json]</c>: a synthetic SQLite archive of chats of 50,000 messages, a tenth of them
/// (two chats in a million, and a chat of 1,000 photos) sent in 2015 and so past the 7-year default, the rest in 2024, with a
/// legal hold over one day of an old chat. The archive is built once into a template in the temp folder and copied for each
/// run. Times a real run (report, removal, files, compaction and purge) while a reader opens conversations and an officer
/// searches (audited, as in the portal) as fast as they can, and prints the run's figures and what the two saw.
/// </summary>
internal static class DispositionBenchmark
{
    private const int DefaultMessages = 1_000_000;
    private const int MessagesPerChat = 50_000;
    private const int Photos = 1_000;
    private const int PhotoBytes = 10 * 1024;

    public static async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var messages = DefaultMessages;
        if (context.Arguments.Value("messages") is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out messages) || messages < 20 * Photos))
        {
            throw new CliUsageException($"--messages is '{text}'; expected a whole number of at least {20 * Photos:N0}");
        }

        var template = Path.Combine(Path.GetTempPath(), $"compliancehub-bench-disposition-{messages}");
        await EnsureTemplateAsync(context, template, messages, ct);
        var work = Path.Combine(Path.GetTempPath(), "compliancehub-bench-disposition-run-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var suffix in new[] { "", "-keys", "-checkpoints" })
            {
                CopyDirectory(template + suffix, work + suffix);
            }

            // An archive's files were put long before its disposition: a file put in the last minutes is left for later.
            foreach (var file in Directory.EnumerateFiles(Path.Combine(work, "blobs"), "*", SearchOption.AllDirectories))
            {
                File.SetLastWriteTimeUtc(file, TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(-1));
            }

            return await MeasureAsync(context, work, messages, ct);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-keys", "-checkpoints" })
            {
                if (Directory.Exists(work + suffix))
                {
                    Directory.Delete(work + suffix, recursive: true);
                }
            }
        }
    }

    private static async Task<int> MeasureAsync(CliContext context, string dataDirectory, int messages, CancellationToken ct)
    {
        await using var services = BenchServices.Sqlite(dataDirectory);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
        var disposition = services.GetRequiredService<DispositionService>();
        await disposition.ChangeSettingsAsync(enabled: true, requireApproval: false, AuditActor.CommandLine, ct);
        var plan = await services.GetRequiredService<RetentionService>().PlanAsync(AuditActor.CommandLine, ct);
        List<long> kept;
        await using (var db = await services.GetRequiredService<IDbContextFactory<ComplianceHubDbContext>>().CreateDbContextAsync(ct))
        {
            kept = await db.Conversations.Where(c => c.Title.Contains("Recent")).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        }

        // What the portal's users do meanwhile: open conversations (reads) and search (audited: a write).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var transcripts = services.GetRequiredService<TranscriptService>();
        var search = services.GetRequiredService<MessageSearchService>();
        var reads = Task.Run(() => LoopAsync(async i => await transcripts.AroundAsync(kept[i % kept.Count], null, null, 100, stop.Token), stop.Token), ct);
        var searches = Task.Run(() => LoopAsync(async i => await search.SearchAsync(
            new MessageSearchCriteria { Text = i % 2 == 0 ? "invoice" : "settlement" }, AuditActor.CommandLine, 50, ct: stop.Token), stop.Token), ct);

        var timer = Stopwatch.StartNew();
        var outcome = await disposition.RequestAsync(DispositionTrigger.OnDemand, AuditActor.CommandLine, ct);
        timer.Stop();
        await stop.CancelAsync();
        var (readTimes, searchTimes) = (await reads, await searches);

        var matches = outcome.Expired == plan.Expired && outcome.KeptByHold == plan.KeptByHold && outcome.Removed == plan.WouldRemove && outcome.Tombstones == outcome.Removed;
        if (context.Arguments.Json)
        {
            await context.WriteJsonAsync(new
            {
                provider = "Sqlite",
                messages,
                seconds = Math.Round(timer.Elapsed.TotalSeconds, 2),
                messagesPerSecond = Math.Round(outcome.Removed / timer.Elapsed.TotalSeconds),
                expired = outcome.Expired,
                removed = outcome.Removed,
                keptByHold = outcome.KeptByHold,
                tombstones = outcome.Tombstones,
                blobsRemoved = outcome.BlobsRemoved,
                dryRunMatches = matches,
                whileRunning = new
                {
                    conversationOpens = Figures(readTimes),
                    searches = Figures(searchTimes),
                },
            });
        }
        else
        {
            await context.Out.WriteLineAsync(
                $"disposition over {messages:N0} messages: {timer.Elapsed.TotalSeconds:N1} s; {outcome.Expired:N0} expired, {outcome.Removed:N0} removed ({outcome.Removed / timer.Elapsed.TotalSeconds:N0}/s), "
                + $"{outcome.KeptByHold:N0} kept by a hold, {outcome.BlobsRemoved:N0} file(s) removed; the dry run {(matches ? "matched" : "DID NOT match")}");
            await context.Out.WriteLineAsync($"  while it ran: {Describe("conversation opens", readTimes)}; {Describe("searches (audited)", searchTimes)}");
        }

        return matches ? 0 : 1;
    }

    private static async Task<List<double>> LoopAsync(Func<int, Task> action, CancellationToken ct)
    {
        var times = new List<double>();
        for (var i = 0; !ct.IsCancellationRequested; i++)
        {
            var timer = Stopwatch.StartNew();
            try
            {
                await action(i);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }

            times.Add(timer.Elapsed.TotalMilliseconds);
            await Task.Delay(20, CancellationToken.None);
        }

        return times;
    }

    private static object Figures(List<double> times) => new
    {
        count = times.Count,
        p50Ms = times.Count == 0 ? 0 : Math.Round(BenchStatistics.Percentile(times, 0.50), 1),
        p99Ms = times.Count == 0 ? 0 : Math.Round(BenchStatistics.Percentile(times, 0.99), 1),
        maxMs = times.Count == 0 ? 0 : Math.Round(times.Max(), 1),
    };

    private static string Describe(string what, List<double> times) => times.Count == 0
        ? $"no {what}"
        : $"{times.Count:N0} {what}, p50 {BenchStatistics.Percentile(times, 0.50):N0} ms, p99 {BenchStatistics.Percentile(times, 0.99):N0} ms, max {times.Max():N0} ms";

    private static async Task EnsureTemplateAsync(CliContext context, string template, int messages, CancellationToken ct)
    {
        var marker = Path.Combine(template, "bench-complete");
        if (File.Exists(marker))
        {
            await Progress(context, $"copying the archive built in {template}");
            return;
        }

        foreach (var suffix in new[] { "", "-keys", "-checkpoints" })
        {
            if (Directory.Exists(template + suffix))
            {
                Directory.Delete(template + suffix, recursive: true);
            }
        }

        await using var services = BenchServices.Sqlite(template);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
        var imports = services.GetRequiredService<ExportImportService>();
        var options = new ImportOptions("Europe/London", "bench@example.com", DateOrder.DayMonthYear);
        var timer = Stopwatch.StartNew();

        // A tenth expired: old chats (the last one topped up to the tenth) and the photos, all sent in 2015.
        var expired = messages / 10;
        var photos = Path.Combine(template, "WhatsApp Chat with Old Photos.zip");
        SyntheticExport.WritePhotoChat(photos, Photos, PhotoBytes, new DateTime(2015, 3, 2, 8, 0, 0), seed: 15);
        await imports.ImportAsync(photos, Path.GetFileName(photos), options, AuditActor.CommandLine, ct: ct);
        File.Delete(photos);
        var oldRemaining = expired - Photos;
        var oldChats = (oldRemaining + MessagesPerChat - 1) / MessagesPerChat;
        for (var chat = 0; chat < oldChats; chat++)
        {
            var size = Math.Min(MessagesPerChat, oldRemaining - chat * MessagesPerChat);
            await ImportAsync(imports, options, template, $"Old Desk {chat + 1}", size, 3000 + chat, new DateTime(2015, 1, 5 + chat, 8, 0, 0), ct);
            await Progress(context, $"imported old chat {chat + 1} of {oldChats} ({timer.Elapsed.TotalSeconds:N0} s)");
        }

        var recentRemaining = messages - expired;
        var recentChats = (recentRemaining + MessagesPerChat - 1) / MessagesPerChat;
        for (var chat = 0; chat < recentChats; chat++)
        {
            var size = Math.Min(MessagesPerChat, recentRemaining - chat * MessagesPerChat);
            await ImportAsync(imports, options, template, $"Recent Desk {chat + 1}", size, 4000 + chat, null, ct);
            await Progress(context, $"imported recent chat {chat + 1} of {recentChats} ({timer.Elapsed.TotalSeconds:N0} s)");
        }

        // A hold over the first old chat's first day keeps what it covers.
        long held;
        await using (var db = await services.GetRequiredService<IDbContextFactory<ComplianceHubDbContext>>().CreateDbContextAsync(ct))
        {
            held = await db.Conversations.Where(c => c.Title.Contains("Old Desk 1")).Select(c => c.Id).SingleAsync(ct);
        }

        await services.GetRequiredService<LegalHoldService>().PlaceAsync(new LegalHoldDraft("Bench matter", null, "One day of an old chat",
            [held], [], new DateTimeOffset(2015, 1, 5, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2015, 1, 6, 0, 0, 0, TimeSpan.Zero)), AuditActor.CommandLine, ct);
        await services.GetRequiredService<Core.Integrity.CheckpointService>().SealAsync("bench", ct: ct);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await File.WriteAllTextAsync(marker, messages.ToString(CultureInfo.InvariantCulture), ct);
    }

    private static async Task ImportAsync(
        ExportImportService imports, ImportOptions options, string directory, string name, int size, int seed, DateTime? start, CancellationToken ct)
    {
        var file = Path.Combine(directory, $"WhatsApp Chat with {name}.txt");
        SyntheticExport.Write(file, size, seed, start: start);
        await imports.ImportAsync(file, Path.GetFileName(file), options, AuditActor.CommandLine, ct: ct);
        File.Delete(file);
    }

    private static void CopyDirectory(string from, string to)
    {
        if (!Directory.Exists(from))
        {
            return;
        }

        Directory.CreateDirectory(to);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(to, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    private static Task Progress(CliContext context, string line) =>
        context.Arguments.Json ? Task.CompletedTask : context.Error.WriteLineAsync("bench: " + line);
}
