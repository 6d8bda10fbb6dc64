using System.Globalization;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Roster;

/// <summary>What an officer enters for an official group.</summary>
public sealed record OfficialGroupDraft(string Name, string Purpose, long OwnerId, string? WhatsAppGroupId, string? InviteLink, long? ConversationId);

/// <summary>An official group as its list shows it.</summary>
public sealed record GroupSummary(
    long Id, string Name, string Purpose, long OwnerId, string Owner, string? WhatsAppGroupId, string? InviteLink,
    long? ConversationId, string? ConversationTitle, int Employees, int Externals);

/// <summary>One stay of a participant in a group.</summary>
public sealed record GroupMemberView(
    long Id, long PersonId, string Name, PersonKind Kind, string? Affiliation, string PhoneE164, DateOnly JoinedOn, DateOnly? LeftOn);

public sealed record OfficialGroupDetails(GroupSummary Group, IReadOnlyList<GroupMemberView> Members);

/// <summary>An archive conversation an official group can be linked to.</summary>
public sealed record LinkableConversation(long Id, string Title, ConversationKind Kind);

/// <summary>
/// The registry of official group chats: each group's purpose, owner and WhatsApp identity, the archive
/// conversation that captures it, and its participants (employees with one of their roster numbers,
/// external contacts with theirs) with the dates they joined and left. Every change is audited.
/// </summary>
public sealed partial class OfficialGroupService(IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    /// <summary>Creates a group (<paramref name="groupId"/> null) or updates one; returns its id.</summary>
    public async Task<long> SaveAsync(long? groupId, OfficialGroupDraft draft, AuditActor actor, CancellationToken ct = default)
    {
        var name = draft.Name.Trim();
        var purpose = draft.Purpose.Trim();
        var whatsAppId = string.IsNullOrWhiteSpace(draft.WhatsAppGroupId) ? null : draft.WhatsAppGroupId.Trim();
        var invite = string.IsNullOrWhiteSpace(draft.InviteLink) ? null : draft.InviteLink.Trim();
        if (name.Length is 0 or > OfficialGroup.MaxNameLength)
        {
            throw new ComplianceRuleException($"Name the group (1 to {OfficialGroup.MaxNameLength} characters).");
        }

        if (purpose.Length is 0 or > 1000)
        {
            throw new ComplianceRuleException("Say what the group is for (1 to 1,000 characters).");
        }

        if (whatsAppId is not null && !GroupIdPattern().IsMatch(whatsAppId))
        {
            throw new ComplianceRuleException($"'{whatsAppId}' is not a WhatsApp group id (digits, then @g.us).");
        }

        if (invite is not null && !InviteLinkPattern().IsMatch(invite))
        {
            throw new ComplianceRuleException($"'{invite}' is not a WhatsApp invite link (https://chat.whatsapp.com/…).");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var owner = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == draft.OwnerId, ct);
        if (owner is not { Kind: PersonKind.Employee })
        {
            throw new ComplianceRuleException("The owner must be an employee on the roster.");
        }

        // Names are unique in any case: the participants CSV finds groups by name.
        var names = await db.OfficialGroups.AsNoTracking().Where(g => g.Id != groupId).Select(g => g.Name).ToListAsync(ct);
        if (names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } taken)
        {
            throw new ComplianceRuleException($"There is already an official group named \"{taken}\".");
        }

        if (draft.ConversationId is { } conversationId)
        {
            if (!await db.Conversations.AnyAsync(c => c.Id == conversationId, ct))
            {
                throw new ComplianceRuleException("That conversation is not in the archive.");
            }

            if (await db.OfficialGroups.AsNoTracking().FirstOrDefaultAsync(g => g.ConversationId == conversationId && g.Id != groupId, ct) is { } other)
            {
                throw new ComplianceRuleException($"That conversation already captures the official group \"{other.Name}\".");
            }
        }

        OfficialGroup group;
        if (groupId is { } id)
        {
            group = await db.OfficialGroups.SingleOrDefaultAsync(g => g.Id == id, ct) ?? throw new ComplianceRuleException("That group does not exist.");
        }
        else
        {
            group = new OfficialGroup(name, clock.GetUtcNow(), actor.Name);
            db.OfficialGroups.Add(group);
        }

        group.Set(name, purpose, owner.Id, whatsAppId, invite, draft.ConversationId);
        await db.SaveChangesAsync(ct);
        audit.Record(db, AuditEventType.OfficialGroupSaved, actor, Subject(group.Id), new
        {
            created = groupId is null,
            name,
            purpose,
            owner = owner.Name,
            whatsAppGroupId = whatsAppId,
            inviteLink = invite,
            conversationId = draft.ConversationId,
        });
        await db.SaveChangesAsync(ct);
        return group.Id;
    }

    /// <summary>
    /// Records that <paramref name="personId"/> joined the group on <paramref name="joinedOn"/>: an
    /// employee with one of their roster numbers (their only one when <paramref name="phone"/> is not
    /// given), an external contact with theirs.
    /// </summary>
    public async Task<long> AddMemberAsync(long groupId, long personId, string? phone, DateOnly joinedOn, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var group = await db.OfficialGroups.Include(g => g.Members).SingleOrDefaultAsync(g => g.Id == groupId, ct)
            ?? throw new ComplianceRuleException("That group does not exist.");
        var person = await db.People.AsNoTracking().Include(p => p.Numbers).SingleOrDefaultAsync(p => p.Id == personId, ct)
            ?? throw new ComplianceRuleException("That person is not on the roster.");
        if (joinedOn > Today())
        {
            throw new ComplianceRuleException("The joining date cannot be in the future.");
        }

        var number = MemberNumber(person, string.IsNullOrWhiteSpace(phone) ? null : PhoneNumberNormalizer.TryNormalize(phone)
            ?? throw new ComplianceRuleException($"'{phone}' is not a phone number in international form."));
        if (group.Members.FirstOrDefault(m => m.IsCurrent && m.PhoneE164 == number) is { } current)
        {
            throw new ComplianceRuleException($"{number} is already in \"{group.Name}\" (since {current.JoinedOn:yyyy-MM-dd}).");
        }

        var member = new GroupMember(person.Id, number, joinedOn);
        group.Members.Add(member);
        await db.SaveChangesAsync(ct);
        audit.Record(db, AuditEventType.GroupMembershipChanged, actor, Subject(groupId), new
        {
            group = group.Name,
            change = "joined",
            person = person.Name,
            phone = number,
            on = joinedOn,
        });
        await db.SaveChangesAsync(ct);
        return member.Id;
    }

    /// <summary>Records that a participant left the group on <paramref name="leftOn"/>, with the reason, audited.</summary>
    public async Task EndMembershipAsync(long memberId, DateOnly leftOn, string reason, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EndMembershipAsync(db, memberId, leftOn, reason, actor, ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Ends a membership within <paramref name="db"/>'s unit of work (the caller saves).</summary>
    internal async Task EndMembershipAsync(ComplianceHubDbContext db, long memberId, DateOnly leftOn, string reason, AuditActor actor, CancellationToken ct)
    {
        var why = reason.Trim();
        if (why.Length is 0 or > 1000)
        {
            throw new ComplianceRuleException("Say why the participant left (1 to 1,000 characters).");
        }

        var member = await db.GroupMembers.SingleOrDefaultAsync(m => m.Id == memberId, ct)
            ?? throw new ComplianceRuleException("That participant is not in the group.");
        if (!member.IsCurrent)
        {
            throw new ComplianceRuleException($"{member.PhoneE164} already left on {member.LeftOn:yyyy-MM-dd}.");
        }

        if (leftOn < member.JoinedOn || leftOn > Today())
        {
            throw new ComplianceRuleException($"The leaving date must be between {member.JoinedOn:yyyy-MM-dd} (joined) and today.");
        }

        member.Leave(leftOn);
        var group = await db.OfficialGroups.AsNoTracking().Where(g => g.Id == member.GroupId).Select(g => g.Name).SingleAsync(ct);
        var person = await db.People.AsNoTracking().Where(p => p.Id == member.PersonId).Select(p => p.Name).SingleAsync(ct);
        audit.Record(db, AuditEventType.GroupMembershipChanged, actor, Subject(member.GroupId), new
        {
            group,
            change = "left",
            person,
            phone = member.PhoneE164,
            on = leftOn,
            reason = why,
        });
    }

    public async Task<IReadOnlyList<GroupSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await Summaries(db, null).ToListAsync(ct)).OrderBy(g => g.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    public async Task<OfficialGroupDetails?> GetAsync(long groupId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var group = await Summaries(db, groupId).SingleOrDefaultAsync(ct);
        if (group is null)
        {
            return null;
        }

        var members = await db.GroupMembers.AsNoTracking().Where(m => m.GroupId == groupId)
            .Join(db.People, m => m.PersonId, p => p.Id, (m, p) => new GroupMemberView(
                m.Id, p.Id, p.Name, p.Kind, p.Kind == PersonKind.Employee ? p.EmployeeId : p.Company, m.PhoneE164, m.JoinedOn, m.LeftOn))
            .ToListAsync(ct);
        return new OfficialGroupDetails(group, members
            .OrderBy(m => m.LeftOn is null ? 0 : 1).ThenBy(m => m.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(m => m.JoinedOn).ToList());
    }

    /// <summary>Archive conversations a group can be linked to (group chats first), with the one a group already has.</summary>
    public async Task<IReadOnlyList<LinkableConversation>> LinkableConversationsAsync(long? groupId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Conversations.AsNoTracking()
            .Where(c => !db.OfficialGroups.Any(g => g.ConversationId == c.Id && g.Id != groupId))
            .OrderByDescending(c => c.Kind).ThenBy(c => c.Title)
            .Select(c => new LinkableConversation(c.Id, c.Title, c.Kind))
            .ToListAsync(ct);
    }

    /// <summary>The number <paramref name="person"/> takes part with: an employee's roster number, an external contact's own.</summary>
    internal static string MemberNumber(Person person, string? phone)
    {
        if (person.Kind == PersonKind.External)
        {
            if (phone is not null && phone != person.ContactPhoneE164)
            {
                throw new ComplianceRuleException($"{person.Name}'s number on the roster is {person.ContactPhoneE164}, not {phone}.");
            }

            return person.ContactPhoneE164 ?? throw new ComplianceRuleException($"{person.Name} has no number on the roster.");
        }

        var numbers = person.Numbers.Where(n => n.Status != AuthorizationStatus.Revoked).Select(n => n.PhoneE164).ToList();
        if (phone is null)
        {
            return numbers.Count == 1 ? numbers[0] : throw new ComplianceRuleException(numbers.Count == 0
                ? $"{person.Name} has no authorized number to take part with."
                : $"{person.Name} has {numbers.Count} numbers: say which one takes part.");
        }

        return numbers.Contains(phone) ? phone : throw new ComplianceRuleException($"{phone} is not an authorized number of {person.Name}.");
    }

    private static IQueryable<GroupSummary> Summaries(ComplianceHubDbContext db, long? groupId) =>
        db.OfficialGroups.AsNoTracking().Where(g => groupId == null || g.Id == groupId)
            .Join(db.People, g => g.OwnerId, p => p.Id, (g, p) => new GroupSummary(
                g.Id, g.Name, g.Purpose, p.Id, p.Name, g.WhatsAppGroupId, g.InviteLink, g.ConversationId,
                db.Conversations.Where(c => c.Id == g.ConversationId).Select(c => c.Title).FirstOrDefault(),
                db.GroupMembers.Count(m => m.GroupId == g.Id && m.LeftOn == null && db.People.Any(x => x.Id == m.PersonId && x.Kind == PersonKind.Employee)),
                db.GroupMembers.Count(m => m.GroupId == g.Id && m.LeftOn == null && db.People.Any(x => x.Id == m.PersonId && x.Kind == PersonKind.External))));

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private static AuditSubject Subject(long groupId) => new("OfficialGroup", groupId.ToString(CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^[0-9]{5,30}(-[0-9]{5,20})?@g\.us$")]
    private static partial Regex GroupIdPattern();

    [GeneratedRegex(@"^https://chat\.whatsapp\.com/[A-Za-z0-9]{10,40}$")]
    private static partial Regex InviteLinkPattern();
}
