namespace ComplianceHub.Core.Archive.Writing;

/// <summary>What a writer knows of one conversation: its chain head, participants and (for an export) what is already archived.</summary>
internal sealed class ConversationState
{
    private readonly Dictionary<string, long> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _byNumber = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string> _names = [];
    private readonly HashSet<long> _numbered = [];

    public long Sequence { get; set; }
    public string PreviousHash { get; set; } = "";
    public HashSet<UInt128> ExistingKeys { get; } = [];
    public Dictionary<UInt128, int> CapturedContent { get; } = [];

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
        }

        if (userId is not null)
        {
            _byNumber["u:" + userId] = id;
        }
    }

    /// <summary>By number or user id when the capture has one (names change), else by the name an export shows.</summary>
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
        return _byName.TryGetValue(sender.DisplayName, out id) && (!hasNumber || !_numbered.Contains(id)) ? id : null;
    }

    public bool NameTaken(string name) => _byName.ContainsKey(name);

    /// <summary>The stored name of a participant: the one hashed into the chain.</summary>
    public string NameOf(long participantId) => _names[participantId];
}
