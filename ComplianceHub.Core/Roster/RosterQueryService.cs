using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Roster;

/// <summary>Reads the roster for its screens.</summary>
public sealed class RosterQueryService(IDbContextFactory<ComplianceHubDbContext> dbFactory)
{
    /// <summary>The departments on the roster, for naming an audience.</summary>
    public async Task<IReadOnlyList<string>> DepartmentsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.People.AsNoTracking().Where(p => p.Department != null).Select(p => p.Department!).Distinct().ToListAsync(ct))
            .Order(StringComparer.CurrentCulture).ToList();
    }

    /// <summary>The people who may be named in an audience: every sign-in account's e-mail address (lower case) and name.</summary>
    public async Task<IReadOnlyList<(string Email, string Name)>> AccountsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.Users.AsNoTracking().Where(u => u.Email != null).Select(u => new { u.Email, u.DisplayName }).ToListAsync(ct))
            .OrderBy(u => u.DisplayName, StringComparer.CurrentCulture).Select(u => (u.Email!.ToLowerInvariant(), u.DisplayName)).ToList();
    }

    public async Task<IReadOnlyList<RosterEmployee>> ListEmployeesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await EmployeesAsync(db, db.People.Where(p => p.Kind == PersonKind.Employee), ct);
    }

    /// <summary>The employee linked to sign-in account <paramref name="userId"/>, if any.</summary>
    public async Task<RosterEmployee?> FindByAccountAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await EmployeesAsync(db, db.People.Where(p => p.Kind == PersonKind.Employee && p.UserId == userId), ct)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<RosterExternal>> ListExternalsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var contacts = await db.People.AsNoTracking().Where(p => p.Kind == PersonKind.External)
            .Select(p => new
            {
                p.Id, p.Name, p.Company, p.Role, p.ContactPhoneE164, p.RelationshipOwnerId,
                Owner = db.People.Where(o => o.Id == p.RelationshipOwnerId).Select(o => o.Name).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var groups = (await db.GroupMembers.AsNoTracking().Where(m => m.LeftOn == null)
                .Join(db.OfficialGroups, m => m.GroupId, g => g.Id, (m, g) => new { m.PersonId, g.Name })
                .ToListAsync(ct))
            .ToLookup(x => x.PersonId, x => x.Name);
        return contacts
            .OrderBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase)
            .Select(c => new RosterExternal(c.Id, c.Name, c.Company, c.Role, c.ContactPhoneE164, c.RelationshipOwnerId, c.Owner,
                groups[c.Id].Distinct().Order(StringComparer.CurrentCultureIgnoreCase).ToList()))
            .ToList();
    }

    private static async Task<IReadOnlyList<RosterEmployee>> EmployeesAsync(ComplianceHubDbContext db, IQueryable<Person> query, CancellationToken ct)
    {
        var people = await query.AsNoTracking().Include(p => p.Numbers).ThenInclude(n => n.History).AsSplitQuery().ToListAsync(ct);
        var managerIds = people.Where(p => p.ManagerId is not null).Select(p => p.ManagerId!.Value).Distinct().ToList();
        var managers = await db.People.AsNoTracking().Where(p => managerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var userIds = people.Where(p => p.UserId is not null).Select(p => p.UserId!).ToList();
        var accounts = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, ct);
        return people
            .OrderBy(p => p.Name, StringComparer.CurrentCultureIgnoreCase)
            .Select(p => new RosterEmployee(
                p.Id, p.EmployeeId, p.Name, p.WorkEmail, p.Department, p.ManagerId is { } m ? managers.GetValueOrDefault(m) : null,
                p.UserId is { } u ? accounts.GetValueOrDefault(u) : null,
                p.Numbers.OrderBy(n => n.PhoneE164, StringComparer.Ordinal)
                    .Select(n => new RosterNumber(n.Id, n.PhoneE164, n.Status, n.StatusReason, n.AuthorizedFrom, n.AuthorizedUntil, n.ApprovedBy, n.Device, n.Capture,
                        n.History.OrderBy(h => h.ChangedAt).ThenBy(h => h.Id)
                            .Select(h => new RosterStatusChange(h.FromStatus, h.ToStatus, h.Reason, h.ChangedBy, h.ChangedAt)).ToList()))
                    .ToList()))
            .ToList();
    }
}

/// <summary>An employee as the roster lists them: who they report to, their sign-in account and each number with its status.</summary>
public sealed record RosterEmployee(
    long Id, string? EmployeeId, string Name, string? WorkEmail, string? Department, string? Manager, string? AccountEmail,
    IReadOnlyList<RosterNumber> Numbers);

public sealed record RosterNumber(
    long Id, string PhoneE164, AuthorizationStatus Status, string? StatusReason, DateOnly AuthorizedFrom, DateOnly? AuthorizedUntil, string? ApprovedBy,
    DeviceType Device, CaptureMethod Capture, IReadOnlyList<RosterStatusChange> History);

/// <summary>One change of a number's status, as its history lists it.</summary>
public sealed record RosterStatusChange(AuthorizationStatus? From, AuthorizationStatus To, string? Reason, string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>An external contact: who they are, their number, the employee who owns the relationship and the official groups they are in now.</summary>
public sealed record RosterExternal(
    long Id, string Name, string? Company, string? Role, string? PhoneE164, long? RelationshipOwnerId, string? RelationshipOwner,
    IReadOnlyList<string> Groups);
