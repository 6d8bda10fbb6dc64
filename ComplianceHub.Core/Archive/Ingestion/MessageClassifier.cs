using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// Decides what a user message's body is (whatsapp-formats.md §1.4–1.5): deleted, media placeholder,
/// attachment reference, poll, location, contact or text; and strips a trailing edit marker.
/// </summary>
internal static partial class MessageClassifier
{
    public readonly record struct Classification(MessageKind Kind, string Body, bool IsEdited, string? AttachmentFileName);

    public static Classification Classify(string body)
    {
        // Cheap gates first: most bodies are plain text and match none of the markers below.
        var isEdited = false;
        var trimmedEnd = body.AsSpan().TrimEnd();
        if (trimmedEnd.EndsWith('>'))
        {
            foreach (var marker in ExportVocabulary.EditedMarkers)
            {
                if (trimmedEnd.EndsWith(marker, StringComparison.OrdinalIgnoreCase))
                {
                    isEdited = true;
                    body = trimmedEnd[..^marker.Length].TrimEnd().ToString();
                    break;
                }
            }
        }

        var newline = body.IndexOf('\n', StringComparison.Ordinal);
        var firstLine = (newline < 0 ? body.AsSpan() : body.AsSpan(0, newline)).Trim();
        if (firstLine.IsEmpty)
        {
            return new(MessageKind.Text, body, isEdited, null);
        }

        var last = firstLine[^1];
        if (newline < 0 && firstLine.Length <= 60 && MatchesAny(firstLine.TrimEnd(SentenceEnds), ExportVocabulary.Deleted))
        {
            return new(MessageKind.Deleted, body, isEdited, null);
        }

        if (firstLine[0] == '<' && last == '>' && MatchesAny(firstLine, ExportVocabulary.MediaOmitted))
        {
            return new(MessageKind.Media, body, isEdited, null);
        }

        if ((last == '>' || last == ')') && TryAttachment(firstLine, out var fileName))
        {
            var kind = fileName.EndsWith(".vcf", StringComparison.OrdinalIgnoreCase) ? MessageKind.Contact : MessageKind.Media;
            return new(kind, body, isEdited, fileName);
        }

        if (firstLine.Length <= 200 && char.IsLetter(last) && EndsWithOmittedWord(firstLine))
        {
            if (MatchesAny(firstLine, ExportVocabulary.ContactOmitted))
            {
                return new(MessageKind.Contact, body, isEdited, null);
            }

            if (IsIosOmitted(firstLine))
            {
                return new(MessageKind.Media, body, isEdited, null);
            }
        }

        if (firstLine.SequenceEqual("null"))
        {
            // "null" is how Android exports a view-once photo.
            return new(MessageKind.Media, body, isEdited, null);
        }

        if (firstLine.IndexOf(':') is >= 4 and <= 9 && char.IsUpper(firstLine[0]) && StartsWithAny(firstLine, ExportVocabulary.PollPrefixes))
        {
            return new(MessageKind.Poll, body, isEdited, null);
        }

        if (body.Contains("://", StringComparison.Ordinal)
            && (StartsWithAny(firstLine, ExportVocabulary.LocationPrefixes)
                || body.Contains("https://foursquare.com/v/", StringComparison.OrdinalIgnoreCase)
                || firstLine.StartsWith("https://maps.google.com/?q=", StringComparison.OrdinalIgnoreCase)))
        {
            return new(MessageKind.Location, body, isEdited, null);
        }

        return new(MessageKind.Text, body, isEdited, null);
    }

    /// <summary>iOS notice bodies: "Messages and calls are end-to-end encrypted…", "X added Y", …</summary>
    public static bool LooksLikeSystemNotice(string body)
    {
        foreach (var phrase in ExportVocabulary.SystemPhrases)
        {
            if (body.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A call WhatsApp logged in the chat ("Missed voice call"): the caller's line, not a notice.</summary>
    public static bool IsCallNotice(string body)
    {
        // Bodies reach the classifier with their directional marks already removed.
        var text = body.AsSpan().Trim();
        return text.Length <= 60 && MatchesAny(text.TrimEnd(SentenceEnds), ExportVocabulary.Calls);
    }

    /// <summary>Full stops a localised body may end with: Latin, CJK, Devanagari.</summary>
    private const string SentenceEnds = ".。।";

    /// <summary>A notice that shows the chat is a group: members added or leaving, a subject, the group created.</summary>
    public static bool IsGroupNotice(string body)
    {
        foreach (var phrase in ExportVocabulary.GroupPhrases)
        {
            if (body.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the text before the first ": " of an Android line is not a plausible name, as in
    /// <c>Ann changed the subject from "Q3: plan" to "Q4"</c>: names carry no quotes.
    /// </summary>
    public static bool AuthorLooksLikeNoticeText(string author) =>
        author.AsSpan().IndexOfAny('"', '“', '”') >= 0 || author.Contains(" changed the subject", StringComparison.Ordinal);

    private static bool TryAttachment(ReadOnlySpan<char> firstLine, out string fileName)
    {
        // iOS: "<attached: 00000035-PHOTO-2022-03-27-21-41-55.jpg>", possibly after a document's name.
        var open = firstLine.IndexOf('<');
        if (open >= 0 && firstLine[^1] == '>')
        {
            var inner = firstLine[(open + 1)..^1].Trim();
            foreach (var prefix in ExportVocabulary.AttachedPrefixes)
            {
                if (inner.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    fileName = inner[prefix.Length..].Trim().ToString();
                    return fileName.Length > 0;
                }
            }

            // Older iOS: "2015-08-04-PHOTO-00004762.jpg <attached>".
            if (inner.Equals("attached", StringComparison.OrdinalIgnoreCase) && open > 0)
            {
                fileName = firstLine[..open].Trim().ToString();
                return fileName.Length > 0;
            }
        }

        // Android: "IMG-20220323-WA0002.jpg (file attached)"; the caption follows on the next lines.
        if (firstLine[^1] == ')')
        {
            foreach (var suffix in ExportVocabulary.FileAttachedSuffixes)
            {
                if (firstLine.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                {
                    fileName = firstLine[..^suffix.Length].Trim().ToString();
                    return fileName.Length > 0;
                }
            }

            // The marker is translated into every language WhatsApp ships in, but the file name is not: a name
            // WhatsApp gave the file, then a few words in parentheses, is an attachment whatever the words.
            var marker = firstLine.LastIndexOf(" (", StringComparison.Ordinal);
            if (marker > 0 && TextCharacters.TrimLeadingDirectionalMarks(firstLine[..marker]) is var name
                && IsWhatsAppMediaName(name) && IsMarkerWords(firstLine[(marker + 2)..^1]))
            {
                fileName = name.ToString();
                return true;
            }
        }

        fileName = "";
        return false;
    }

    /// <summary>A media file name as Android's WhatsApp writes it: <c>IMG-20220323-WA0002.jpg</c> (IMG, VID, PTT, AUD, STK, DOC).</summary>
    private static bool IsWhatsAppMediaName(ReadOnlySpan<char> name) => WhatsAppMediaName().IsMatch(name);

    /// <summary>One to five words of letters (any script), as in "soubor byl přiložen" or "файл добавлен".</summary>
    private static bool IsMarkerWords(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text.Length > 60 || text[0] == ' ' || text[^1] == ' ')
        {
            return false;
        }

        var words = 1;
        foreach (var c in text)
        {
            if (c == ' ')
            {
                words++;
            }
            else if (!char.IsLetter(c) && CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark))
            {
                return false;
            }
        }

        return words <= 5;
    }

    [GeneratedRegex(@"^(?:IMG|VID|PTT|AUD|STK|DOC)-\d{8}-WA\d{4,}\.[A-Za-z0-9]{1,5}$", RegexOptions.CultureInvariant)]
    private static partial Regex WhatsAppMediaName();

    /// <summary>
    /// The cheap gate before the placeholder lists: the line's last word is the last word of one of them
    /// ("omitted", "weggelassen", "vynechán"…). Most bodies end in a letter, and the lists are long.
    /// </summary>
    private static bool EndsWithOmittedWord(ReadOnlySpan<char> firstLine)
    {
        var space = firstLine.LastIndexOf(' ');
        return OmittedLastWords.Contains(space < 0 ? firstLine : firstLine[(space + 1)..]);
    }

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> OmittedLastWords =
        ExportVocabulary.IosOmitted.Concat(ExportVocabulary.ContactOmitted)
            .Select(phrase => phrase[(phrase.LastIndexOf(' ') + 1)..])
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase)
            .GetAlternateLookup<ReadOnlySpan<char>>();

    private static bool IsIosOmitted(ReadOnlySpan<char> firstLine)
    {
        foreach (var phrase in ExportVocabulary.IosOmitted)
        {
            if (firstLine.EndsWith(phrase, StringComparison.OrdinalIgnoreCase)
                && (firstLine.Length == phrase.Length || char.IsWhiteSpace(firstLine[^(phrase.Length + 1)])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MatchesAny(ReadOnlySpan<char> text, string[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (text.Equals(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsWithAny(ReadOnlySpan<char> text, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
