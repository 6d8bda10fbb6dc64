using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Findings;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Roster.Monitoring;

/// <summary>What one monitor pass judges by, read once for all its checks: the roster as it stands, and the watermarks of the archive.</summary>
public sealed class RosterScan
{
    private RosterScan(ComplianceHubDbContext db, FindingScans watermarks, DateTimeOffset now)
    {
        Db = db;
        Watermarks = watermarks;
        Now = now;
    }

    public ComplianceHubDbContext Db { get; }
    public FindingScans Watermarks { get; }
    public DateTimeOffset Now { get; }

    /// <summary>Every authorized number with its person.</summary>
    public IReadOnlyList<RosterScanNumber> Numbers { get; private set; } = [];

    /// <summary>Every number on the roster: employees' authorized numbers and external contacts'.</summary>
    public IReadOnlySet<string> OnRoster { get; private set; } = new HashSet<string>();

    /// <summary>Every roster person's name, any case.</summary>
    public IReadOnlySet<string> RosterNames { get; private set; } = new HashSet<string>();

    /// <summary>Official groups linked to an archive conversation, with their participants' stays.</summary>
    public IReadOnlyList<OfficialGroup> Groups { get; private set; } = [];

    /// <summary>Roster names of the groups' participants, by person id.</summary>
    public IReadOnlyDictionary<long, string> MemberNames { get; private set; } = new Dictionary<long, string>();

    /// <summary>
    /// Group chats archived from an employee on the roster (their custodian) that no official group captures:
    /// business groups nobody registered, with their custodians.
    /// </summary>
    public IReadOnlyList<UnregisteredGroup> UnregisteredGroups { get; private set; } = [];

    /// <summary>
    /// Conversations whose senders must all be on the roster: the business numbers', the official groups' and the
    /// unregistered business groups'.
    /// </summary>
    public IReadOnlyList<long> Watched { get; private set; } = [];

    public static async Task<RosterScan> LoadAsync(ComplianceHubDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var scan = new RosterScan(db, await FindingScans.BeginAsync(db, now, ct), now);
        scan.Numbers = await db.AuthorizedNumbers.AsNoTracking()
            .Join(db.People, n => n.PersonId, p => p.Id, (n, p) => new RosterScanNumber(n.Id, n.PhoneE164, n.Status, n.AuthorizedFrom, p.Name, p.Id, p.WorkEmail, n.Capture))
            .ToListAsync(ct);
        scan.OnRoster = (await RosterNumbers.Owners(db).Select(o => o.PhoneE164).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        scan.RosterNames = (await db.People.AsNoTracking().Select(p => p.Name).ToListAsync(ct)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        scan.Groups = await db.OfficialGroups.AsNoTracking().Include(g => g.Members).Where(g => g.ConversationId != null).ToListAsync(ct);
        var memberIds = scan.Groups.SelectMany(g => g.Members).Select(m => m.PersonId).Distinct().ToList();
        scan.MemberNames = await db.People.AsNoTracking().Where(p => memberIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var employees = (await db.People.AsNoTracking().Where(p => p.WorkEmail != null && p.Numbers.Any()).Select(p => p.WorkEmail!).ToListAsync(ct))
            .Select(e => e.ToLowerInvariant()).ToList();
        var registered = scan.Groups.Select(g => g.ConversationId!.Value).ToHashSet();
        scan.UnregisteredGroups = (await db.Conversations.AsNoTracking()
                .Where(c => c.Kind == ConversationKind.Group && c.Custodians.Any(k => employees.Contains(k.Email)))
                .Select(c => new { c.Id, c.Title, Custodians = c.Custodians.Select(k => k.Email).ToList() })
                .ToListAsync(ct))
            .Where(c => !registered.Contains(c.Id))
            .Select(c => new UnregisteredGroup(c.Id, c.Title, c.Custodians.Order(StringComparer.Ordinal).ToList()))
            .ToList();
        scan.Watched = (await db.Conversations.AsNoTracking().Where(c => c.BusinessPhoneNumberId != null).Select(c => c.Id).ToListAsync(ct))
            .Concat(registered).Concat(scan.UnregisteredGroups.Select(g => g.ConversationId)).Distinct().Order().ToList();
        return scan;
    }

    /// <summary>A conversation where everyone is somebody on the roster: an official group or an unregistered business group.</summary>
    public bool IsGroup(long conversationId) => GroupOf(conversationId) is not null || UnregisteredGroups.Any(g => g.ConversationId == conversationId);

    /// <summary>The group that <paramref name="conversationId"/> captures, if any.</summary>
    public OfficialGroup? GroupOf(long conversationId) => Groups.FirstOrDefault(g => g.ConversationId == conversationId);

    /// <summary>
    /// Where a check reads each of <paramref name="conversations"/> from this pass, moving every watermark to the
    /// pass's end: those it has read up to its own watermark are read together as one range of message ids (the
    /// primary key serves it, whatever the conversations), and those it meets for the first time, or whose
    /// <paramref name="basis"/> changed, from their own start.
    /// </summary>
    public ScanWindows Windows(string check, IEnumerable<long> conversations, Func<long, string?>? basis = null)
    {
        var since = Watermarks.Since(check, 0);
        var caughtUp = new HashSet<long>();
        var behind = new Dictionary<long, long>();
        foreach (var conversationId in conversations)
        {
            var from = Watermarks.Since(check, conversationId, basis?.Invoke(conversationId));
            if (from >= since)
            {
                caughtUp.Add(conversationId);
            }
            else
            {
                behind[conversationId] = from;
            }
        }

        return new ScanWindows(since, caughtUp, behind);
    }

    /// <summary>Messages of every conversation after <paramref name="since"/>, up to the pass's end.</summary>
    public IQueryable<ChatMessage> MessagesAfter(long since) =>
        Db.ChatMessages.AsNoTracking().Where(m => m.Id > since && m.Id <= Watermarks.UpTo);

    /// <summary>Messages of one conversation after <paramref name="since"/>, up to the pass's end.</summary>
    public IQueryable<ChatMessage> MessagesAfter(long conversationId, long since) =>
        Db.ChatMessages.AsNoTracking().Where(m => m.ConversationId == conversationId && m.Id > since && m.Id <= Watermarks.UpTo);
}

/// <summary>
/// A check's reading plan for one pass: conversations <see cref="CaughtUp"/> are read after <see cref="Since"/>
/// together; each of <see cref="Behind"/> after its own watermark.
/// </summary>
public sealed record ScanWindows(long Since, IReadOnlySet<long> CaughtUp, IReadOnlyDictionary<long, long> Behind);

/// <summary>An authorized number as the checks see it, with its person (name, id, work e-mail) and how its chats reach the archive.</summary>
public sealed record RosterScanNumber(
    long Id, string PhoneE164, AuthorizationStatus Status, DateOnly AuthorizedFrom, string Person, long PersonId, string? PersonEmail, CaptureMethod Capture);

/// <summary>A group chat archived from roster employees' phones that is not registered as an official group.</summary>
public sealed record UnregisteredGroup(long ConversationId, string Title, IReadOnlyList<string> Custodians);
