using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Storage;
using SkiaSharp;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>bench export [--messages N] [--json]</c>: imports a synthetic group chat (default 20,000 messages in Latin,
/// Arabic, Devanagari, Chinese, Cyrillic and Thai with emoji, and 200 photos) into a throw-away SQLite archive, places a
/// hold on it, and times the production of its transcript PDF and then of its e-discovery package (ZIP) as the portal
/// runs them, each with the peak working set of that production alone (reset before each).
/// </summary>
internal static class ExportBenchmark
{
    private const int DefaultMessages = 20_000;
    private const int Images = 200;

    private static readonly string[] Bodies =
    [
        "Can you confirm 50 lots at 167.20 for the pension mandate?",
        "مرحبا، نريد خمسة ملايين من الصكوك بسعر ٩٩٫٢٥",
        "नमस्ते, कृपया तीन मिलियन की पुष्टि करें",
        "我们需要两百万，请确认订单 👍",
        "Доброе утро! Нам нужно четыре миллиона по 99,30",
        "สวัสดีครับ ยืนยันคำสั่งซื้อ",
        "Noted 👍🏽 filled at 99.25, ticket to follow ✅",
        "Łódź desk: crème de la crème allocation, naïve yield 4.5% 👨‍👩‍👧",
    ];

    private static readonly string[] Authors = ["Emma Employee", "Omar Haddad", "Priya Sharma", "Li Wei", "Dmitri Volkov", "Somchai Chai", "+44 7700 900123"];

    public static async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var args = context.Arguments;
        var messages = DefaultMessages;
        if (args.Value("messages") is { } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out messages) || messages < Images))
        {
            throw new CliUsageException($"--messages is '{text}'; expected a whole number of at least {Images}");
        }

        var work = Path.Combine(Path.GetTempPath(), "compliancehub-bench-export-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var export = Path.Combine(work, "WhatsApp Chat with Bench Markets.zip");
            Write(export, messages);
            await using var services = BenchServices.Sqlite(Path.Combine(work, "data"));
            await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
            await services.GetRequiredService<ExportImportService>().ImportAsync(export, Path.GetFileName(export),
                new ImportOptions("Europe/London", "bench@example.com", DateOrder.DayMonthYear), AuditActor.CommandLine, ct: ct);
            var holdId = await services.GetRequiredService<LegalHoldService>().PlaceAsync(
                new LegalHoldDraft("Bench markets", "BENCH-1", "Everything the bench desk kept", [], ["bench@example.com"], null, null), AuditActor.CommandLine, ct);
            if (!context.Arguments.Json)
            {
                await context.Error.WriteLineAsync($"bench: archived {messages:N0} messages with {Images} photos");
            }

            // The import's peak is not the production's: reset the process's high-water mark (Linux) before each production.
            var source = new ExportSource.LegalHold(holdId);
            var pdf = await MeasureAsync(services, source, ExportFormat.Pdf, ct);
            var zip = await MeasureAsync(services, source, ExportFormat.Package, ct);
            if (args.Json)
            {
                await context.WriteJsonAsync(new
                {
                    messages,
                    images = Images,
                    pdf = new
                    {
                        seconds = Math.Round(pdf.Seconds, 2),
                        pages = pdf.Outcome.Pages,
                        pagesPerSecond = Math.Round((pdf.Outcome.Pages ?? 0) / pdf.Seconds),
                        megabytes = Math.Round(pdf.Outcome.Length / (1024.0 * 1024), 1),
                        peakWorkingSetMb = Math.Round(pdf.PeakMb, 1),
                        growthMb = Math.Round(pdf.GrowthMb, 1),
                        peakIsProductionOnly = pdf.PeakReset,
                    },
                    zip = new
                    {
                        seconds = Math.Round(zip.Seconds, 2),
                        files = zip.Outcome.Package?.Files,
                        messagesPerSecond = Math.Round(messages / zip.Seconds),
                        megabytes = Math.Round(zip.Outcome.Length / (1024.0 * 1024), 1),
                        peakWorkingSetMb = Math.Round(zip.PeakMb, 1),
                        growthMb = Math.Round(zip.GrowthMb, 1),
                        peakIsProductionOnly = zip.PeakReset,
                    },
                });
            }
            else
            {
                await context.Out.WriteLineAsync($"messages:            {messages:N0} ({Images} photos)");
                await context.Out.WriteLineAsync($"pdf:                 {pdf.Seconds:N2} s, {pdf.Outcome.Pages:N0} pages ({pdf.Outcome.Pages / pdf.Seconds:N0} pages/s), {pdf.Outcome.Length / (1024.0 * 1024):N1} MB, peak {pdf.PeakMb:N1} MB{(pdf.PeakReset ? "" : " (whole run)")}, +{pdf.GrowthMb:N1} MB over its start");
                await context.Out.WriteLineAsync($"zip:                 {zip.Seconds:N2} s, {zip.Outcome.Package?.Files:N0} files ({messages / zip.Seconds:N0} messages/s), {zip.Outcome.Length / (1024.0 * 1024):N1} MB, peak {zip.PeakMb:N1} MB{(zip.PeakReset ? "" : " (whole run)")}, +{zip.GrowthMb:N1} MB over its start");
            }

            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            BenchCommand.DeleteWork(work);
        }
    }

    /// <summary>An Android group export: mixed scripts and emoji, a photo every (messages / 200) lines, zipped with the photos.</summary>
    private static void Write(string zipPath, int messages)
    {
        var random = new Random(7);
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        var chat = new StringBuilder();
        var time = new DateTime(2026, 3, 2, 8, 0, 0);
        chat.Append("02/03/2026, 08:00 - Emma Employee created group \"Bench Markets\"\n");
        var every = messages / Images;
        var photo = 0;
        for (var m = 1; m < messages; m++)
        {
            time = time.AddSeconds(random.Next(20, 240));
            chat.Append(time.ToString("dd/MM/yyyy, HH:mm", CultureInfo.InvariantCulture)).Append(" - ").Append(Authors[random.Next(Authors.Length)]).Append(": ");
            if (m % every == 0 && photo < Images)
            {
                var name = $"IMG-{time:yyyyMMdd}-WA{photo:D4}.jpg";
                chat.Append(name).Append(" (file attached)\n");
                using var entry = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                entry.Write(Photo(photo++));
            }
            else
            {
                chat.Append(Bodies[random.Next(Bodies.Length)]);
                if (random.Next(8) == 0)
                {
                    chat.Append('\n').Append(Bodies[random.Next(Bodies.Length)]);
                }

                chat.Append('\n');
            }
        }

        using var writer = new StreamWriter(zip.CreateEntry("WhatsApp Chat with Bench Markets.txt").Open(), new UTF8Encoding(false));
        writer.Write(chat);
    }

    /// <summary>A 1024×768 JPEG of its own (a phone photo's proportions), different for each number.</summary>
    private static byte[] Photo(int number)
    {
        using var bitmap = new SKBitmap(1024, 768);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor((byte)(number * 37), (byte)(number * 91), (byte)(number * 13)));
            using var paint = new SKPaint { Color = SKColors.White, IsAntialias = true };
            canvas.DrawCircle(200 + number, 300, 120, paint);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 80);
        return data.ToArray();
    }

    /// <summary>
    /// One production, timed, with the process's peak working set during it and its growth over the working set it
    /// started from. The import's leftovers are released first (SQLite's pooled connections, the managed heap, free
    /// native pages) so that the start is what a portal process holds between productions.
    /// </summary>
    private static async Task<(ExportOutcome Outcome, double Seconds, double PeakMb, double GrowthMb, bool PeakReset)> MeasureAsync(
        IServiceProvider services, ExportSource source, ExportFormat format, CancellationToken ct)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        NativeHeap.Trim();
        var reset = TryResetPeak();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var start = process.WorkingSet64;
        var watch = Stopwatch.StartNew();
        var outcome = await services.GetRequiredService<ExportService>().WriteAsync(
            source, format, new ExportSettings("Europe/London", "BENCH-"), Stream.Null, AuditActor.CommandLine, ct: ct);
        watch.Stop();
        process.Refresh();
        return (outcome, watch.Elapsed.TotalSeconds, process.PeakWorkingSet64 / (1024.0 * 1024), (process.PeakWorkingSet64 - start) / (1024.0 * 1024), reset);
    }

    /// <summary>Resets the process's peak working set (Linux), so the next peak read is of what follows.</summary>
    internal static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
