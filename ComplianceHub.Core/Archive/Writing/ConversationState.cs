namespace ComplianceHub.Core.Archive.Writing;

/// <summary>What a writer knows of one conversation: its chain head, participants and (for an export) what is already archived.</summary>
internal sealed class ConversationState
{
    private readonly Dictionary<string, long> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byNumber = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string> _names = [];
    private readonly Dictionary<long, string> _phones = [];
    private readonly HashSet<long> _numbered = [];
    private readonly Dictionary<string, long> _participantOfAuthor = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string> _authorOfParticipant = [];

    public long Sequence { get; set; }
    public string PreviousHash { get; set; } = "";
    public HashSet<UInt128> ExistingKeys { get; } = [];

    /// <summary>Captured text messages no export line has been linked to yet, by UTC minute and text.</summary>
    public Dictionary<UInt128, List<CapturedMessage>> Captured { get; } = [];

    public void Remember(long id, string name, string? phone, string? userId)
    {
        _byName[name] = id;
        _names[id] = name;
        if (phone is not null || userId is not null)
        {
            _numbered.Add(id);
        }

        if (phone is not null)
        {
            _byNumber["p:" + phone] = id;
            _phones[id] = phone;
        }

        if (userId is not null)
        {
            _byNumber["u:" + userId] = id;
        }
    }

    /// <summary>
    /// By number or user id when the capture has one (names change), else by the name an export shows: the captured
    /// participant an export's author was found to be, or the participant of that name.
    /// </summary>
    public long? Find(SenderIdentity sender)
    {
        if (sender.PhoneE164 is { } phone && _byNumber.TryGetValue("p:" + phone, out var id))
        {
            return id;
        }

        if (sender.WhatsAppUserId is { } user && _byNumber.TryGetValue("u:" + user, out id))
        {
            return id;
        }

        // A name matches when one side has no number to disagree with (an export shows only names).
        var hasNumber = sender.PhoneE164 is not null || sender.WhatsAppUserId is not null;
        if (!hasNumber && _participantOfAuthor.TryGetValue(sender.DisplayName, out id))
        {
            return id;
        }

        return _byName.TryGetValue(sender.DisplayName, out id) && (!hasNumber || !_numbered.Contains(id)) ? id : null;
    }

    /// <summary>
    /// The captured message an export line is a copy of: same minute and text (<paramref name="content"/>) and the
    /// same sender, each captured message taken once. The export names senders as the exporter's contacts do,
    /// so a sender agrees by number, by name, or by being the one participant this author has matched before;
    /// the first match of an author binds them to that participant for the rest of the import.
    /// </summary>
    public long? TakeCaptured(UInt128 content, string? author, string? authorPhone)
    {
        if (author is null || !Captured.TryGetValue(content, out var candidates))
        {
            return null;
        }

        var index = candidates.FindIndex(c => Agrees(c.ParticipantId, author, authorPhone, strongly: true));
        if (index < 0)
        {
            index = candidates.FindIndex(c => Agrees(c.ParticipantId, author, authorPhone, strongly: false));
        }

        if (index < 0)
        {
            return null;
        }

        var match = candidates[index];
        candidates.RemoveAt(index);
        if (candidates.Count == 0)
        {
            Captured.Remove(content);
        }

        _participantOfAuthor.TryAdd(author, match.ParticipantId!.Value);
        _authorOfParticipant.TryAdd(match.ParticipantId.Value, author);
        return match.MessageId;
    }

    private bool Agrees(long? participantId, string author, string? authorPhone, bool strongly)
    {
        if (participantId is not { } id)
        {
            return false;
        }

        if (_participantOfAuthor.TryGetValue(author, out var bound))
        {
            return bound == id;
        }

        if (_authorOfParticipant.ContainsKey(id))
        {
            return false; // another of the export's authors is this participant
        }

        if (authorPhone is not null && _phones.TryGetValue(id, out var phone))
        {
            return authorPhone == phone;
        }

        return !strongly || string.Equals(_names[id], author, StringComparison.OrdinalIgnoreCase);
    }

    public bool NameTaken(string name) => _byName.ContainsKey(name);

    /// <summary>The stored name of a participant: the one hashed into the chain.</summary>
    public string NameOf(long participantId) => _names[participantId];
}

/// <summary>A captured message an export line may turn out to be a copy of.</summary>
internal readonly record struct CapturedMessage(long MessageId, long? ParticipantId);
