namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// Tells an iOS notice from a person's message (whatsapp-formats.md §1.4). iOS writes its notices as the
/// chat's name with a body marked by U+200E, but it marks media lines and deleted messages the same way,
/// and in a direct chat the chat's name is also the other party, who writes messages of their own.
/// WhatsApp ships in about 60 languages, so the phrase lists cannot decide alone: the export's structure
/// does, and the lists confirm it.
/// <list type="bullet">
/// <item>The structure: the body is marked and reads as text (not a media line, a deleted message, a
/// location…); the author is the one the export's first message, its encryption notice, is written as
/// (<see cref="ExportLayout.NoticeAuthor"/>); that author never writes unmarked messages (a group's name, not a
/// person); the line opens the export; a second mark inside the body, as notices with a "Tap to learn more"
/// tail have.</item>
/// <item>The confirmation: a phrase of <see cref="ExportVocabulary.SystemPhrases"/>.</item>
/// </list>
/// Where they disagree the reading is kept with <see cref="Verdict.Uncertain"/> set, so an officer can see
/// which lines the archive was unsure of.
/// </summary>
internal static class IosNotice
{
    public readonly record struct Verdict(bool IsNotice, bool Uncertain);

    /// <summary>
    /// Judges a marked text body by <paramref name="author"/>. <paramref name="opensExport"/>: it is the
    /// export's first message; <paramref name="innerMark"/>: the body carries a second mark.
    /// </summary>
    public static Verdict Judge(string author, string body, bool opensExport, bool innerMark, ExportLayout layout)
    {
        var byNoticeAuthor = layout.NoticeAuthor is { } noticeAuthor && string.Equals(author, noticeAuthor, StringComparison.Ordinal);
        if (MessageClassifier.LooksLikeSystemNotice(body))
        {
            // Confirmed by the words; the structure disagrees when notices are known to come from another name.
            return new(IsNotice: true, Uncertain: layout.NoticeAuthor is not null && !byNoticeAuthor);
        }

        if (MessageClassifier.IsCallNotice(body))
        {
            // "‎Missed voice call" is the caller's own line, their traffic.
            return new(IsNotice: false, Uncertain: false);
        }

        if (!byNoticeAuthor)
        {
            // A person's marked line the lists do not know, such as a media placeholder in another language.
            return new(IsNotice: false, Uncertain: false);
        }

        if (!layout.NoticeAuthorWrites)
        {
            // The group's name never speaks for itself: a notice in a language the lists lack.
            return new(IsNotice: true, Uncertain: true);
        }

        // A direct chat: the other party is also who notices are written as. The encryption notice opens the
        // export, and notices with a "Tap to learn more" tail carry a second mark; other marked lines of theirs
        // are media placeholders or deleted messages in a language the lists lack.
        return new(IsNotice: opensExport || innerMark, Uncertain: true);
    }
}
