using System.Diagnostics;
using System.Globalization;
using System.Text;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>bench import [--messages N] [--json]</c>: generates a synthetic export and measures parsing
/// alone, the end-to-end import into a throw-away SQLite archive (hashing and full-text indexing
/// included), and the process's peak working set. Performance targets live here, not in unit tests.
/// </summary>
internal sealed class BenchCommand : ICliCommand
{
    private const int DefaultMessages = 1_000_000;

    public string Verb => "bench";
    public string Summary => "Measure performance: 'bench import' parses and imports a synthetic export; 'bench webhook' drives the live capture endpoint; 'bench search' times searches over a synthetic archive; 'bench export' times a hold's transcript PDF; 'bench verify' times verify over a synthetic archive with attachments; 'bench disposition' times a disposition run removing a tenth of a synthetic archive while it is read and searched.";
    public string Usage => "bench import [--messages N] [--with-load] [--json] | bench webhook [--seconds N] [--clients N] [--with-flood] [--json] | bench search [--messages N] [--json] | bench export [--messages N] [--json] | bench verify [--messages N] [--attachments N] [--json] | bench disposition [--messages N] [--json]";
    public IReadOnlyList<string> ValueOptions { get; } = ["messages", "seconds", "clients", "attachments"];
    public IReadOnlyList<string> Flags { get; } = ["with-load", "with-flood"];
    public int MaxPositionals => 1;

    public async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var args = context.Arguments;
        if (args.Positionals is ["webhook"])
        {
            return await WebhookBenchmark.RunAsync(context, ct);
        }

        if (args.Positionals is ["search"])
        {
            return await SearchBenchmark.RunAsync(context, ct);
        }

        if (args.Positionals is ["export"])
        {
            return await ExportBenchmark.RunAsync(context, ct);
        }

        if (args.Positionals is ["verify"])
        {
            return await VerifyBenchmark.RunAsync(context, ct);
        }

        if (args.Positionals is ["disposition"])
        {
            return await DispositionBenchmark.RunAsync(context, ct);
        }

        if (args.Positionals is not ["import"])
        {
            throw new CliUsageException(args.Positionals.Count == 0 ? "name what to measure: import, webhook, search, export, verify or disposition" : $"unknown benchmark '{string.Join(' ', args.Positionals)}'; available: import, webhook, search, export, verify, disposition");
        }

        var messages = DefaultMessages;
        if (args.Value("messages") is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out messages) || messages < 1))
        {
            throw new CliUsageException($"--messages is '{text}'; expected a positive whole number");
        }

        var work = Path.Combine(Path.GetTempPath(), "compliancehub-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var export = Path.Combine(work, "WhatsApp Chat with Bench Desk.txt");
            SyntheticExport.Write(export, messages);
            await Progress(context, $"generated {messages:N0} messages ({new FileInfo(export).Length / (1024.0 * 1024):N1} MB)");

            var parseRate = MeasureParse(export, messages);
            await Progress(context, $"parse: {parseRate:N0} messages/s");

            var (importRate, load) = await MeasureImportAsync(export, messages, Path.Combine(work, "data"), args.HasFlag("with-load"), ct);
            await Progress(context, $"import: {importRate:N0} messages/s");

            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var peakMb = process.PeakWorkingSet64 / (1024.0 * 1024);
            if (args.Json)
            {
                await context.WriteJsonAsync(new
                {
                    messages,
                    parseMessagesPerSecond = Math.Round(parseRate),
                    importMessagesPerSecond = Math.Round(importRate),
                    peakWorkingSetMb = Math.Round(peakMb, 1),
                    withLoad = load,
                });
            }
            else
            {
                await context.Out.WriteLineAsync($"messages:                 {messages:N0}");
                await context.Out.WriteLineAsync($"parse (both passes):      {parseRate:N0} messages/s");
                await context.Out.WriteLineAsync($"import (end to end):      {importRate:N0} messages/s");
                await context.Out.WriteLineAsync($"peak working set:         {peakMb:N1} MB");
                if (load is not null)
                {
                    await context.Out.WriteLineAsync($"during the import:        {load.SignIns} sign-in audit writes and {load.Webhooks} webhook deliveries");
                    await context.Out.WriteLineAsync($"  sign-in audit write:    p50 {load.SignInP50Ms} ms, p99 {load.SignInP99Ms} ms, max {load.SignInMaxMs} ms");
                    await context.Out.WriteLineAsync($"  webhook acknowledgement: p50 {load.WebhookP50Ms} ms, p99 {load.WebhookP99Ms} ms, max {load.WebhookMaxMs} ms");
                }
            }

            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            BenchCommand.DeleteWork(work);
        }
    }

    private static Task Progress(CliContext context, string line) =>
        context.Arguments.Json ? Task.CompletedTask : context.Error.WriteLineAsync("bench: " + line);

    private static double MeasureParse(string export, int expected)
    {
        // One untimed pass first, so the figure is the parser's and not the JIT's.
        ParseOnce(export);
        var stopwatch = Stopwatch.StartNew();
        var count = ParseOnce(export);
        stopwatch.Stop();
        if (count != expected)
        {
            throw new InvalidOperationException($"The parser read {count:N0} messages of {expected:N0}.");
        }

        return count / stopwatch.Elapsed.TotalSeconds;
    }

    private static int ParseOnce(string export)
    {
        ExportLayout layout;
        using (var bytes = new FileStream(export, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            layout = WhatsAppExportParser.DetectLayout(bytes);
        }

        var count = 0;
        using (var reader = new StreamReader(export, Encoding.UTF8, true, 1 << 16))
        {
            foreach (var _ in WhatsAppExportParser.ReadMessages(reader, layout))
            {
                count++;
            }
        }

        return count;
    }

    private static async Task<(double Rate, ImportLoad? Load)> MeasureImportAsync(
        string export, int expected, string dataDirectory, bool withLoad, CancellationToken ct)
    {
        await using var provider = BenchServices.Sqlite(dataDirectory);
        await provider.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);

        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var load = withLoad ? RunLoadAsync(provider, stopLoad.Token) : null;
        var stopwatch = Stopwatch.StartNew();
        var result = await provider.GetRequiredService<ExportImportService>().ImportAsync(
            export, Path.GetFileName(export), new ImportOptions("Europe/London", "bench@example.com", DateOrder.DayMonthYear),
            AuditActor.CommandLine, ct: ct);
        stopwatch.Stop();
        await stopLoad.CancelAsync();
        var figures = load is null ? null : await load;
        if (result.MessagesAdded != expected)
        {
            throw new InvalidOperationException($"The import added {result.MessagesAdded:N0} messages of {expected:N0}.");
        }

        return (result.MessagesAdded / stopwatch.Elapsed.TotalSeconds, figures);
    }

    /// <summary>
    /// What the portal keeps doing during an import, each on its own ten times a second: a sign-in's audit event,
    /// and a webhook delivery's acknowledgement (its inbox row), each timed.
    /// </summary>
    private static async Task<ImportLoad> RunLoadAsync(IServiceProvider services, CancellationToken stop)
    {
        var audit = services.GetRequiredService<AuditLog>();
        var inbox = services.GetRequiredService<WebhookInbox>();
        var payload = Encoding.UTF8.GetBytes("""{"object":"whatsapp_business_account","entry":[]}""");
        var signIns = Task.Run(() => TimeAsync(() => audit.RecordInOwnTransactionAsync(
            AuditEventType.SignInSucceeded, AuditActor.CommandLine, new AuditSubject("User", "bench"), null, CancellationToken.None), stop), CancellationToken.None);
        var webhooks = Task.Run(() => TimeAsync(() => inbox.AcceptAsync(payload, "127.0.0.1", CancellationToken.None), stop), CancellationToken.None);
        var (signInMs, webhookMs) = (await signIns, await webhooks);

        static double Ms(double value) => Math.Round(value, 1);
        return new ImportLoad(signInMs.Count, webhookMs.Count,
            Ms(BenchStatistics.Percentile(signInMs, 0.50)), Ms(BenchStatistics.Percentile(signInMs, 0.99)), Ms(signInMs.DefaultIfEmpty().Max()),
            Ms(BenchStatistics.Percentile(webhookMs, 0.50)), Ms(BenchStatistics.Percentile(webhookMs, 0.99)), Ms(webhookMs.DefaultIfEmpty().Max()));
    }

    /// <summary>Runs <paramref name="write"/> every 100 ms until <paramref name="stop"/>, returning each run's time in milliseconds.</summary>
    private static async Task<List<double>> TimeAsync(Func<Task> write, CancellationToken stop)
    {
        var times = new List<double>();
        while (!stop.IsCancellationRequested)
        {
            var watch = Stopwatch.StartNew();
            await write();
            times.Add(watch.Elapsed.TotalMilliseconds);
            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return times;
    }

    /// <summary>Removes a benchmark's throw-away archive and what sits beside it (its key file, its checkpoints).</summary>
    internal static void DeleteWork(string work)
    {
        foreach (var directory in new[] { work, work + "-keys", work + "-checkpoints" }.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Latencies of the portal's own writes during an import, in milliseconds.</summary>
    private sealed record ImportLoad(
        int SignIns, int Webhooks, double SignInP50Ms, double SignInP99Ms, double SignInMaxMs, double WebhookP50Ms, double WebhookP99Ms, double WebhookMaxMs);
}
