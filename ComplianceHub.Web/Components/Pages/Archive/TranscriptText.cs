using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Transcripts;

namespace ComplianceHub.Web.Components.Pages.Archive;

/// <summary>How the conversation view words what a transcript holds.</summary>
internal static class TranscriptText
{
    public static string AttachmentStatus(AttachmentStatus status) => status switch
    {
        Core.Archive.AttachmentStatus.Missing => "file not in the export",
        Core.Archive.AttachmentStatus.Remote => "download from WhatsApp pending",
        _ => status.ToString(),
    };

    /// <summary>Why a line read as a notice is flagged.</summary>
    public const string UncertainNotice = "read as a WhatsApp notice, but the export's signals disagreed; check the original line";

    /// <summary>Why a line read as a person's message is flagged.</summary>
    public const string UncertainMessage = "read as a person's message, but it is marked the way WhatsApp marks its notices; check the original line";

    /// <summary>A participant as the header lists them, with the roster person their number belongs to, or a flag when it is not on the roster.</summary>
    public static string Participant(TranscriptParticipant p) => p switch
    {
        { PhoneE164: null } => p.DisplayName,
        { RosterPerson: { } person } => $"{p.DisplayName} ({p.PhoneE164}, roster: {person})",
        _ => $"{p.DisplayName} ({p.PhoneE164}, not on the roster)",
    };
}
