using System.Diagnostics;
using System.Globalization;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Integrity;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>bench verify [--messages N] [--attachments N] [--json]</c>: builds a synthetic SQLite archive (chats of 50,000
/// messages, and one chat with the attachments, each 100 KB of incompressible bytes; kept in the temp folder and reused
/// by later runs of the same size), seals a checkpoint, then times <c>verify</c> as the CLI runs it, each check alone,
/// with the process's peak working set and its growth over what it held before.
/// </summary>
internal static class VerifyBenchmark
{
    private const int DefaultMessages = 1_000_000;
    private const int DefaultAttachments = 10_000;
    private const int MessagesPerChat = 50_000;
    private const int AttachmentBytes = 100 * 1024;

    public static async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var messages = Count(context, "messages", DefaultMessages);
        var attachments = Count(context, "attachments", DefaultAttachments);
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"compliancehub-bench-verify-{messages}-{attachments}");
        await using var services = BenchServices.Sqlite(dataDirectory);
        await EnsureArchiveAsync(context, services, dataDirectory, messages, attachments, ct);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        NativeHeap.Trim();
        var reset = ExportBenchmark.TryResetPeak();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var start = process.WorkingSet64;

        var checks = new List<(string Name, double Seconds, long Records, int Findings)>();
        var total = Stopwatch.StartNew();
        foreach (var check in services.GetServices<IIntegrityCheck>())
        {
            var watch = Stopwatch.StartNew();
            var results = await check.VerifyAsync(IntegrityRun.Default, ct);
            checks.Add((check.GetType().Name, watch.Elapsed.TotalSeconds, results.Sum(r => r.RecordsChecked), results.Count(r => !r.IsIntact)));
            await Progress(context, $"{check.GetType().Name}: {watch.Elapsed.TotalSeconds:N1} s");
        }

        total.Stop();
        process.Refresh();
        var peakMb = process.PeakWorkingSet64 / (1024.0 * 1024);
        var growthMb = (process.PeakWorkingSet64 - start) / (1024.0 * 1024);
        var findings = checks.Sum(c => c.Findings);
        if (context.Arguments.Json)
        {
            await context.WriteJsonAsync(new
            {
                messages,
                attachments,
                seconds = Math.Round(total.Elapsed.TotalSeconds, 2),
                checks = checks.Select(c => new { name = c.Name, seconds = Math.Round(c.Seconds, 2), records = c.Records, findings = c.Findings }),
                peakWorkingSetMb = Math.Round(peakMb, 1),
                growthMb = Math.Round(growthMb, 1),
                peakIsVerifyOnly = reset,
                findings,
            });
        }
        else
        {
            await context.Out.WriteLineAsync($"verify over {messages:N0} messages and {attachments:N0} attachments: {total.Elapsed.TotalSeconds:N1} s");
            foreach (var (name, seconds, records, found) in checks)
            {
                await context.Out.WriteLineAsync($"  {name,-24} {seconds,7:N1} s  {records,12:N0} record(s)  {found} finding(s)");
            }

            await context.Out.WriteLineAsync($"peak working set {peakMb:N0} MB ({growthMb:N0} MB over the start{(reset ? "" : "; the high-water mark could not be reset, so it may predate verify")})");
        }

        // A finding on a synthetic archive no one touched is a defect in verify.
        return findings == 0 ? 0 : 1;
    }

    private static int Count(CliContext context, string option, int fallback)
    {
        if (context.Arguments.Value(option) is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw new CliUsageException($"--{option} is '{text}'; expected a positive whole number");
    }

    private static async Task EnsureArchiveAsync(
        CliContext context, ServiceProvider services, string dataDirectory, int messages, int attachments, CancellationToken ct)
    {
        var marker = Path.Combine(dataDirectory, "bench-complete");
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
        if (File.Exists(marker))
        {
            await Progress(context, $"reusing the archive in {dataDirectory}");
            return;
        }

        await using (var db = await services.GetRequiredService<IDbContextFactory<ComplianceHubDbContext>>().CreateDbContextAsync(ct))
        {
            if (await db.ChatMessages.AnyAsync(ct))
            {
                throw new InvalidOperationException($"{dataDirectory} holds an unfinished benchmark archive: delete it (and its -checkpoints and -keys folders) and run again.");
            }
        }

        var imports = services.GetRequiredService<ExportImportService>();
        var options = new ImportOptions("Europe/London", "bench@example.com", DateOrder.DayMonthYear);
        var timer = Stopwatch.StartNew();
        var media = Path.Combine(dataDirectory, "WhatsApp Chat with Bench Media.zip");
        SyntheticExport.WritePhotoChat(media, attachments, AttachmentBytes, new DateTime(2025, 6, 2, 8, 0, 0), seed: 11);
        await imports.ImportAsync(media, Path.GetFileName(media), options, AuditActor.CommandLine, ct: ct);
        File.Delete(media);
        await Progress(context, $"imported {attachments:N0} attachments ({timer.Elapsed.TotalSeconds:N0} s)");

        var remaining = messages - attachments;
        var chats = (remaining + MessagesPerChat - 1) / MessagesPerChat;
        for (var chat = 0; chat < chats; chat++)
        {
            var size = Math.Min(MessagesPerChat, remaining - chat * MessagesPerChat);
            var file = Path.Combine(dataDirectory, $"WhatsApp Chat with Bench Desk {chat + 1}.txt");
            SyntheticExport.Write(file, size, seed: 2000 + chat);
            await imports.ImportAsync(file, Path.GetFileName(file), options, AuditActor.CommandLine, ct: ct);
            File.Delete(file);
            await Progress(context, $"imported chat {chat + 1} of {chats} ({timer.Elapsed.TotalSeconds:N0} s)");
        }

        await services.GetRequiredService<CheckpointService>().SealAsync("bench", ct: ct);
        await File.WriteAllTextAsync(marker, messages.ToString(CultureInfo.InvariantCulture), ct);
    }

    private static Task Progress(CliContext context, string line) =>
        context.Arguments.Json ? Task.CompletedTask : context.Error.WriteLineAsync("bench: " + line);
}
