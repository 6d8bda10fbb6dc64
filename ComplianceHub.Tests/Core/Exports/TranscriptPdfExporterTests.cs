using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Search;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;
using UglyToad.PdfPig;

namespace ComplianceHub.Tests.Core.Exports;

/// <summary>
/// A legal hold's transcript, read back: the cover's counts and section hashes equal to those recomputed from the
/// archive, the contents' page numbers right, Bates numbers sequential, every message there in its script, the
/// photo embedded, notices set apart.
/// </summary>
public abstract partial class TranscriptPdfExporterTests(DatabaseProvider provider) : IDisposable
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.1.2.3");
    private static readonly DateTimeOffset Produced = new(2026, 11, 30, 16, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ExportFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static readonly string[] Bodies =
    [
        "Can you confirm 50 lots at 167.20?",
        "مرحبا بكم في المكتب غدا",
        "नमस्ते, क्या हाल है? कृपया पुष्टि करें",
        "我们明天见，请确认订单",
        "Привет, встреча в пятницу",
        "Deal 👍🏽 done",
    ];

    private async Task<(TestHost Host, long HoldId)> ArchiveAsync()
    {
        var host = await TestHost.StartAsync(provider);
        var imports = host.Get<ExportImportService>();
        var photo = Jpeg();
        var direct = new StringBuilder();
        direct.Append("02/03/2026, 08:59 - Messages and calls are end-to-end encrypted. No one outside of this chat can read them.\n");
        for (var i = 0; i < Bodies.Length; i++)
        {
            direct.Append(CultureInfo.InvariantCulture, $"02/03/2026, 09:{i:00} - {(i % 2 == 0 ? "Omar Khan" : "Alex Kim")}: {Bodies[i]}\n");
        }

        direct.Append("03/03/2026, 10:15 - Omar Khan: IMG-20260303-WA0001.jpg (file attached)\nsigned term sheet\n");
        direct.Append("03/03/2026, 10:16 - Alex Kim: This message was deleted\n");
        await imports.ImportAsync(_files.Zip("WhatsApp Chat with Omar Khan.zip", "WhatsApp Chat with Omar Khan.txt", direct.ToString(),
            ("IMG-20260303-WA0001.jpg", photo)), "WhatsApp Chat with Omar Khan.zip", new ImportOptions("Europe/London", "alex.kim@example.com"), Officer, ct: Ct);

        var group = new StringBuilder("04/03/2026, 08:00 - Alex Kim created group \"Desk: Bund\"\n");
        for (var i = 0; i < 150; i++)
        {
            group.Append(CultureInfo.InvariantCulture, $"{new DateTime(2026, 3, 4, 8, 1, 0).AddMinutes(i * 7):dd/MM/yyyy, HH:mm} - {(i % 3) switch { 0 => "Alex Kim", 1 => "Sara Lee", _ => "Omar Khan" }}: bund order {i} {Bodies[i % Bodies.Length]}\n");
        }

        await imports.ImportAsync(_files.Text("WhatsApp Chat with Desk: Bund.txt", group.ToString()), "WhatsApp Chat with Desk: Bund.txt",
            new ImportOptions("Europe/London", "alex.kim@example.com"), Officer, ct: Ct);
        var holdId = await host.Get<LegalHoldService>().PlaceAsync(
            new LegalHoldDraft("Bund futures", "2026-017", "Bund trades on the desk", [], ["alex.kim@example.com"], null, null), Officer, Ct);
        return (host, holdId);
    }

    private async Task<(string Path, ResolvedExport Scope, PdfResultView Result, List<ExportProgress> Progress)> ExportAsync(TestHost host, long holdId)
    {
        await using var db = await host.CreateDbContextAsync();
        var scope = await ExportScope.ResolveAsync(db, new ExportSource.LegalHold(holdId), host.Get<MessageSearchService>(), Ct);
        var path = Path.Combine(_files.Directory, "transcript.pdf");
        var progress = new List<ExportProgress>();
        await using var file = File.Create(path);
        var result = await host.Get<TranscriptPdfExporter>().WriteAsync(
            scope, new TranscriptPdfOptions("Europe/London", "ACME-", 1, "officer@example.com", Produced), file, new Progress(progress), Ct);
        return (path, scope, new PdfResultView(result.PageCount, result.Anchors, result.LastBates), progress);
    }

    private sealed record PdfResultView(int PageCount, IReadOnlyDictionary<string, int> Anchors, string? LastBates);

    private sealed class Progress(List<ExportProgress> seen) : IProgress<ExportProgress>
    {
        public void Report(ExportProgress value) => seen.Add(value);
    }

    [Fact]
    public async Task AHoldsTranscript_HasTheCoverContentsAndSectionsItDescribes()
    {
        var (host, holdId) = await ArchiveAsync();
        await using var _ = host;

        var (path, scope, result, progress) = await ExportAsync(host, holdId);

        // The scope: both chats of the custodian, every message, counted as the cover says.
        scope.Sections.Select(s => s.Title).ShouldBe(["Omar Khan", "Desk: Bund"], ignoreOrder: true);
        scope.Messages.ShouldBe(Bodies.Length + 2 + 150);
        scope.Notices.ShouldBe(2);
        scope.Attachments.ShouldBe(1);
        var total = scope.Messages + scope.Notices;
        progress.ShouldBe([new ExportProgress(total, 2 * total), new ExportProgress(2 * total, 2 * total)]); // laid out, then drawn

        var text = await Poppler.TextAsync(path);
        var pages = text.Split('\f')[..result.PageCount];
        var flat = NoSpaces(text);
        pages[0].ShouldContain("Bund futures");
        pages[0].ShouldContain("2026-017");
        pages[0].ShouldContain("officer@example.com");
        pages[0].ShouldContain("2026-11-30 16:00:00 UTC");
        pages[0].ShouldContain("Europe/London");
        NoSpaces(pages[0]).ShouldContain($"ACME-000001toACME-{result.PageCount:D6}");
        result.LastBates.ShouldBe($"ACME-{result.PageCount:D6}");

        // Each section's hash is printed, and equals the one recomputed from the archive's chain hashes.
        await using var db = await host.CreateDbContextAsync();
        foreach (var section in scope.Sections)
        {
            var hashes = await db.ChatMessages.Where(m => m.ConversationId == section.ConversationId).OrderBy(m => m.SearchKey).Select(m => m.Hash).ToListAsync(Ct);
            section.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(hashes.Select(h => h + "\n"))))));
            flat.ShouldContain(section.Sha256);
            foreach (var hash in hashes)
            {
                flat.ShouldContain(hash);
            }

            // The contents give the page the section starts on.
            var page = result.Anchors[TranscriptPdfExporter.Anchor(section)];
            pages[page - 1].ShouldContain(section.Title);
            Regex.IsMatch(NoSpaces(pages[0]), $@"{Regex.Escape(NoSpaces(section.Title))}\.*{page}").ShouldBeTrue($"contents line for {section.Title}");
        }

        // Bates numbers: one per page, in order (the cover also names the range, before its own in the footer).
        for (var i = 0; i < pages.Length; i++)
        {
            Bates().Matches(pages[i]).Select(m => m.Value).ShouldBe(i == 0
                ? ["ACME-000001", $"ACME-{result.PageCount:D6}", "ACME-000001"]
                : [$"ACME-{i + 1:D6}"]);
            pages[i].ShouldContain($"Page {i + 1} of {result.PageCount}");
        }

        // Every message, in its script; the notice set apart; the deletion; the photo with its hash.
        foreach (var body in Bodies)
        {
            flat.ShouldContain(NoSpaces(body).Replace("\uFE0F", "", StringComparison.Ordinal));
        }

        flat.ShouldContain(NoSpaces("bund order 149"));
        flat.ShouldContain(NoSpaces("WhatsApp notice"));
        flat.ShouldContain(NoSpaces("This message was deleted"));
        var photo = await db.ChatAttachments.SingleAsync(Ct);
        flat.ShouldContain(photo.Sha256!);
        using var document = PdfDocument.Open(path);
        Enumerable.Range(1, document.NumberOfPages).Sum(n => document.GetPage(n).GetImages().Count()).ShouldBe(1);
        document.Information.Subject.ShouldBe("Bund futures · 2026-017");
    }

    private static byte[] Jpeg()
    {
        using var bitmap = new SKBitmap(320, 200);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(0x19, 0x76, 0xD2));
            using var paint = new SKPaint { Color = SKColors.White };
            canvas.DrawRect(40, 40, 240, 120, paint);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 85);
        return data.ToArray();
    }

    private static string NoSpaces(string text) => Whitespace().Replace(new string(text.Where(c => c is < '\u202A' or > '\u202E').ToArray()), "");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"ACME-\d{6}")]
    private static partial Regex Bates();
}

public sealed class SqliteTranscriptPdfExporterTests() : TranscriptPdfExporterTests(DatabaseProvider.Sqlite);

public sealed class PostgresTranscriptPdfExporterTests() : TranscriptPdfExporterTests(DatabaseProvider.Postgres);
