using System.Text;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Pdf;
using ComplianceHub.Tests.TestSupport;
using SkiaSharp;
using UglyToad.PdfPig;

namespace ComplianceHub.Tests.Core.Pdf;

/// <summary>
/// The one renderer, read back by two independent readers (PdfPig and poppler's pdftotext) and rendered by
/// pdftoppm: every script's text present and in order, Bates numbers sequential, contents pages right, properties set.
/// </summary>
public sealed partial class PdfDocumentWriterTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Created = new(2026, 11, 30, 14, 5, 0, TimeSpan.Zero);

    /// <summary>
    /// One line per script the issue names. The right-to-left lines have no lam-alef ligature (pdftotext returns it
    /// swapped) and no punctuation between words (pdftotext's own bidi splits such a line at the comma; the drawn
    /// order is checked by rendering).
    /// </summary>
    public static readonly (string Script, string Text)[] Samples =
    [
        ("Latin with diacritics", "Łódź i Đặng Thị Hương: crème brûlée"),
        ("Cyrillic", "Привет, как дела? Встреча в пятницу"),
        ("Arabic", "مرحبا بكم في المكتب غدا"),
        ("Hebrew", "שלום מה שלומך היום"),
        ("Devanagari", "नमस्ते, क्या हाल है? कृपया पुष्टि करें"),
        ("Thai", "สวัสดีครับ ยืนยันคำสั่งซื้อ"),
        ("Chinese", "我们明天见，请确认订单"),
        ("Japanese", "大丈夫です、明日確認します"),
        ("Korean", "안녕하세요, 주문을 확인해 주세요"),
        ("Emoji", "Deal 👍🏽 ❤️ team 👨‍👩‍👧 done"),
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("compliancehub-pdf-").FullName;

    /// <summary>Set COMPLIANCEHUB_KEEP_PDFS=1 to keep the documents (and pages rendered to PNG) for a look.</summary>
    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("COMPLIANCEHUB_KEEP_PDFS") == "1")
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"PDFs kept in {_directory}");
            return;
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static PdfDocumentOptions Options(string? batesPrefix = "ACME-", long batesStart = 41) => new()
    {
        Info = new PdfDocumentInfo("Transcript: Bund desk", "ComplianceHub", "Matter 2026-017 Bund futures", Created, "legal hold"),
        BatesPrefix = batesPrefix,
        BatesStart = batesStart,
        Running = page => new PdfRunningText(
            HeaderLeft: "Matter 2026-017 Bund futures", HeaderRight: "Confidential",
            FooterLeft: $"Page {page.Number} of {page.Count}", FooterRight: page.Bates),
    };

    private async Task<(string Path, PdfResult Result)> WriteAsync(string name, PdfDocumentOptions options, Func<IPdfContent, CancellationToken, Task> produce)
    {
        var path = Path.Combine(_directory, name);
        await using var file = File.Create(path);
        var result = await PdfDocumentWriter.WriteAsync(file, options, produce, Ct);
        return (path, result);
    }

    /// <summary>A cover with contents, then three conversations long enough to need several pages each.</summary>
    private static Task Transcript(IPdfContent pdf, CancellationToken ct)
    {
        pdf.Heading("Transcript: Bund desk");
        pdf.KeyValues([new("Matter", "2026-017 Bund futures"), new("Custodians", "alex.kim@example.com, سارة أحمد"), new("Time zone", "Europe/London")]);
        pdf.Heading("Contents", 2);
        foreach (var (name, anchor) in Conversations)
        {
            pdf.ContentsEntry(name, anchor);
        }

        foreach (var (name, anchor) in Conversations)
        {
            pdf.PageBreak();
            pdf.Heading(name, 2, anchor);
            pdf.Separator("Monday 2 March 2026");
            for (var i = 0; i < 40; i++)
            {
                var (_, text) = Samples[i % Samples.Length];
                pdf.Message(new PdfMessage(i % 3 == 0 ? "Omar Khan" : "عمر خان", $"09:{i:00} (08:{i:00} UTC)", $"{anchor} {i}: {text}")
                {
                    SmallPrint = [$"Export line {i + 1} · sha256 {new string('a', 64)}"],
                });
            }
        }

        return Task.CompletedTask;
    }

    private static readonly (string Name, string Anchor)[] Conversations =
        [("Conversation with Omar Khan", "conv-1"), ("Desk group: Bund", "conv-2"), ("Conversation with Sara", "conv-3")];

    [Fact]
    public async Task EveryScript_IsExtractableInOrder_ByPdfPigAndPdftotext()
    {
        var (path, result) = await WriteAsync("scripts.pdf", Options(), (pdf, ct) =>
        {
            foreach (var (script, text) in Samples)
            {
                pdf.Paragraph($"{script}: {text}");
            }

            pdf.Paragraph("Omar Khan: مرحبا بكم");
            pdf.Paragraph("السعر المستهدف ٩٩٫٢٥ من فضلك");
            return Task.CompletedTask;
        });

        result.PageCount.ShouldBe(1);
        var poppler = Normalize(await Poppler.TextAsync(path));
        foreach (var (script, text) in Samples)
        {
            // pdftotext guesses word breaks from gaps between glyphs; a Devanagari vowel sign drawn left of its
            // consonant reads to it as a gap ("कृ पया"), so that line is compared without spaces.
            var (expected, actual) = script == "Devanagari" ? (NoSpaces(text), NoSpaces(poppler)) : (Normalize(text), poppler);
            actual.ShouldContain(expected, customMessage: $"{script} as pdftotext reads it, in: {poppler}");
        }

        // An English name with an Arabic body reads in logical order: the name, then the Arabic words in their order.
        poppler.ShouldContain("Omar Khan: مرحبا بكم");

        // A number inside right-to-left text keeps its own left-to-right order (99.25 in Arabic-Indic digits); pdftotext
        // splits the line's words around it, so the number and the words are checked apart.
        poppler.ShouldContain("٩٩٫٢٥");
        poppler.ShouldNotContain("٥٢٫٩٩");
        poppler.ShouldContain("السعر المستهدف");
        poppler.ShouldContain("من فضلك");

        // PdfPig reads the ToUnicode maps and ignores /ActualText, so it is asked only for the scripts that map one to
        // one (a CJK glyph shared with a radical reads as the radical there: 见 as ⻅; pdftotext above reads them right);
        // a variation selector has no glyph of its own, so ❤️ reads as ❤ there.
        using var document = PdfDocument.Open(path);
        var pig = Normalize(document.GetPage(1).Text);
        foreach (var (script, text) in Samples.Where(s => s.Script is "Latin with diacritics" or "Cyrillic" or "Korean" or "Emoji"))
        {
            pig.ShouldContain(NoSpaces(text).Replace("\uFE0F", "", StringComparison.Ordinal), customMessage: $"{script} as PdfPig reads it");
        }

    }

    [Fact]
    public async Task BatesNumbers_AreSequentialAndUniqueAcrossPages_WithPageXOfY()
    {
        var (path, result) = await WriteAsync("bates.pdf", Options(), Transcript);

        result.PageCount.ShouldBeGreaterThan(6);
        result.FirstBates.ShouldBe("ACME-000041");
        result.LastBates.ShouldBe($"ACME-{40 + result.PageCount:D6}");
        using var document = PdfDocument.Open(path);
        document.NumberOfPages.ShouldBe(result.PageCount);
        var pages = (await Poppler.TextAsync(path)).Split('\f')[..result.PageCount];
        var seen = new List<string>();
        for (var i = 0; i < pages.Length; i++)
        {
            var bates = BatesNumber().Matches(pages[i]).Select(m => m.Value).ToList();
            bates.ShouldBe([$"ACME-{41 + i:D6}"], customMessage: $"page {i + 1}");
            seen.AddRange(bates);
            pages[i].ShouldContain($"Page {i + 1} of {result.PageCount}");
            pages[i].ShouldContain("Matter 2026-017 Bund futures");
        }

        seen.Distinct().Count().ShouldBe(result.PageCount);
    }

    [Fact]
    public async Task TheContents_GiveThePageEachConversationStartsOn()
    {
        var (path, result) = await WriteAsync("contents.pdf", Options(batesPrefix: null), Transcript);

        var pages = (await Poppler.TextAsync(path, "-layout")).Split('\f');
        foreach (var (name, anchor) in Conversations)
        {
            var page = result.Anchors[anchor];
            page.ShouldBeGreaterThan(1);
            pages[page - 1].ShouldContain(name);
            pages[page - 2].ShouldNotContain($"{anchor} 0:");
            Regex.IsMatch(pages[0], $@"{Regex.Escape(name)}[ .]*\s{page}\s*\n").ShouldBeTrue($"contents line for {name} on page 1:\n{pages[0]}");
        }

        // Each anchored heading is a bookmark to its page (appended to Skia's file as an incremental update).
        using var document = PdfDocument.Open(path);
        document.TryGetBookmarks(out var bookmarks).ShouldBeTrue();
        var nodes = bookmarks.Roots.Cast<UglyToad.PdfPig.Outline.DocumentBookmarkNode>().ToList();
        nodes.Select(n => n.Title).ShouldBe(Conversations.Select(c => c.Name));
        nodes.Select(n => n.PageNumber).ShouldBe(Conversations.Select(c => result.Anchors[c.Anchor]));
        Regex.IsMatch(await Poppler.RunAsync("pdfinfo", [path]), $@"Pages:\s+{result.PageCount}\n").ShouldBeTrue();
    }

    [Fact]
    public async Task ADocumentDrawnInChunks_IsOneDocument_TheSameAsDrawnWhole_WithItsDestinationsAndBookmarks()
    {
        var (whole, wholeResult) = await WriteAsync("whole.pdf", Options(), Transcript);
        var (chunked, result) = await WriteAsync("chunked.pdf", new PdfDocumentOptions
        {
            Info = Options().Info, BatesPrefix = "ACME-", BatesStart = 41, Running = Options().Running, PagesPerChunk = 2,
        }, Transcript);

        // Several Skia documents joined: the same pages, the same text, in one page tree.
        result.PageCount.ShouldBe(wholeResult.PageCount);
        result.PageCount.ShouldBeGreaterThan(6);
        (await Poppler.TextAsync(chunked)).ShouldBe(await Poppler.TextAsync(whole));
        using (var document = PdfDocument.Open(chunked))
        {
            document.NumberOfPages.ShouldBe(result.PageCount);
            document.TryGetBookmarks(out var bookmarks).ShouldBeTrue();
            bookmarks.Roots.Cast<UglyToad.PdfPig.Outline.DocumentBookmarkNode>().Select(n => n.PageNumber)
                .ShouldBe(Conversations.Select(c => result.Anchors[c.Anchor]));
        }

        // Every named destination (the contents' links go to them) points at its page, whichever part it was drawn in.
        var dests = await Poppler.RunAsync("pdfinfo", ["-dests", chunked]);
        foreach (var (_, anchor) in Conversations)
        {
            Regex.IsMatch(dests, $@"^\s*{result.Anchors[anchor]}\s.*""{anchor}""", RegexOptions.Multiline).ShouldBeTrue($"destination {anchor}:\n{dests}");
        }

        // A page from a later part renders.
        var png = await Poppler.RenderPageAsync(chunked, result.PageCount - 1, dpi: 40);
        new FileInfo(png).Length.ShouldBeGreaterThan(1000);

        // The joined document reads back in PDFsharp too: signed, pdfsig finds it valid.
        using var key = System.Security.Cryptography.RSA.Create(2048);
        using var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Chunk test", key,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(Created.AddDays(-1), Created.AddYears(1));
        var (signed, _) = await WriteAsync("chunked-signed.pdf", new PdfDocumentOptions
        {
            Info = Options().Info, Running = Options().Running, PagesPerChunk = 3, Signature = new PdfSignatureRequest(certificate, "Test", "Tests"),
        }, Transcript);
        (await Poppler.RunAsync("pdfsig", [signed])).ShouldContain("Signature Validation: Signature is Valid.");
    }

    [Fact]
    public async Task TheDocumentProperties_AndPdfAMetadata_AreWritten()
    {
        var (path, _) = await WriteAsync("properties.pdf", Options(), (pdf, ct) =>
        {
            pdf.Paragraph("Properties");
            return Task.CompletedTask;
        });

        using (var document = PdfDocument.Open(path))
        {
            document.Information.Title.ShouldBe("Transcript: Bund desk");
            document.Information.Author.ShouldBe("ComplianceHub");
            document.Information.Subject.ShouldBe("Matter 2026-017 Bund futures");
            document.Information.CreationDate.ShouldStartWith("D:20261130140500");
        }

        var raw = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(path, Ct));
        raw.ShouldContain("pdfaid:part");
        raw.ShouldContain("/OutputIntents");
        (await Poppler.RunAsync("pdffonts", [path])).ShouldNotContain("Type 3 ", Case.Sensitive, "body text is in embedded outline fonts");
    }

    [Fact]
    public async Task Emoji_AreDrawnInColour()
    {
        var (path, _) = await WriteAsync("emoji.pdf", Options(batesPrefix: null), (pdf, ct) =>
        {
            pdf.Paragraph("👍🏽 ❤️ 👨‍👩‍👧 🎉");
            return Task.CompletedTask;
        });

        // Rendered, the page has many strongly coloured pixels: everything else on it (text, rules) is grey.
        using var png = SKBitmap.Decode(await Poppler.RenderPageAsync(path, 1));
        var coloured = 0;
        for (var y = 0; y < png.Height; y++)
        {
            for (var x = 0; x < png.Width; x++)
            {
                var c = png.GetPixel(x, y);
                if (Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 80)
                {
                    coloured++;
                }
            }
        }

        coloured.ShouldBeGreaterThan(200);
    }

    [Fact]
    public async Task AMessagesImage_IsEmbeddedAsAThumbnail_WithItsCaption()
    {
        var (path, _) = await WriteAsync("image.pdf", Options(batesPrefix: null), (pdf, ct) =>
        {
            pdf.Message(new PdfMessage("Omar Khan", "09:00", "Signed term sheet attached") { Images = [new PdfImage(RedSquarePng(2000), "term-sheet.png · 1 KB")] });
            return Task.CompletedTask;
        });

        using var document = PdfDocument.Open(path);
        var image = document.GetPage(1).GetImages().ShouldHaveSingleItem();
        image.WidthInSamples.ShouldBeLessThan(2000);
        document.GetPage(1).Text.ShouldContain("term-sheet.png");
    }

    [Fact]
    public async Task AProducerThatWritesDifferentContentInItsTwoPasses_IsRefused()
    {
        var calls = 0;
        var ex = await Should.ThrowAsync<InvalidOperationException>(() => WriteAsync("unstable.pdf", Options(), (pdf, ct) =>
        {
            calls++;
            for (var i = 0; i < (calls == 1 ? 10 : 400); i++)
            {
                pdf.Paragraph($"Line {i}");
            }

            return Task.CompletedTask;
        }));

        ex.Message.ShouldContain("changed between its two passes");
    }

    private static byte[] RedSquarePng(int size = 64)
    {
        using var bitmap = new SKBitmap(size, size);
        bitmap.Erase(new SKColor(0xE5, 0x39, 0x35));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>
    /// Whitespace collapsed, so line breaks and pdftotext's spacing do not matter, and the embedding marks pdftotext
    /// wraps right-to-left text in (U+202A–U+202E) removed.
    /// </summary>
    private static string Normalize(string text) =>
        Whitespace().Replace(new string(text.Where(c => c is < '\u202A' or > '\u202E').ToArray()), " ").Trim();

    private static string NoSpaces(string text) => Whitespace().Replace(Normalize(text), "");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"ACME-\d{6}")]
    private static partial Regex BatesNumber();
}
