namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// Decides what a user message's body is (whatsapp-formats.md §1.4–1.5): deleted, media placeholder,
/// attachment reference, poll, location, contact or text; and strips a trailing edit marker.
/// </summary>
internal static class MessageClassifier
{
    public readonly record struct Classification(MessageKind Kind, string Body, bool IsEdited, string? AttachmentFileName);

    public static Classification Classify(string body)
    {
        var isEdited = false;
        var trimmed = body.TrimEnd();
        foreach (var marker in ExportVocabulary.EditedMarkers)
        {
            if (trimmed.EndsWith(marker, StringComparison.OrdinalIgnoreCase))
            {
                isEdited = true;
                body = trimmed[..^marker.Length].TrimEnd();
                break;
            }
        }

        var firstLine = FirstLine(body).Trim();

        if (MatchesAny(firstLine.TrimEnd('.'), ExportVocabulary.Deleted) && !body.Contains('\n', StringComparison.Ordinal))
        {
            return new(MessageKind.Deleted, body, isEdited, null);
        }

        if (MatchesAny(firstLine, ExportVocabulary.MediaOmitted))
        {
            return new(MessageKind.Media, body, isEdited, null);
        }

        if (MatchesAny(firstLine, ExportVocabulary.ContactOmitted))
        {
            return new(MessageKind.Contact, body, isEdited, null);
        }

        if (TryAttachment(firstLine, out var fileName))
        {
            var kind = fileName.EndsWith(".vcf", StringComparison.OrdinalIgnoreCase) ? MessageKind.Contact : MessageKind.Media;
            return new(kind, body, isEdited, fileName);
        }

        if (IsIosOmitted(firstLine) || firstLine == "null")
        {
            // "null" is how Android exports a view-once photo.
            return new(MessageKind.Media, body, isEdited, null);
        }

        if (StartsWithAny(firstLine, ExportVocabulary.PollPrefixes))
        {
            return new(MessageKind.Poll, body, isEdited, null);
        }

        if ((StartsWithAny(firstLine, ExportVocabulary.LocationPrefixes) && body.Contains("://", StringComparison.Ordinal))
            || body.Contains("https://foursquare.com/v/", StringComparison.OrdinalIgnoreCase)
            || firstLine.StartsWith("https://maps.google.com/?q=", StringComparison.OrdinalIgnoreCase))
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

    /// <summary>
    /// True when the text before the first ": " of an Android line is not a plausible name, as in
    /// <c>Ann changed the subject from "Q3: plan" to "Q4"</c>: names carry no quotes.
    /// </summary>
    public static bool AuthorLooksLikeNoticeText(string author) =>
        author.AsSpan().IndexOfAny('"', '“', '”') >= 0 || author.Contains(" changed the subject", StringComparison.Ordinal);

    private static bool TryAttachment(string firstLine, out string fileName)
    {
        // iOS: "<attached: 00000035-PHOTO-2022-03-27-21-41-55.jpg>", possibly after a document's name.
        var open = firstLine.IndexOf('<', StringComparison.Ordinal);
        if (open >= 0 && firstLine.EndsWith('>'))
        {
            var inner = firstLine.AsSpan(open + 1, firstLine.Length - open - 2).Trim();
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
                fileName = firstLine[..open].Trim();
                return fileName.Length > 0;
            }
        }

        // Android: "IMG-20220323-WA0002.jpg (file attached)"; the caption follows on the next lines.
        foreach (var suffix in ExportVocabulary.FileAttachedSuffixes)
        {
            if (firstLine.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                fileName = firstLine[..^suffix.Length].Trim();
                return fileName.Length > 0;
            }
        }

        fileName = "";
        return false;
    }

    private static bool IsIosOmitted(string firstLine)
    {
        if (firstLine.Length > 200)
        {
            return false;
        }

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

    private static string FirstLine(string body)
    {
        var newline = body.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? body : body[..newline];
    }

    private static bool MatchesAny(string text, string[] candidates)
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

    private static bool StartsWithAny(string text, string[] prefixes)
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
