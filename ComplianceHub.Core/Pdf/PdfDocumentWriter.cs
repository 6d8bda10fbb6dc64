using SkiaSharp;

namespace ComplianceHub.Core.Pdf;

/// <summary>
/// The one PDF renderer (transcripts, receipts, certificates): A4 pages drawn with Skia from shaped, extractable text
/// runs, with font fallback, per-run direction, running header and footer, Bates numbers and PDF/A-2b metadata.
/// The producer runs twice (<see cref="IPdfContent.IsFinalPass"/>): a layout pass that counts pages and finds
/// anchors, then a drawing pass; pages are written as they are laid out, so memory does not grow with the document.
/// </summary>
public static class PdfDocumentWriter
{
    public static async Task<PdfResult> WriteAsync(
        Stream output, PdfDocumentOptions options, Func<IPdfContent, CancellationToken, Task> produce, CancellationToken ct = default)
    {
        using var fonts = new FontFallback();
        using var shaper = new TextShaper();
        var layout = new TextLayout(fonts, shaper);

        var counting = new Composer(options, layout, shaper, document: null, anchorsFromLayout: null);
        await produce(counting, ct);
        counting.Finish();

        var metadata = new SKDocumentPdfMetadata
        {
            Title = options.Info.Title,
            Author = options.Info.Author,
            Subject = options.Info.Subject,
            Keywords = options.Info.Keywords ?? "",
            Creator = options.Info.Author,
            Producer = "ComplianceHub",
            Creation = options.Info.CreatedAt.UtcDateTime,
            Modified = options.Info.CreatedAt.UtcDateTime,
            PdfA = true,
            EncodingQuality = 85,
            RasterDpi = 150,
        };

        // Drawn to temporary files (a chunk of pages each, see PdfChunks), joined into one; the bookmarks are appended to
        // the finished file (PdfOutline), which is then signed or copied out.
        using (var chunks = new PdfChunks(metadata, options.PagesPerChunk))
        await using (var merged = new FileStream(Path.Combine(Path.GetTempPath(), $"compliancehub-pdf-{Guid.NewGuid():N}.pdf"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose))
        {
            var drawing = new Composer(options, layout, shaper, chunks, counting.Anchors) { PageCount = counting.PageNumber };
            await produce(drawing, ct);
            drawing.Finish();
            if (drawing.PageNumber != counting.PageNumber)
            {
                throw new InvalidOperationException(
                    $"The document's content changed between its two passes ({counting.PageNumber} pages laid out, {drawing.PageNumber} drawn).");
            }

            var file = chunks.Finish(merged);
            PdfOutline.Append(file, counting.Bookmarks);
            if (options.Signature is { } signature)
            {
                // The signature covers the whole file, bookmarks included (PDFsharp rewrites it, then signs).
                await file.FlushAsync(ct);
                await PdfSigning.SignAsync(file, output, signature);
            }
            else
            {
                file.Position = 0;
                await file.CopyToAsync(output, ct);
            }
        }

        return new PdfResult(counting.PageNumber, counting.Anchors, options.Bates(1), options.Bates(counting.PageNumber));
    }

    /// <summary>A4 in points, margins and type sizes.</summary>
    private static class Page
    {
        public const float Width = 595.28f;
        public const float Height = 841.89f;
        public const float Margin = 50f;
        public const float Top = 64f;
        public const float Bottom = 64f;
        public const float ContentWidth = Width - (2 * Margin);
        public const float ContentHeight = Height - Top - Bottom;
    }

    private static class Colors
    {
        public static readonly SKColor Text = new(0x21, 0x21, 0x21);
        public static readonly SKColor Muted = new(0x61, 0x61, 0x61);
        public static readonly SKColor Rule = new(0xBD, 0xBD, 0xBD);
        public static readonly SKColor Notice = new(0xF3, 0xF3, 0xF3);
        public static readonly SKColor Quote = new(0x90, 0xA4, 0xAE);
        public static readonly SKColor Heading = new(0x0D, 0x47, 0xA1);
    }

    /// <summary>A slice of a block: its height, and how to draw it with its top-left at (x, y) (null while counting).</summary>
    private readonly record struct Row(float Height, Action<SKCanvas, float, float>? Draw);

    private sealed class Composer(
        PdfDocumentOptions options, TextLayout layout, TextShaper shaper, PdfChunks? document,
        IReadOnlyDictionary<string, int>? anchorsFromLayout) : IPdfContent
    {
        private readonly Dictionary<string, int> _anchors = new(StringComparer.Ordinal);
        private readonly List<(string Title, string Destination)> _bookmarks = [];
        private SKCanvas? _canvas;
        private float _y;
        private bool _atTop = true;

        public int PageNumber { get; private set; } = 1;
        public int PageCount { get; init; }
        public IReadOnlyDictionary<string, int> Anchors => _anchors;

        /// <summary>The headings with anchors, in order: the document's bookmarks.</summary>
        public IReadOnlyList<(string Title, string Destination)> Bookmarks => _bookmarks;
        public bool IsFinalPass => document is not null;
        public int CurrentPage => PageNumber;

        public int? PageOf(string anchor) => anchorsFromLayout is not null && anchorsFromLayout.TryGetValue(anchor, out var page) ? page : null;

        public void Heading(string text, int level = 1, string? anchor = null)
        {
            var size = level switch { 1 => 18f, 2 => 14f, _ => 11.5f };
            var rows = new List<Row> { Gap(level == 1 ? 4 : 8) };
            rows.AddRange(TextRows(text, size, bold: true, Colors.Heading, Page.ContentWidth, 0));
            rows.Add(Gap(4));

            // Keep a heading with the start of what follows: it moves to a new page unless there is room below it.
            if (!_atTop && Sum(rows) + 60 > Remaining)
            {
                NewPage();
            }

            if (anchor is not null)
            {
                Anchor(anchor);
                _bookmarks.Add((text, anchor));
            }

            Place(rows, keepTogether: true);
        }

        public void Paragraph(string text, PdfTextStyle style = PdfTextStyle.Body)
        {
            var (size, bold, color) = Style(style);
            var rows = TextRows(text, size, bold, color, Page.ContentWidth, 0);
            rows.Add(Gap(style == PdfTextStyle.Body ? 5 : 2));
            Place(rows, keepTogether: false);
        }

        public void KeyValues(IReadOnlyList<KeyValuePair<string, string>> rows)
        {
            const float keyWidth = 150f;
            foreach (var (key, value) in rows)
            {
                var keyLines = layout.Wrap(key, 9.5f, bold: true, keyWidth - 10);
                var valueLines = layout.Wrap(value, 9.5f, bold: false, Page.ContentWidth - keyWidth);
                var count = Math.Max(keyLines.Count, valueLines.Count);
                var rowList = new List<Row>(count + 1);
                for (var i = 0; i < count; i++)
                {
                    var k = i < keyLines.Count ? keyLines[i] : null;
                    var v = i < valueLines.Count ? valueLines[i] : null;
                    rowList.Add(new Row(LineHeight(9.5f), IsFinalPass ? (canvas, x, y) =>
                    {
                        if (k is not null)
                        {
                            DrawLine(canvas, k, x, y, 9.5f, Colors.Muted, keyWidth - 10);
                        }

                        if (v is not null)
                        {
                            DrawLine(canvas, v, x + keyWidth, y, 9.5f, Colors.Text, Page.ContentWidth - keyWidth);
                        }
                    }
                    : null));
                }

                rowList.Add(Gap(3));
                Place(rowList, keepTogether: true);
            }

            Space(4);
        }

        public void ContentsEntry(string text, string anchor, int level = 1)
        {
            const float pageColumn = 40f;
            var indent = (level - 1) * 14f;
            var size = level == 1 ? 10.5f : 9.5f;
            var lines = layout.Wrap(text, size, bold: level == 1, Page.ContentWidth - indent - pageColumn - 12);
            var page = PageOf(anchor);
            var rows = new List<Row>();
            for (var i = 0; i < lines.Count; i++)
            {
                var line = lines[i];
                var last = i == lines.Count - 1;
                rows.Add(new Row(LineHeight(size), IsFinalPass ? (canvas, x, y) =>
                {
                    DrawLine(canvas, line, x + indent, y, size, Colors.Text, Page.ContentWidth - indent - pageColumn - 12);
                    if (last && page is { } number)
                    {
                        var label = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        var labelLine = layout.Wrap(label, size, bold: false, pageColumn)[0];
                        DrawLine(canvas, labelLine, x + Page.ContentWidth - labelLine.Width, y, size, Colors.Text, labelLine.Width);
                        using var dots = new SKPaint { Color = Colors.Rule, StrokeWidth = 0.8f, PathEffect = SKPathEffect.CreateDash([1f, 3f], 0) };
                        var baseline = y + Ascent(size);
                        canvas.DrawLine(x + indent + line.Width + 6, baseline, x + Page.ContentWidth - labelLine.Width - 6, baseline, dots);
                    }

                    canvas.DrawLinkDestinationAnnotation(SKRect.Create(x + indent, y, Page.ContentWidth - indent, LineHeight(size)), anchor);
                }
                : null));
            }

            rows.Add(Gap(2));
            Place(rows, keepTogether: true);
        }

        public void Separator(string text)
        {
            var line = layout.Wrap(text, 8.5f, bold: true, Page.ContentWidth)[0];
            var rows = new List<Row>
            {
                Gap(6),
                new(LineHeight(8.5f), IsFinalPass ? (canvas, x, y) =>
                {
                    var left = x + ((Page.ContentWidth - line.Width) / 2);
                    DrawLine(canvas, line, left, y, 8.5f, Colors.Muted, line.Width);
                    using var paint = new SKPaint { Color = Colors.Rule, StrokeWidth = 0.6f };
                    var middle = y + (LineHeight(8.5f) / 2);
                    canvas.DrawLine(x, middle, left - 8, middle, paint);
                    canvas.DrawLine(left + line.Width + 8, middle, x + Page.ContentWidth, middle, paint);
                }
                : null),
                Gap(4),
            };

            // A date label is never left alone at the foot of a page.
            if (!_atTop && Sum(rows) + 40 > Remaining)
            {
                NewPage();
            }

            Place(rows, keepTogether: true);
        }

        public void Message(PdfMessage message)
        {
            const float indent = 10f;
            var width = Page.ContentWidth - indent;
            var rows = new List<Row>();
            var background = message.IsNotice ? Colors.Notice : (SKColor?)null;

            // Sender on the left, time on the right; the time moves below a name too long to share its line.
            var time = layout.Wrap(message.Time, 8f, bold: false, width)[0];
            var senderLines = layout.Wrap(message.Sender, 9.5f, bold: true, width);
            if (senderLines.Count == 1 && senderLines[0].Width + time.Width + 12 <= width)
            {
                var sender = senderLines[0];
                rows.Add(new Row(LineHeight(9.5f), IsFinalPass ? (canvas, x, y) =>
                {
                    Fill(canvas, background, x, y, LineHeight(9.5f));
                    // The name keeps its place on the left whatever its script; the time keeps the right.
                    DrawRuns(canvas, sender, x + indent, y + Ascent(9.5f), 9.5f, message.IsNotice ? Colors.Muted : Colors.Text);
                    DrawLine(canvas, time, x + Page.ContentWidth - time.Width - 2, y + 1.5f, 8f, Colors.Muted, time.Width);
                }
                : null));
            }
            else
            {
                rows.AddRange(TextRows(senderLines, 9.5f, message.IsNotice ? Colors.Muted : Colors.Text, width, indent, background));
                rows.AddRange(TextRows(layout.Wrap(message.Time, 8f, bold: false, width), 8f, Colors.Muted, width, indent, background));
            }

            if (message.Quote is { } quote)
            {
                rows.AddRange(TextRows(layout.Wrap(quote, 8.5f, bold: false, width - 12), 8.5f, Colors.Muted, width - 12, indent + 12, background, bar: true));
            }

            rows.AddRange(TextRows(layout.Wrap(message.Body, 10f, bold: false, width), 10f, message.IsNotice ? Colors.Muted : Colors.Text, width, indent, background));
            foreach (var note in message.Notes)
            {
                rows.AddRange(TextRows(layout.Wrap(note, 8.5f, bold: false, width), 8.5f, Colors.Muted, width, indent, background));
            }

            foreach (var image in message.Images)
            {
                rows.AddRange(ImageRows(image, 120, indent, background));
            }

            foreach (var line in message.SmallPrint)
            {
                rows.AddRange(TextRows(layout.Wrap(line, 6.5f, bold: false, width), 6.5f, Colors.Muted, width, indent, background));
            }

            rows.Add(Gap(7));
            Place(rows, keepTogether: true);
        }

        public void Image(PdfImage image, float maxHeight = 160)
        {
            var rows = ImageRows(image, maxHeight, 0, null);
            rows.Add(Gap(6));
            Place(rows, keepTogether: true);
        }

        public void Anchor(string name)
        {
            if (!_anchors.ContainsKey(name))
            {
                _anchors[name] = PageNumber;
            }

            if (document is not null)
            {
                EnsurePage();
                _canvas!.DrawNamedDestinationAnnotation(new SKPoint(Page.Margin, Page.Top + _y), name);
            }
        }

        public void Rule() => Place(
        [
            Gap(3),
            new Row(1, IsFinalPass ? (canvas, x, y) =>
            {
                using var paint = new SKPaint { Color = Colors.Rule, StrokeWidth = 0.8f };
                canvas.DrawLine(x, y + 0.5f, x + Page.ContentWidth, y + 0.5f, paint);
            }
            : null),
            Gap(5),
        ], keepTogether: true);

        public void Space(float points)
        {
            if (!_atTop)
            {
                Place([Gap(Math.Min(points, Remaining))], keepTogether: true);
            }
        }

        public void PageBreak()
        {
            if (!_atTop)
            {
                NewPage();
            }
        }

        /// <summary>Ends the last page.</summary>
        public void Finish()
        {
            if (document is not null)
            {
                EnsurePage();
                EndPage();
            }
        }

        private float Remaining => Page.ContentHeight - _y;

        /// <summary>
        /// Places a block's rows: on this page if they fit; a block kept together that would not fit starts a new
        /// page if it fits on one; anything longer flows row by row.
        /// </summary>
        private void Place(List<Row> rows, bool keepTogether)
        {
            var total = Sum(rows);
            if (keepTogether && !_atTop && total > Remaining && total <= Page.ContentHeight)
            {
                NewPage();
            }

            foreach (var row in rows)
            {
                if (row.Height > Remaining && !_atTop)
                {
                    NewPage();
                }

                if (row.Draw is { } draw)
                {
                    EnsurePage();
                    draw(_canvas!, Page.Margin, Page.Top + _y);
                }

                _y += row.Height;
                _atTop = false;
            }
        }

        private void NewPage()
        {
            if (document is not null)
            {
                EnsurePage();
                EndPage();
            }

            PageNumber++;
            _y = 0;
            _atTop = true;
        }

        private void EnsurePage() => _canvas ??= document!.BeginPage(Page.Width, Page.Height);

        /// <summary>Draws the running header and footer and closes the page.</summary>
        private void EndPage()
        {
            var canvas = _canvas!;
            var page = new PdfPageInfo(PageNumber, PageCount, options.Bates(PageNumber));
            var running = options.Running?.Invoke(page)
                ?? new PdfRunningText(FooterLeft: $"Page {page.Number} of {page.Count}", FooterRight: page.Bates);
            using (var paint = new SKPaint { Color = Colors.Rule, StrokeWidth = 0.6f })
            {
                canvas.DrawLine(Page.Margin, Page.Top - 14, Page.Width - Page.Margin, Page.Top - 14, paint);
                canvas.DrawLine(Page.Margin, Page.Height - Page.Bottom + 14, Page.Width - Page.Margin, Page.Height - Page.Bottom + 14, paint);
            }

            var header = Page.Top - 30;
            var footer = Page.Height - Page.Bottom + 20;
            Running(canvas, running.HeaderLeft, header, align: 0, bold: false);
            Running(canvas, running.HeaderRight, header, align: 2, bold: false);
            Running(canvas, running.FooterLeft, footer, align: 0, bold: false);
            Running(canvas, running.FooterCenter, footer, align: 1, bold: false);
            Running(canvas, running.FooterRight, footer, align: 2, bold: true);
            document!.EndPage();
            _canvas = null;
        }

        private void Running(SKCanvas canvas, string? text, float y, int align, bool bold)
        {
            if (string.IsNullOrEmpty(text))
            {
                return;
            }

            var line = layout.Wrap(text, 8f, bold, Page.ContentWidth / 2)[0];
            var x = align switch
            {
                0 => Page.Margin,
                1 => (Page.Width - line.Width) / 2,
                _ => Page.Width - Page.Margin - line.Width,
            };
            DrawRuns(canvas, line, x, y + Ascent(8f), 8f, bold ? Colors.Text : Colors.Muted);
        }

        private List<Row> TextRows(string text, float size, bool bold, SKColor color, float width, float indent) =>
            TextRows(layout.Wrap(text, size, bold, width), size, color, width, indent, null);

        private List<Row> TextRows(List<LaidLine> lines, float size, SKColor color, float width, float indent, SKColor? background, bool bar = false)
        {
            var rows = new List<Row>(lines.Count);
            foreach (var line in lines)
            {
                rows.Add(new Row(LineHeight(size), IsFinalPass ? (canvas, x, y) =>
                {
                    Fill(canvas, background, x, y, LineHeight(size));
                    if (bar)
                    {
                        using var paint = new SKPaint { Color = Colors.Quote, StrokeWidth = 2f };
                        canvas.DrawLine(x + indent - 7, y, x + indent - 7, y + LineHeight(size), paint);
                    }

                    DrawLine(canvas, line, x + indent, y, size, color, width);
                }
                : null));
            }

            return rows;
        }

        private List<Row> ImageRows(PdfImage image, float maxHeight, float indent, SKColor? background)
        {
            var rows = new List<Row>();
            var maxWidth = Page.ContentWidth - indent;
            using (var codec = SKCodec.Create(new SKMemoryStream(image.Encoded)))
            {
                if (codec is null)
                {
                    rows.AddRange(TextRows(layout.Wrap("[image could not be read]", 8.5f, bold: false, maxWidth), 8.5f, Colors.Muted, maxWidth, indent, background));
                }
                else
                {
                    var scale = Math.Min(1f, Math.Min(maxWidth / codec.Info.Width, maxHeight / codec.Info.Height));
                    var (w, h) = (codec.Info.Width * scale, codec.Info.Height * scale);
                    rows.Add(new Row(h + 4, IsFinalPass ? (canvas, x, y) =>
                    {
                        Fill(canvas, background, x, y, h + 4);
                        using var thumbnail = Thumbnail(image.Encoded, w, h);
                        if (thumbnail is not null)
                        {
                            canvas.DrawImage(thumbnail, SKRect.Create(x + indent, y + 2, w, h), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
                        }
                    }
                    : null));
                }
            }

            if (image.Caption is { } caption)
            {
                rows.AddRange(TextRows(layout.Wrap(caption, 7.5f, bold: false, maxWidth), 7.5f, Colors.Muted, maxWidth, indent, background));
            }

            return rows;
        }

        /// <summary>
        /// The image decoded and scaled to twice its size on the page (a thumbnail, not the original's pixels). A JPEG is
        /// decoded straight at a reduced scale where the codec can (a phone photo at 1/4 or 1/8), which is most of the cost.
        /// </summary>
        private static SKImage? Thumbnail(byte[] encoded, float width, float height)
        {
            using var codec = SKCodec.Create(new SKMemoryStream(encoded));
            if (codec is null)
            {
                return null;
            }

            var target = new SKSizeI(Math.Max(1, (int)(width * 2)), Math.Max(1, (int)(height * 2)));
            var scale = Math.Min(1f, Math.Max((float)target.Width / codec.Info.Width, (float)target.Height / codec.Info.Height));
            var size = codec.GetScaledDimensions(scale);
            if (size.Width < target.Width || size.Height < target.Height)
            {
                size = codec.Info.Size;
            }

            using var decoded = new SKBitmap(new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
            var result = codec.GetPixels(decoded.Info, decoded.GetPixels());
            if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            {
                return null;
            }

            if (decoded.Width <= target.Width)
            {
                return SKImage.FromBitmap(decoded);
            }

            using var scaled = decoded.Resize(new SKImageInfo(target.Width, target.Height, SKColorType.Rgba8888, SKAlphaType.Premul),
                new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
            return scaled is null ? SKImage.FromBitmap(decoded) : SKImage.FromBitmap(scaled);
        }

        private void DrawLine(SKCanvas canvas, LaidLine line, float x, float top, float size, SKColor color, float width)
        {
            var left = line.RightToLeft ? x + width - line.Width : x;
            DrawRuns(canvas, line, left, top + Ascent(size), size, color);
        }

        /// <summary>
        /// The line as one text blob of positioned runs, each carrying its UTF-8 text and clusters, so the text can be
        /// selected and extracted.
        /// </summary>
        private void DrawRuns(SKCanvas canvas, LaidLine line, float left, float baseline, float size, SKColor color)
        {
            using var builder = new SKTextBlobBuilder();
            var any = false;
            foreach (var (run, offset) in line.Runs)
            {
                if (run.Glyphs.Length == 0)
                {
                    continue;
                }

                var buffer = builder.AllocatePositionedTextRun(shaper.Font(run.Typeface, run.Size), run.Glyphs.Length, run.Utf8.Length);
                buffer.SetGlyphs(run.Glyphs);
                var positions = buffer.Positions;
                for (var i = 0; i < run.Positions.Length; i++)
                {
                    positions[i] = new SKPoint(run.Positions[i].X + offset, run.Positions[i].Y);
                }

                buffer.SetText(run.Utf8);
                buffer.SetClusters(run.Clusters);
                any = true;
            }

            if (!any)
            {
                return;
            }

            using var blob = builder.Build();
            if (blob is not null)
            {
                canvas.DrawText(blob, left, baseline, Paint(color));
            }
        }

        private readonly Dictionary<SKColor, SKPaint> _paints = [];

        private SKPaint Paint(SKColor color)
        {
            if (!_paints.TryGetValue(color, out var paint))
            {
                paint = new SKPaint { Color = color, IsAntialias = true };
                _paints[color] = paint;
            }

            return paint;
        }

        private static void Fill(SKCanvas canvas, SKColor? color, float x, float y, float height)
        {
            if (color is { } fill)
            {
                using var paint = new SKPaint { Color = fill };
                canvas.DrawRect(SKRect.Create(x, y, Page.ContentWidth, height), paint);
            }
        }

        private static (float Size, bool Bold, SKColor Color) Style(PdfTextStyle style) => style switch
        {
            PdfTextStyle.Bold => (10f, true, Colors.Text),
            PdfTextStyle.Muted => (9f, false, Colors.Muted),
            PdfTextStyle.Small => (7f, false, Colors.Muted),
            PdfTextStyle.Code => (7f, false, Colors.Text),
            _ => (10f, false, Colors.Text),
        };

        private static Row Gap(float height) => new(height, null);

        private static float Sum(List<Row> rows) => rows.Sum(r => r.Height);

        private static float LineHeight(float size) => size * 1.45f;

        private static float Ascent(float size) => size * 1.08f;
    }
}
