using ComplianceHub.Core.Transcripts;

namespace ComplianceHub.Web.Components.Pages.Archive;

/// <summary>
/// The stretch of a conversation a page holds: at most <see cref="MaxShown"/> messages in time order,
/// whether there are older or newer ones beyond it, and the message to scroll to after the next render.
/// Pages older or newer are added at one end; the far end gives way, so a circuit stays light.
/// </summary>
public sealed class LoadedTranscript
{
    public const int MaxShown = 400;

    private readonly List<TranscriptMessage> _messages = [];

    public IReadOnlyList<TranscriptMessage> Messages => _messages;
    public bool HasOlder { get; private set; }
    public bool HasNewer { get; private set; }

    /// <summary>The message to bring into view once rendered; taken (and cleared) by <see cref="TakeScrollTarget"/>.</summary>
    private long? _scrollTo;

    /// <summary>Replaces what is held with a window (opened around a message, a date or the end).</summary>
    public void Show(TranscriptWindow window)
    {
        _messages.Clear();
        _messages.AddRange(window.Messages);
        (HasOlder, HasNewer) = (window.HasOlder, window.HasNewer);
        _scrollTo = window.AnchorMessageId ?? _messages.LastOrDefault()?.Id;
    }

    /// <summary>The search key before which the next older page starts, or null when there is none to load.</summary>
    public long? OlderThan => HasOlder && _messages.Count > 0 ? _messages[0].SearchKey : null;

    /// <summary>The search key after which the next newer page starts, or null when there is none to load.</summary>
    public long? NewerThan => HasNewer && _messages.Count > 0 ? _messages[^1].SearchKey : null;

    public void AddOlder(TranscriptWindow older)
    {
        _messages.InsertRange(0, older.Messages);
        HasOlder = older.HasOlder;
        HasNewer |= Trim(fromStart: false);
    }

    public void AddNewer(TranscriptWindow newer)
    {
        _messages.AddRange(newer.Messages);
        HasNewer = newer.HasNewer;
        HasOlder |= Trim(fromStart: true);
    }

    public long? TakeScrollTarget()
    {
        var target = _scrollTo;
        _scrollTo = null;
        return target;
    }

    /// <summary>Keeps at most <see cref="MaxShown"/> messages, dropping them from the far end; true when some went.</summary>
    private bool Trim(bool fromStart)
    {
        var excess = _messages.Count - MaxShown;
        if (excess <= 0)
        {
            return false;
        }

        _messages.RemoveRange(fromStart ? 0 : MaxShown, excess);
        return true;
    }
}
