using System.Globalization;
using System.Text;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Core.Search;

/// <summary>One word of a text: where it stands in the original and the form it is indexed and matched under.</summary>
public readonly record struct SearchToken(int Start, int Length, string Term);

/// <summary>
/// The one tokenizer of archive search, used for indexing, for queries and for highlighting, so the
/// two database providers cannot disagree about what a word is: each is handed finished terms
/// (SQLite FTS5 tokenizes them again with <c>unicode61</c>, which leaves them as they are; PostgreSQL
/// gets a <c>tsvector</c> literal and never parses text).
/// <list type="bullet">
/// <item>A word is a run of letters, digits and combining marks; everything else separates words
/// (so "e-mail" is the two words "e mail", and an address is its parts).</item>
/// <item>Terms are lower-cased and compatibility-folded (full-width letters, ligatures), and accents
/// on Latin, Greek, Cyrillic, Hebrew and Arabic letters are removed ("creme" finds "Crème", Arabic
/// finds words with or without vowel marks). Letters that are not an accent plus a base, such as Ł or
/// ß, stay as they are. Indic vowel signs are kept: they are letters there.</item>
/// <item>Chinese and Japanese are written without spaces, so a run of Han or kana is indexed as
/// overlapping pairs of characters (bigrams), the usual approach for CJK search: 我们的世界 is
/// 我们 们的 的世 世界, and a query for 世界 (or for the whole run, as a phrase of its pairs) finds it.
/// A single character stands alone. So that one character finds every message holding it, the index also
/// stores each run's last character alone, after all the message's other terms (where it cannot come
/// between the terms of a phrase), and a query of one such character matches the terms it starts.
/// Korean is written with spaces and is tokenized as words.</item>
/// <item>An emoji is a word of its own, one term per code point: U+E000 (private use, so no typed word can
/// equal it and the index's tokenizer keeps it) and the code point in hex. Skin tones and the parts of a
/// joined sequence are terms too, so 👍 finds 👍🏽, and 👍🏽 or 👨‍💻 (typed as a query) is the phrase of its parts.
/// Joiners and variation selectors are not terms.</item>
/// <item>Words longer than <see cref="MaxTermLength"/> characters (keys, encoded blobs) are not indexed.</item>
/// </list>
/// </summary>
public static class SearchTokenizer
{
    public const int MaxTermLength = 100;

    /// <summary>Every word of <paramref name="text"/> with its span in the original.</summary>
    public static List<SearchToken> Tokenize(string text)
    {
        var sink = new ListSink();
        Scan(text, sink);
        return sink.Tokens;
    }

    /// <summary>The terms of <paramref name="text"/> joined by single spaces: what the index stores.</summary>
    public static string IndexText(string text)
    {
        // Called for every message of an import: one reused buffer per thread.
        var sink = t_textSink ??= new TextSink();
        sink.Clear();
        Scan(text, sink);
        return sink.ToIndexText();
    }

    /// <summary>What a message is found by: its text and its attachments' file names.</summary>
    public static string IndexText(string body, IEnumerable<string> fileNames)
    {
        var text = IndexText(body);
        foreach (var fileName in fileNames)
        {
            var name = IndexText(fileName);
            text = text.Length == 0 ? name : name.Length == 0 ? text : text + " " + name;
        }

        return text;
    }

    [ThreadStatic]
    private static TextSink? t_textSink;

    private static void Scan(string text, ITokenSink sink)
    {
        Span<char> emoji = stackalloc char[EmojiTermLength];
        var i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var width);
            if (IsCjk(rune))
            {
                i = ScanCjkRun(text, i, sink);
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                i = ScanWord(text, i, sink);
            }
            else if (TextCharacters.IsEmoji(rune))
            {
                sink.Add(i, width, EmojiTerm(rune, emoji));
                i += width;
            }
            else
            {
                i += width;
            }
        }
    }

    private static int ScanWord(string text, int start, ITokenSink sink)
    {
        var i = start;
        var ascii = true;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var width);
            if (IsCjk(rune) || !(Rune.IsLetterOrDigit(rune) || IsMark(rune)))
            {
                break;
            }

            ascii &= rune.IsAscii;
            i += width;
        }

        var length = i - start;
        if (length <= MaxTermLength)
        {
            var word = text.AsSpan(start, length);
            if (ascii)
            {
                Span<char> lower = stackalloc char[length];
                word.ToLowerInvariant(lower);
                sink.Add(start, length, lower);
            }
            else
            {
                sink.Add(start, length, Fold(word.ToString()));
            }
        }

        return i;
    }

    private static int ScanCjkRun(string text, int start, ITokenSink sink)
    {
        // Positions of the run's characters; a bigram spans two of them.
        Span<int> starts = stackalloc int[MaxTermLength + 1];
        var i = start;
        var count = 0;
        while (i < text.Length && count < MaxTermLength)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var width);
            if (!IsCjk(rune))
            {
                break;
            }

            starts[count++] = i;
            i += width;
        }

        starts[count] = i;
        if (count == 1)
        {
            sink.Add(start, i - start, text.AsSpan(start, i - start));
            return i;
        }

        for (var k = 0; k + 1 < count; k++)
        {
            var length = starts[k + 2] - starts[k];
            sink.Add(starts[k], length, text.AsSpan(starts[k], length));
        }

        // Every character but the last starts a pair; the last is kept alone for one-character searches.
        sink.AddRunEnd(text.AsSpan(starts[count - 1], i - starts[count - 1]));
        return i;
    }

    /// <summary>Compatibility decomposition, accents off letters of the alphabetic scripts, lower case, recomposed.</summary>
    private static string Fold(string word)
    {
        var decomposed = word.Normalize(NormalizationForm.FormKD);
        var builder = new StringBuilder(decomposed.Length);
        var lastBase = 0;
        var i = 0;
        while (i < decomposed.Length)
        {
            Rune.DecodeFromUtf16(decomposed.AsSpan(i), out var rune, out var width);
            i += width;
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark)
            {
                // Below U+0800: Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic, Syriac.
                if (lastBase < 0x0800)
                {
                    continue;
                }
            }
            else
            {
                lastBase = rune.Value;
            }

            builder.Append(Rune.ToLowerInvariant(rune).ToString());
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    private static bool IsMark(Rune rune) => Rune.GetUnicodeCategory(rune)
        is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    /// <summary>One Han or kana character: searched as the start of a term, so it finds its pairs and its run ends.</summary>
    internal static bool IsSingleCjkCharacter(string term) =>
        Rune.DecodeFromUtf16(term, out var rune, out var width) == System.Buffers.OperationStatus.Done && width == term.Length && IsCjk(rune);

    /// <summary>
    /// Pictographs and symbols shown as emoji: symbols (category So) in the blocks of dingbats, miscellaneous
    /// symbols, arrows and technical signs, and every symbol or skin tone from U+1F000 (emoticons, pictographs,
    /// transport, flags' regional indicators).
    /// </summary>
    private const int EmojiTermLength = 6;

    /// <summary>U+E000 then the code point in lower-case hex, e.g. "\uE0001f44d" for 👍.</summary>
    private static ReadOnlySpan<char> EmojiTerm(Rune rune, Span<char> term)
    {
        term[0] = '\uE000';
        rune.Value.TryFormat(term[1..], out var written, "x", CultureInfo.InvariantCulture);
        return term[..(1 + written)];
    }

    /// <summary>Han ideographs (with extensions and compatibility forms), hiragana and katakana.</summary>
    internal static bool IsCjk(Rune rune) => rune.Value switch
    {
        >= 0x3040 and <= 0x30FF => true, // hiragana, katakana
        >= 0x31F0 and <= 0x31FF => true, // katakana phonetic extensions
        >= 0x3400 and <= 0x4DBF => true, // extension A
        >= 0x4E00 and <= 0x9FFF => true, // unified ideographs
        >= 0xF900 and <= 0xFAFF => true, // compatibility ideographs
        >= 0xFF66 and <= 0xFF9F => true, // half-width katakana
        >= 0x20000 and <= 0x3134F => true, // extensions B to G
        _ => false,
    };

    private interface ITokenSink
    {
        void Add(int start, int length, ReadOnlySpan<char> term);

        /// <summary>The last character of a Chinese or Japanese run, for the index only.</summary>
        void AddRunEnd(ReadOnlySpan<char> character);
    }

    private sealed class ListSink : ITokenSink
    {
        public List<SearchToken> Tokens { get; } = [];

        public void Add(int start, int length, ReadOnlySpan<char> term) => Tokens.Add(new SearchToken(start, length, term.ToString()));

        public void AddRunEnd(ReadOnlySpan<char> character)
        {
        }
    }

    private sealed class TextSink : ITokenSink
    {
        private readonly StringBuilder _text = new();
        private readonly StringBuilder _runEnds = new();

        public void Add(int start, int length, ReadOnlySpan<char> term)
        {
            if (_text.Length > 0)
            {
                _text.Append(' ');
            }

            _text.Append(term);
        }

        public void AddRunEnd(ReadOnlySpan<char> character) => _runEnds.Append(' ').Append(character);

        public void Clear()
        {
            _text.Clear();
            _runEnds.Clear();
        }

        /// <summary>The terms, then the run ends: after the last term, no phrase can span them.</summary>
        public string ToIndexText() => _runEnds.Length == 0 ? _text.ToString()
            : _text.Length == 0 ? _runEnds.ToString(1, _runEnds.Length - 1) : _text.Append(_runEnds).ToString();
    }
}
