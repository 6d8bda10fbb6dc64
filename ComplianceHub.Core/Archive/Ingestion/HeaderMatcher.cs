using ComplianceHub.Core.Common;

namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// Recognises a message header at the start of a line, in either grammar (whatsapp-formats.md §1.2):
/// Android <c>DATE[,] TIME[ AMPM] - </c> and iOS <c>[DATE[,] TIME[ AMPM]] </c>, including time-first,
/// dotted times, <c>klo</c>, <c>a. m.</c> with NBSP/NNBSP, Arabic-Indic digits, Buddhist and Japanese-era
/// years. Works on a span with directional marks already removed; allocates nothing.
/// </summary>
internal static class HeaderMatcher
{
    /// <summary>Most characters allowed between the date and the time (", ", " klo ", "، ", ". ").</summary>
    private const int MaxDateTimeGap = 6;

    public static bool TryMatch(ReadOnlySpan<char> s, out HeaderParts header)
    {
        header = default;
        if (s.IsEmpty)
        {
            return false;
        }

        var i = 0;
        if (s[0] == '[')
        {
            header.Bracketed = true;
            i = 1;
        }

        var start = i;
        if (TryDate(s, ref i, ref header))
        {
            if (!SkipDateTimeGap(s, ref i) || !TryTime(s, ref i, ref header))
            {
                return false;
            }
        }
        else if (header.Bracketed)
        {
            // iOS Vietnamese: [21:41:35, 3/27/22]
            i = start;
            if (!TryTime(s, ref i, ref header))
            {
                return false;
            }

            if (i < s.Length && s[i] == ',')
            {
                i++;
            }

            while (i < s.Length && TextCharacters.IsSpace(s[i]))
            {
                i++;
            }

            if (!TryDate(s, ref i, ref header))
            {
                return false;
            }

            header.TimeFirst = true;
        }
        else
        {
            return false;
        }

        header.TimestampStart = start;
        header.TimestampEnd = i;
        return TryTerminator(s, ref i, ref header);
    }

    private static bool TryDate(ReadOnlySpan<char> s, ref int i, ref HeaderParts h)
    {
        var j = i;
        if (!TryNumber(s, ref j, 4, out h.A, out h.ADigits))
        {
            return false;
        }

        if (j >= s.Length || s[j] is not ('/' or '.' or '-'))
        {
            return false;
        }

        var separator = s[j++];
        SkipOneSpace(s, ref j);
        if (!TryNumber(s, ref j, 2, out h.B, out _))
        {
            return false;
        }

        if (j >= s.Length || s[j] != separator)
        {
            return false;
        }

        j++;
        SkipOneSpace(s, ref j);

        // Japanese era years: R4 (Reiwa), H31 (Heisei), S64 (Showa).
        h.Era = '\0';
        if (j < s.Length && s[j] is 'R' or 'H' or 'S')
        {
            h.Era = s[j++];
        }

        if (!TryNumber(s, ref j, 4, out h.C, out h.CDigits))
        {
            return false;
        }

        // Buddhist calendar: "2565 BE".
        h.Buddhist = false;
        if (j + 2 < s.Length && TextCharacters.IsSpace(s[j]) && s[j + 1] == 'B' && s[j + 2] == 'E')
        {
            h.Buddhist = true;
            j += 3;
        }

        // Croatian style closes the date with a period: "13. 6. 2018."
        if (separator == '.' && j < s.Length && s[j] == '.')
        {
            j++;
        }

        h.DateSeparator = separator;
        i = j;
        return true;
    }

    private static bool SkipDateTimeGap(ReadOnlySpan<char> s, ref int i)
    {
        var gap = 0;
        while (i < s.Length && !IsDigit(s[i]) && gap <= MaxDateTimeGap)
        {
            if (s[i] is '[' or ']' or '\n')
            {
                return false;
            }

            i++;
            gap++;
        }

        return gap is > 0 and <= MaxDateTimeGap && i < s.Length;
    }

    private static bool TryTime(ReadOnlySpan<char> s, ref int i, ref HeaderParts h)
    {
        var j = i;
        h.Meridiem = TryCjkMeridiem(s, ref j);
        if (!TryNumber(s, ref j, 2, out h.Hour, out _) || j >= s.Length || s[j] is not (':' or '.'))
        {
            return false;
        }

        var separator = s[j++];
        if (!TryNumber(s, ref j, 2, out h.Minute, out var minuteDigits) || minuteDigits != 2)
        {
            return false;
        }

        h.Second = 0;
        if (j + 2 < s.Length && s[j] == separator && IsDigit(s[j + 1]))
        {
            j++;
            if (!TryNumber(s, ref j, 2, out h.Second, out var secondDigits) || secondDigits != 2)
            {
                return false;
            }
        }

        if (h.Meridiem == 0)
        {
            h.Meridiem = TryMeridiem(s, ref j);
        }

        i = j;
        return true;
    }

    /// <summary>AM/PM after the time: am, AM, a.m., a. m. (spaces may be NBSP/NNBSP), Arabic ص/م, CJK words.</summary>
    private static int TryMeridiem(ReadOnlySpan<char> s, ref int i)
    {
        var j = i;
        while (j < s.Length && TextCharacters.IsSpace(s[j]))
        {
            j++;
        }

        if (j >= s.Length)
        {
            return 0;
        }

        var c = char.ToLowerInvariant(s[j]);
        if (c is 'a' or 'p')
        {
            var k = j + 1;
            if (k < s.Length && s[k] == '.')
            {
                k++;
            }

            while (k < s.Length && TextCharacters.IsSpace(s[k]))
            {
                k++;
            }

            if (k < s.Length && char.ToLowerInvariant(s[k]) == 'm')
            {
                k++;
                if (k < s.Length && s[k] == '.')
                {
                    k++;
                }

                // Not the start of a word ("am Montag", an author called "Pmxyz").
                if (k >= s.Length || !char.IsLetter(s[k]))
                {
                    i = k;
                    return c == 'a' ? 1 : 2;
                }
            }

            return 0;
        }

        if (s[j] is 'ص' or 'م' && (j + 1 >= s.Length || !char.IsLetter(s[j + 1])))
        {
            i = j + 1;
            return s[j] == 'ص' ? 1 : 2;
        }

        var cjk = TryCjkMeridiem(s, ref j);
        if (cjk != 0)
        {
            i = j;
        }

        return cjk;
    }

    private static int TryCjkMeridiem(ReadOnlySpan<char> s, ref int i)
    {
        if (i + 1 >= s.Length)
        {
            return 0;
        }

        var pair = s.Slice(i, 2);
        var meridiem = pair switch
        {
            "上午" or "午前" or "오전" => 1,
            "下午" or "午後" or "오후" => 2,
            _ => 0,
        };
        if (meridiem != 0)
        {
            i += 2;
            while (i < s.Length && TextCharacters.IsSpace(s[i]))
            {
                i++;
            }
        }

        return meridiem;
    }

    private static bool TryTerminator(ReadOnlySpan<char> s, ref int i, ref HeaderParts h)
    {
        if (h.Bracketed)
        {
            if (i >= s.Length || s[i] != ']')
            {
                return false;
            }

            i++;
            while (i < s.Length && TextCharacters.IsSpace(s[i]))
            {
                i++;
            }

            h.ContentStart = i;
            return true;
        }

        // Android: " - " (any of the spaces may be NBSP); the rare platform-unknown variant: ": ".
        var j = i;
        while (j < s.Length && TextCharacters.IsSpace(s[j]))
        {
            j++;
        }

        if (j < s.Length && s[j] == '-' && j > i && j + 1 < s.Length && TextCharacters.IsSpace(s[j + 1]))
        {
            h.ContentStart = j + 2;
            return true;
        }

        if (j == i && j + 1 < s.Length && s[j] == ':' && TextCharacters.IsSpace(s[j + 1]))
        {
            h.ColonTerminator = true;
            h.ContentStart = j + 2;
            return true;
        }

        return false;
    }

    private static void SkipOneSpace(ReadOnlySpan<char> s, ref int i)
    {
        if (i < s.Length && s[i] == ' ')
        {
            i++;
        }
    }

    public static bool IsDigit(char c) => c is (>= '0' and <= '9') or (>= '\u0660' and <= '\u0669') or (>= '\u06F0' and <= '\u06F9');

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= '\u0660' and <= '\u0669' => c - '\u0660',
        _ => c - '\u06F0',
    };

    private static bool TryNumber(ReadOnlySpan<char> s, ref int i, int maxDigits, out int value, out int digits)
    {
        value = 0;
        digits = 0;
        while (i < s.Length && IsDigit(s[i]))
        {
            if (++digits > maxDigits)
            {
                return false;
            }

            value = (value * 10) + DigitValue(s[i]);
            i++;
        }

        return digits > 0;
    }
}

/// <summary>The raw parts of one header line, before the date order is known.</summary>
internal struct HeaderParts
{
    public bool Bracketed;
    public bool TimeFirst;
    public bool ColonTerminator;
    public char DateSeparator;
    public int A;
    public int B;
    public int C;
    public int ADigits;
    public int CDigits;
    public char Era;
    public bool Buddhist;
    public int Hour;
    public int Minute;
    public int Second;

    /// <summary>0 = 24-hour clock, 1 = AM, 2 = PM.</summary>
    public int Meridiem;

    public int TimestampStart;
    public int TimestampEnd;
    public int ContentStart;

    public readonly bool YearFirst => ADigits == 4;

    public readonly HeaderShape Shape => new(Bracketed, DateSeparator, TimeFirst, Meridiem != 0, ColonTerminator);

    public readonly bool SameShape(HeaderShape shape) =>
        shape.Bracketed == Bracketed && shape.DateSeparator == DateSeparator && shape.TimeFirst == TimeFirst
        && shape.TwelveHour == (Meridiem != 0) && shape.ColonTerminator == ColonTerminator;
}
