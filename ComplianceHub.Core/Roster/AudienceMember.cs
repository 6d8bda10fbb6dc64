using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Roster;

/// <summary>
/// A sign-in account as an <see cref="Audience"/> sees it: its e-mail address, its roles, and its roster departments
/// (found by the linked account first, then the work e-mail) with when each roster entry was made.
/// </summary>
public sealed record AudienceMember(
    string UserId, string Name, string? Email, DateTimeOffset AccountCreatedAt, IReadOnlyList<string> Roles, IReadOnlyList<(string Department, DateTimeOffset Since)> Departments)
{
    /// <summary>How reports place them: their first roster department, or "(no department)".</summary>
    public string Department => Departments.Count > 0 ? Departments[0].Department : NoDepartment;

    public const string NoDepartment = "(no department)";

    public bool IsIn(Audience audience) => audience.Includes(Email, Roles, Departments.Select(d => d.Department).ToList());

    /// <summary>
    /// From when they owe what the audience asks: <paramref name="since"/> (a publication, an assignment), or later when
    /// their account was made later, or when they joined a department the audience names later still.
    /// </summary>
    public DateTimeOffset OwesFrom(Audience audience, DateTimeOffset since)
    {
        var from = since > AccountCreatedAt ? since : AccountCreatedAt;
        var joined = Departments.Where(d => audience.NamesDepartment(d.Department)).Select(d => d.Since).DefaultIfEmpty(from).Min();
        return joined > from ? joined : from;
    }

    /// <summary>The given accounts (null: every account) with their roles and roster departments, from three queries.</summary>
    public static async Task<IReadOnlyList<AudienceMember>> LoadAsync(ComplianceHubDbContext db, IReadOnlyCollection<string>? userIds, CancellationToken ct)
    {
        var usersQuery = db.Users.AsNoTracking();
        if (userIds is not null)
        {
            usersQuery = usersQuery.Where(u => userIds.Contains(u.Id));
        }

        var users = await usersQuery.Select(u => new { u.Id, u.DisplayName, u.Email, u.CreatedAt }).ToListAsync(ct);
        if (users.Count == 0)
        {
            return [];
        }

        var ids = users.Select(u => u.Id).ToList();
        var roles = (await db.UserRoles.Where(r => ids.Contains(r.UserId)).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
                .ToListAsync(ct))
            .ToLookup(r => r.UserId, r => r.Name!, StringComparer.Ordinal);

        // The roster keeps e-mail addresses in lower case.
        var emails = users.Where(u => u.Email is not null).Select(u => u.Email!.ToLowerInvariant()).ToList();
        var people = await db.People.AsNoTracking()
            .Where(p => p.Department != null && ((p.UserId != null && ids.Contains(p.UserId)) || (p.WorkEmail != null && emails.Contains(p.WorkEmail))))
            .Select(p => new { p.Id, p.UserId, p.WorkEmail, Department = p.Department!, p.CreatedAt }).ToListAsync(ct);
        var byAccount = people.Where(p => p.UserId != null).ToLookup(p => p.UserId!, StringComparer.Ordinal);
        var byEmail = people.Where(p => p.WorkEmail != null).ToLookup(p => p.WorkEmail!, StringComparer.Ordinal);

        return users.Select(u =>
        {
            var email = u.Email?.ToLowerInvariant();
            var departments = byAccount[u.Id].Concat(email is null ? [] : byEmail[email]).DistinctBy(p => p.Id).Select(p => (p.Department, p.CreatedAt)).ToList();
            return new AudienceMember(u.Id, u.DisplayName, email, u.CreatedAt, roles[u.Id].ToList(), departments);
        }).ToList();
    }
}
