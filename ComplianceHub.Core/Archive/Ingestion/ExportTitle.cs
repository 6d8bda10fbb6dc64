namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// A chat's title when the upload's file name gives none (a bare <c>_chat.txt</c>, iOS's name for the chat text):
/// the group's name from its newest naming notice (created, subject or name changed: the name is the last
/// quoted text), else the name iOS writes as the author of its notices, which is the chat's own name.
/// </summary>
internal static class ExportTitle
{
    private static readonly string[] NamingPhrases =
    [
        "created group", "changed the subject", "changed the group name", "changed this group's name",
        "hat die gruppe", "den betreff", "a créé le groupe", "le sujet", "creó el grupo", "el asunto", "criou o grupo", "o assunto",
    ];

    /// <summary>True when <paramref name="fileTitle"/> (from the file name) says nothing about the chat.</summary>
    public static bool IsPlaceholder(string fileTitle) =>
        string.Equals(fileTitle, "_chat", StringComparison.OrdinalIgnoreCase) || string.Equals(fileTitle, "Untitled chat", StringComparison.Ordinal);

    /// <summary>The title <paramref name="messages"/> give the chat, or null when they give none.</summary>
    public static string? FromMessages(IEnumerable<ParsedMessage> messages)
    {
        string? named = null;
        string? iosChatName = null;
        foreach (var message in messages.Where(m => m.Kind == MessageKind.System))
        {
            if (NamingPhrases.Any(p => message.Body.Contains(p, StringComparison.OrdinalIgnoreCase)) && LastQuoted(message.Body) is { } name)
            {
                named = name;
            }

            iosChatName ??= message.Author;
        }

        return named ?? iosChatName;
    }

    /// <summary>The text inside the last pair of quotation marks ("…", “…”, „…“, «…»), trimmed; null when there is none.</summary>
    private static string? LastQuoted(string body)
    {
        var close = body.LastIndexOfAny(['"', '”', '“', '»']);
        if (close <= 0)
        {
            return null;
        }

        var open = body.LastIndexOfAny(['"', '“', '„', '«'], close - 1);
        if (open < 0)
        {
            return null;
        }

        var name = body[(open + 1)..close].Trim();
        return name.Length is > 0 and <= 200 ? name : null;
    }
}
