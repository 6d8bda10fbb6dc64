using System.Text;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Core.Roster;

public enum MembershipChange
{
    Joined = 0,
    Left = 1,
}

/// <summary>
/// Reads WhatsApp's group notices about members (in English, German, French, Spanish and Portuguese):
/// "A added B", "A added B, C and D", "B joined using this group's invite link", "B left",
/// "A removed B". The exporter's own "you" is not a member the roster tracks and is left out.
/// </summary>
public static partial class GroupMembershipNotice
{
    private static readonly (Regex Pattern, MembershipChange Change)[] Notices =
    [
        (Added(), MembershipChange.Joined),
        (JoinedByLink(), MembershipChange.Joined),
        (Removed(), MembershipChange.Left),
        (Left(), MembershipChange.Left),
    ];

    private static readonly HashSet<string> You = new(StringComparer.OrdinalIgnoreCase)
    {
        "you", "You", "dich", "Sie", "du", "vous", "te", "ti", "você", "voce", "a ti",
    };

    /// <summary>The change and the names or numbers it is about; false when <paramref name="body"/> is not such a notice.</summary>
    public static bool TryParse(string body, out MembershipChange change, out IReadOnlyList<string> members)
    {
        var text = Clean(body);
        foreach (var (pattern, kind) in Notices)
        {
            if (pattern.Match(text) is { Success: true } match)
            {
                change = kind;
                members = SplitNames(match.Groups["who"].Value).Where(n => !You.Contains(n)).ToList();
                return members.Count > 0;
            }
        }

        change = default;
        members = [];
        return false;
    }

    private static string Clean(string body)
    {
        var text = new StringBuilder(body.Length);
        foreach (var c in body)
        {
            if (!TextCharacters.IsDirectionalMark(c))
            {
                text.Append(TextCharacters.IsSpace(c) ? ' ' : c);
            }
        }

        return text.ToString().Trim().TrimEnd('.');
    }

    /// <summary>"B, C and D" → B, C, D (also "und", "et", "y", "e").</summary>
    private static IEnumerable<string> SplitNames(string names) =>
        ListSeparator().Split(names).Select(n => n.Trim()).Where(n => n.Length > 0);

    [GeneratedRegex(@",\s*|\s+(?:and|und|et|y|e)\s+")]
    private static partial Regex ListSeparator();

    // "A added B" · "A hat B hinzugefügt" · "A a ajouté B" · "A añadió a B" · "A adicionou B"
    [GeneratedRegex(@"^(?:.+?\s+added\s+(?<who>.+)|.+?\s+hat\s+(?<who>.+?)\s+hinzugefügt|.+?\s+a\s+ajouté\s+(?<who>.+)|.+?\s+añadió\s+a\s+(?<who>.+)|.+?\s+adicionou\s+(?<who>.+))$")]
    private static partial Regex Added();

    // "B joined using this group's invite link" · "B ist über den Einladungslink dieser Gruppe beigetreten" ·
    // "B a rejoint ce groupe via le lien d'invitation" · "B se unió usando el enlace de invitación de este grupo" ·
    // "B entrou usando o link de convite deste grupo"
    [GeneratedRegex(@"^(?:(?<who>.+?)\s+joined\s+using\s+(?:this\s+group's|an)\s+invite\s+link|(?<who>.+?)\s+ist\s+über\s+den\s+Einladungslink.*beigetreten|(?<who>.+?)\s+a\s+rejoint\s.*lien\s+d'invitation.*|(?<who>.+?)\s+se\s+unió\s+usando\s+el\s+enlace\s+de\s+invitación.*|(?<who>.+?)\s+entrou\s+usando\s+o\s+link\s+de\s+convite.*)$")]
    private static partial Regex JoinedByLink();

    // "A removed B" · "A hat B entfernt" · "A a retiré B" · "A eliminó a B" · "A removeu B"
    [GeneratedRegex(@"^(?:.+?\s+removed\s+(?<who>.+)|.+?\s+hat\s+(?<who>.+?)\s+entfernt|.+?\s+a\s+retiré\s+(?<who>.+)|.+?\s+eliminó\s+a\s+(?<who>.+)|.+?\s+removeu\s+(?<who>.+))$")]
    private static partial Regex Removed();

    // "B left" · "B hat die Gruppe verlassen" · "B est parti(e)" · "B salió del grupo" · "B saiu"
    [GeneratedRegex(@"^(?:(?<who>.+?)\s+left|(?<who>.+?)\s+hat\s+die\s+Gruppe\s+verlassen|(?<who>.+?)\s+est\s+parti(?:e)?|(?<who>.+?)\s+salió(?:\s+del\s+grupo)?|(?<who>.+?)\s+saiu(?:\s+do\s+grupo)?)$")]
    private static partial Regex Left();
}
