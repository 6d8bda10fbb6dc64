using System.Globalization;
using System.Text;

namespace ComplianceHub.Core.Common;

/// <summary>Invisible and space characters that WhatsApp text carries (whatsapp-formats.md §1.3), for every feature that reads it.</summary>
public static class TextCharacters
{
    /// <summary>Characters stripped before matching: LRM, RLM, embeddings, isolates, BOM.</summary>
    public static bool IsDirectionalMark(char c) =>
        c is '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\uFEFF';

    /// <summary><paramref name="text"/> without the directional marks it starts with.</summary>
    public static ReadOnlySpan<char> TrimLeadingDirectionalMarks(ReadOnlySpan<char> text)
    {
        var start = 0;
        while (start < text.Length && IsDirectionalMark(text[start]))
        {
            start++;
        }

        return text[start..];
    }

    /// <summary>Space, NBSP (U+00A0) and NNBSP (U+202F) all separate words and header parts.</summary>
    public static bool IsSpace(char c) => c is ' ' or '\u00A0' or '\u202F' or '\t';

    /// <summary>
    /// An emoji's own code point (pictographs, symbols and arrows of the emoji blocks, skin-tone modifiers): what
    /// search indexes as a term and what documents draw from the colour emoji font.
    /// </summary>
    public static bool IsEmoji(Rune rune) => rune.Value switch
    {
        >= 0x1F3FB and <= 0x1F3FF => true, // skin tones (modifier symbols)
        >= 0x2190 and <= 0x2BFF or >= 0x1F000 and <= 0x1FAFF => Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherSymbol,
        _ => false,
    };
}
