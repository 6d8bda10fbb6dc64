using System.Globalization;
using System.Text;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Core.Pdf;

/// <summary>A shaped run placed on a line, <see cref="X"/> points from the line's left edge.</summary>
internal readonly record struct PlacedRun(ShapedRun Run, float X);

/// <summary>One laid-out line: its runs left to right, its width, and whether it belongs to a right-to-left paragraph (right-aligned).</summary>
internal sealed record LaidLine(IReadOnlyList<PlacedRun> Runs, float Width, bool RightToLeft);

/// <summary>
/// Wraps text into lines: words split at spaces, each cut into runs by font (fallback per grapheme cluster) and
/// shaped; greedy wrapping; and a word-level bidi that suits chat lines (stack-notes 2.8): the paragraph's
/// direction is its first strong character's, and runs of words of the other direction are reversed. A word too
/// long for a line (a hash, a link) is broken between clusters.
/// </summary>
internal sealed class TextLayout(FontFallback fonts, TextShaper shaper)
{
    private enum Direction
    {
        Neutral,
        LeftToRight,
        RightToLeft,
    }

    private sealed record Word(IReadOnlyList<ShapedRun> Runs, float Width, Direction Direction);

    /// <summary>The lines of <paramref name="text"/> at <paramref name="size"/> points within <paramref name="maxWidth"/>.</summary>
    public List<LaidLine> Wrap(string text, float size, bool bold, float maxWidth)
    {
        var lines = new List<LaidLine>();
        var space = shaper.Shape(" ", fonts.Body(bold), size).Width;
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var rightToLeft = DirectionOf(paragraph) == Direction.RightToLeft;
            var line = new List<Word>();
            var width = 0f;
            foreach (var word in Words(paragraph, size, bold, maxWidth))
            {
                var needed = line.Count == 0 ? word.Width : width + space + word.Width;
                if (line.Count > 0 && needed > maxWidth)
                {
                    lines.Add(Place(line, space, rightToLeft));
                    line.Clear();
                    needed = word.Width;
                }

                line.Add(word);
                width = needed;
            }

            lines.Add(Place(line, space, rightToLeft));
        }

        return lines;
    }

    /// <summary>The width of <paramref name="text"/> on one line.</summary>
    public float Measure(string text, float size, bool bold)
    {
        var space = shaper.Shape(" ", fonts.Body(bold), size).Width;
        var words = Words(text, size, bold, float.MaxValue).ToList();
        return words.Sum(w => w.Width) + (space * Math.Max(0, words.Count - 1));
    }

    private IEnumerable<Word> Words(string paragraph, float size, bool bold, float maxWidth)
    {
        var start = -1;
        for (var i = 0; i <= paragraph.Length; i++)
        {
            var boundary = i == paragraph.Length || TextCharacters.IsSpace(paragraph[i]);
            if (!boundary && start < 0)
            {
                start = i;
            }
            else if (boundary && start >= 0)
            {
                foreach (var piece in Pieces(paragraph[start..i], size, bold, maxWidth))
                {
                    yield return piece;
                }

                start = -1;
            }
        }
    }

    /// <summary>A word as one piece, or cut between clusters into pieces that each fit <paramref name="maxWidth"/>.</summary>
    private IEnumerable<Word> Pieces(string word, float size, bool bold, float maxWidth)
    {
        var whole = Shape(word, size, bold);
        if (whole.Width <= maxWidth)
        {
            yield return whole;
            yield break;
        }

        var start = 0;
        var width = 0f;
        var position = 0;
        while (position < word.Length)
        {
            var length = StringInfo.GetNextTextElementLength(word, position);
            var cluster = Shape(word.Substring(position, length), size, bold).Width;
            if (position > start && width + cluster > maxWidth)
            {
                yield return Shape(word[start..position], size, bold);
                start = position;
                width = 0;
            }

            width += cluster;
            position += length;
        }

        yield return Shape(word[start..], size, bold);
    }

    /// <summary>A word cut into runs of one typeface, shaped; for a right-to-left word, the runs in visual order.</summary>
    private Word Shape(string word, float size, bool bold)
    {
        // Printable ASCII in a body face that has it all: one run, no lookup per character (most of a transcript).
        if (fonts.BodyCoversAscii(bold) && IsPrintableAscii(word))
        {
            var run = shaper.Shape(word, fonts.Body(bold), size);
            return new Word([run], run.Width, DirectionOf(word));
        }

        var key = (word, size, bold);
        if (_words.TryGetValue(key, out var cached))
        {
            return cached;
        }

        if (_words.Count >= MaxCachedWords)
        {
            _words.Clear();
        }

        return _words[key] = ShapeMixed(word, size, bold);
    }

    private const int MaxCachedWords = 20_000;
    private readonly Dictionary<(string Word, float Size, bool Bold), Word> _words = [];

    private static bool IsPrintableAscii(string word)
    {
        foreach (var c in word)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A word with characters outside printable ASCII: each cluster's typeface (fallback, emoji), one run per typeface.</summary>
    private Word ShapeMixed(string word, float size, bool bold)
    {
        var runs = new List<ShapedRun>();
        var start = 0;
        SkiaSharp.SKTypeface? current = null;
        var position = 0;
        while (position < word.Length)
        {
            var length = StringInfo.GetNextTextElementLength(word, position);
            var typeface = fonts.For(word.AsSpan(position, length), bold, current);
            if (current is not null && !ReferenceEquals(typeface, current))
            {
                runs.Add(shaper.Shape(word[start..position], current, size));
                start = position;
            }

            current = typeface;
            position += length;
        }

        if (current is not null)
        {
            runs.Add(shaper.Shape(word[start..], current, size));
        }

        var direction = DirectionOf(word);
        if (direction == Direction.RightToLeft)
        {
            runs.Reverse();
        }

        return new Word(runs, runs.Sum(r => r.Width), direction);
    }

    /// <summary>
    /// Places one line's words: neutral words take the direction before them (the paragraph's at the start); runs
    /// of one direction are kept together, their words reversed when right-to-left, and the runs themselves reversed
    /// in a right-to-left paragraph.
    /// </summary>
    private static LaidLine Place(List<Word> words, float space, bool rightToLeft)
    {
        var groups = new List<(Direction Direction, List<Word> Words)>();
        var previous = rightToLeft ? Direction.RightToLeft : Direction.LeftToRight;
        foreach (var word in words)
        {
            var direction = word.Direction == Direction.Neutral ? previous : word.Direction;
            if (groups.Count == 0 || groups[^1].Direction != direction)
            {
                groups.Add((direction, []));
            }

            groups[^1].Words.Add(word);
            previous = direction;
        }

        if (rightToLeft)
        {
            groups.Reverse();
        }

        var placed = new List<PlacedRun>();
        var x = 0f;
        var first = true;
        foreach (var (direction, group) in groups)
        {
            var ordered = direction == Direction.RightToLeft ? Enumerable.Reverse(group) : group;
            foreach (var word in ordered)
            {
                if (!first)
                {
                    x += space;
                }

                first = false;
                foreach (var run in word.Runs)
                {
                    placed.Add(new PlacedRun(run, x));
                    x += run.Width;
                }
            }
        }

        return new LaidLine(placed, x, rightToLeft);
    }

    /// <summary>The direction of the first strong character: Hebrew, Arabic, Syriac, Thaana and N'Ko letters are right to left.</summary>
    private static Direction DirectionOf(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsLetter(rune))
            {
                continue;
            }

            return rune.Value switch
            {
                >= 0x0590 and <= 0x08FF => Direction.RightToLeft,
                >= 0xFB1D and <= 0xFDFF => Direction.RightToLeft,
                >= 0xFE70 and <= 0xFEFF => Direction.RightToLeft,
                >= 0x10800 and <= 0x10FFF => Direction.RightToLeft,
                >= 0x1E800 and <= 0x1EFFF => Direction.RightToLeft,
                _ => Direction.LeftToRight,
            };
        }

        return Direction.Neutral;
    }
}
