using System.Text;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace ComplianceHub.Core.Pdf;

/// <summary>
/// A run of text shaped by HarfBuzz in one typeface and one direction: glyphs in visual order with their offsets
/// from the run's start, and the UTF-8 text with each glyph's cluster, so the PDF keeps the text extractable.
/// </summary>
internal sealed record ShapedRun(SKTypeface Typeface, float Size, ushort[] Glyphs, SKPoint[] Positions, byte[] Utf8, uint[] Clusters, float Width);

/// <summary>
/// Shapes text with HarfBuzz: one <see cref="SKShaper"/> per typeface, and shaped words cached for the document
/// (a transcript repeats names, times and common words; the cache halves render time, stack-notes 2.8).
/// </summary>
internal sealed class TextShaper : IDisposable
{
    /// <summary>Shaped words kept at most (then the cache starts again): a long production's memory stays flat.</summary>
    private const int MaxCached = 50_000;

    private readonly Dictionary<SKTypeface, SKShaper> _shapers = [];
    private readonly Dictionary<(string Text, SKTypeface Typeface, float Size), ShapedRun> _cache = [];
    private readonly Dictionary<(SKTypeface Typeface, float Size), SKFont> _fonts = [];

    /// <summary>Shapes <paramref name="text"/> (one font, one direction: HarfBuzz guesses it from the script).</summary>
    public ShapedRun Shape(string text, SKTypeface typeface, float size)
    {
        if (IsPlainToken(text))
        {
            // Mostly unique (times, hashes) and cheap: not cached, so the cache holds the words that repeat.
            return ShapePlain(text, typeface, size, Font(typeface, size));
        }

        var key = (text, typeface, size);
        if (_cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        var font = Font(typeface, size);
        if (!_shapers.TryGetValue(typeface, out var shaper))
        {
            shaper = new SKShaper(typeface);
            _shapers[typeface] = shaper;
        }

        var utf8 = Encoding.UTF8.GetBytes(text);
        using var buffer = new HarfBuzzSharp.Buffer();
        buffer.AddUtf8(utf8);
        buffer.GuessSegmentProperties();

        // A number is read left to right in every script: Arabic-Indic digits belong to the Arabic script, and HarfBuzz
        // would lay "٩٩٫٢٥" out right to left from the script alone.
        if (!text.EnumerateRunes().Any(Rune.IsLetter))
        {
            buffer.Direction = HarfBuzzSharp.Direction.LeftToRight;
        }
        var result = shaper.Shape(buffer, font);
        var glyphs = new ushort[result.Codepoints.Length];
        for (var i = 0; i < glyphs.Length; i++)
        {
            glyphs[i] = (ushort)result.Codepoints[i];
        }

        var run = new ShapedRun(typeface, size, glyphs, result.Points, utf8, result.Clusters, result.Width);
        _cache[key] = run;
        return run;
    }

    /// <summary>
    /// Times, dates, numbers and hashes: printable ASCII with a digit and no letter beyond a–f. A transcript has several
    /// unique ones per message; they need no shaping (no ligatures, no marks, one direction), so their glyphs and advances
    /// are read straight from the font, one glyph per character.
    /// </summary>
    private static bool IsPlainToken(string text)
    {
        var digit = false;
        foreach (var c in text)
        {
            if (c is < '!' or > '~' || (char.IsAsciiLetter(c) && c is not (>= 'a' and <= 'f')))
            {
                return false;
            }

            digit |= char.IsAsciiDigit(c);
        }

        return digit;
    }

    private static ShapedRun ShapePlain(string text, SKTypeface typeface, float size, SKFont font)
    {
        var glyphs = new ushort[text.Length];
        font.GetGlyphs(text, glyphs);
        var widths = new float[glyphs.Length];
        font.GetGlyphWidths(glyphs, widths, []);
        var positions = new SKPoint[glyphs.Length];
        var clusters = new uint[glyphs.Length];
        var x = 0f;
        for (var i = 0; i < glyphs.Length; i++)
        {
            positions[i] = new SKPoint(x, 0);
            clusters[i] = (uint)i;
            x += widths[i];
        }

        return new ShapedRun(typeface, size, glyphs, positions, Encoding.ASCII.GetBytes(text), clusters, x);
    }

    /// <summary>The font for drawing and measuring a typeface at a size (subpixel positions, no hinting: a PDF is scaled).</summary>
    public SKFont Font(SKTypeface typeface, float size)
    {
        if (!_fonts.TryGetValue((typeface, size), out var font))
        {
            font = new SKFont(typeface, size) { Subpixel = true, Hinting = SKFontHinting.None, LinearMetrics = true };
            _fonts[(typeface, size)] = font;
        }

        return font;
    }

    public void Dispose()
    {
        foreach (var shaper in _shapers.Values)
        {
            shaper.Dispose();
        }

        foreach (var font in _fonts.Values)
        {
            font.Dispose();
        }
    }
}
