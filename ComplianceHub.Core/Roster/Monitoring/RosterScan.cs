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

    /// <summary>Conversations whose senders must all be on the roster: the business numbers' and the official groups'.</summary>
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
        scan.Watched = (await db.Conversations.AsNoTracking().Where(c => c.BusinessPhoneNumberId != null).Select(c => c.Id).ToListAsync(ct))
            .Concat(scan.Groups.Select(g => g.ConversationId!.Value)).Distinct().Order().ToList();
        return scan;
    }

    /// <summary>The group that <paramref name="conversationId"/> captures, if any.</summary>
    public OfficialGroup? GroupOf(long conversationId) => Groups.FirstOrDefault(g => g.ConversationId == conversationId);

    /// <summary>Messages of one conversation after <paramref name="since"/> and up to the pass's end.</summary>
    public IQueryable<ChatMessage> NewMessages(long conversationId, long since) =>
        Db.ChatMessages.AsNoTracking().Where(m => m.ConversationId == conversationId && m.Id > since && m.Id <= Watermarks.UpTo);
}

/// <summary>An authorized number as the checks see it, with its person (name, id, work e-mail) and how its chats reach the archive.</summary>
public sealed record RosterScanNumber(
    long Id, string PhoneE164, AuthorizationStatus Status, DateOnly AuthorizedFrom, string Person, long PersonId, string? PersonEmail, CaptureMethod Capture);
