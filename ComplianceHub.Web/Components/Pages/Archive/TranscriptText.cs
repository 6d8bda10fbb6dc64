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

    /// <summary>A participant as the header lists them, with the roster person their number belongs to, or a flag when it is not on the roster.</summary>
    public static string Participant(TranscriptParticipant p) => p switch
    {
        { PhoneE164: null } => p.DisplayName,
        { RosterPerson: { } person } => $"{p.DisplayName} ({p.PhoneE164}, roster: {person})",
        _ => $"{p.DisplayName} ({p.PhoneE164}, not on the roster)",
    };
}
