using System.Globalization;
using System.Text;
using ComplianceHub.Core.Common;
using SkiaSharp;

namespace ComplianceHub.Core.Pdf;

/// <summary>
/// The typefaces of one document: the body family (Noto Sans, else DejaVu Sans) in regular and bold, and for a
/// character the body family lacks, the system's best match through fontconfig (Noto Sans Arabic, Devanagari, CJK…).
/// Emoji, and any cluster asking for emoji presentation (U+FE0F), come from the colour emoji font.
/// </summary>
internal sealed class FontFallback : IDisposable
{
    private static readonly string[] BodyFamilies = ["Noto Sans", "DejaVu Sans", "Liberation Sans"];
    private const string EmojiFamily = "Noto Color Emoji";

    private readonly SKFontManager _manager = SKFontManager.Default;
    private readonly SKTypeface _regular;
    private readonly SKTypeface _bold;
    private readonly SKTypeface? _emoji;
    private readonly Dictionary<(int CodePoint, bool Bold), SKTypeface> _matches = [];
    private readonly Dictionary<SKTypeface, SKFont> _probes = [];
    private readonly Dictionary<(SKTypeface Typeface, int CodePoint), bool> _coverage = [];
    private readonly bool[] _asciiCovered = new bool[2];
    private readonly List<SKTypeface> _owned = [];

    public FontFallback()
    {
        _regular = Family(BodyFamilies, SKFontStyle.Normal) ?? SKTypeface.Default;
        _bold = Family([_regular.FamilyName], SKFontStyle.Bold) ?? _regular;
        _emoji = Family([EmojiFamily], SKFontStyle.Normal);
        _asciiCovered[0] = Enumerable.Range('!', '~' - '!' + 1).All(c => Has(_regular, c));
        _asciiCovered[1] = Enumerable.Range('!', '~' - '!' + 1).All(c => Has(_bold, c));
    }

    /// <summary>Whether the body face has every printable ASCII character: then an ASCII word is one run in it, with no lookup per character.</summary>
    public bool BodyCoversAscii(bool bold) => _asciiCovered[bold ? 1 : 0];

    public SKTypeface Body(bool bold) => bold ? _bold : _regular;

    /// <summary>
    /// The typeface for one grapheme cluster (a character with its marks, or an emoji sequence). Punctuation, digits
    /// and symbols stay in <paramref name="previous"/>'s typeface when it has them, so "שלום," is one run shaped in
    /// one direction rather than a Hebrew run and a Latin comma.
    /// </summary>
    public SKTypeface For(ReadOnlySpan<char> cluster, bool bold, SKTypeface? previous = null)
    {
        Rune.DecodeFromUtf16(cluster, out var first, out _);
        if (_emoji is not null && (TextCharacters.IsEmoji(first) || cluster.Contains('\uFE0F')) && Has(_emoji, first.Value))
        {
            return _emoji;
        }

        if (previous is not null && !ReferenceEquals(previous, _emoji) && !Rune.IsLetter(first) && Has(previous, first.Value))
        {
            return previous;
        }

        var body = Body(bold);
        if (Has(body, first.Value) || Rune.IsWhiteSpace(first) || Rune.GetUnicodeCategory(first) is UnicodeCategory.Format or UnicodeCategory.Control)
        {
            return body;
        }

        var key = (first.Value, bold);
        if (!_matches.TryGetValue(key, out var match))
        {
            match = _manager.MatchCharacter(body.FamilyName, bold ? SKFontStyleWeight.Bold : SKFontStyleWeight.Normal,
                SKFontStyleWidth.Normal, SKFontStyleSlant.Upright, null, first.Value) ?? body;
            if (!ReferenceEquals(match, body))
            {
                _owned.Add(match);
            }

            _matches[key] = match;
        }

        return match;
    }

    public void Dispose()
    {
        foreach (var probe in _probes.Values)
        {
            probe.Dispose();
        }

        foreach (var typeface in _owned.Distinct())
        {
            typeface.Dispose();
        }
    }

    private bool Has(SKTypeface typeface, int codePoint)
    {
        if (_coverage.TryGetValue((typeface, codePoint), out var has))
        {
            return has;
        }

        if (!_probes.TryGetValue(typeface, out var probe))
        {
            probe = new SKFont(typeface);
            _probes[typeface] = probe;
        }

        has = probe.GetGlyph(codePoint) != 0;
        _coverage[(typeface, codePoint)] = has;
        return has;
    }

    /// <summary>The first of <paramref name="families"/> installed (FromFamilyName silently substitutes, so the name is checked).</summary>
    private SKTypeface? Family(IEnumerable<string> families, SKFontStyle style)
    {
        foreach (var family in families)
        {
            var typeface = SKTypeface.FromFamilyName(family, style);
            if (typeface is not null && string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase))
            {
                _owned.Add(typeface);
                return typeface;
            }

            typeface?.Dispose();
        }

        return null;
    }
}
