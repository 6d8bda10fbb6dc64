using PhoneNumbers;

namespace ComplianceHub.Core.Common;

/// <summary>Turns a phone number written any common way into E.164 (<c>+447123456789</c>).</summary>
public static class PhoneNumberNormalizer
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// The E.164 form of <paramref name="text"/> when it is an international number (leading + or 00),
    /// or a national number and <paramref name="defaultRegion"/> (ISO 3166 alpha-2) is given; else null.
    /// </summary>
    public static string? TryNormalize(string? text, string? defaultRegion = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var candidate = text.Trim().TrimStart('~').Trim();
        if (candidate.StartsWith("00", StringComparison.Ordinal))
        {
            candidate = "+" + candidate[2..];
        }

        // Only digits and the usual formatting characters: a name with a digit in it is not a number.
        foreach (var c in candidate)
        {
            if (!(char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.' or '/' or '\u00A0' or '\u202F'))
            {
                return null;
            }
        }

        if (!candidate.StartsWith('+') && defaultRegion is null)
        {
            return null;
        }

        try
        {
            var number = Util.Parse(candidate, defaultRegion);
            return Util.IsPossibleNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
