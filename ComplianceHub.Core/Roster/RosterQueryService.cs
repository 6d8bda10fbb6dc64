using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Roster;

/// <summary>An employee as the roster lists them: who they report to and each number with its status.</summary>
public sealed record RosterEmployee(
    long Id, string? EmployeeId, string Name, string? WorkEmail, string? Department, string? Manager, IReadOnlyList<RosterNumber> Numbers);

public sealed record RosterNumber(
    long Id, string PhoneE164, AuthorizationStatus Status, string? StatusReason, DateOnly AuthorizedFrom, DateOnly? AuthorizedUntil, string? ApprovedBy);

/// <summary>Reads the roster for its screens.</summary>
public sealed class RosterQueryService(IDbContextFactory<ComplianceHubDbContext> dbFactory)
{
    public async Task<IReadOnlyList<RosterEmployee>> ListEmployeesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var people = await db.People.AsNoTracking().Include(p => p.Numbers).Where(p => p.Kind == PersonKind.Employee).ToListAsync(ct);
        var names = people.ToDictionary(p => p.Id, p => p.Name);
        return people
            .OrderBy(p => p.Name, StringComparer.CurrentCultureIgnoreCase)
            .Select(p => new RosterEmployee(
                p.Id, p.EmployeeId, p.Name, p.WorkEmail, p.Department, p.ManagerId is { } m ? names.GetValueOrDefault(m) : null,
                p.Numbers.OrderBy(n => n.PhoneE164, StringComparer.Ordinal)
                    .Select(n => new RosterNumber(n.Id, n.PhoneE164, n.Status, n.StatusReason, n.AuthorizedFrom, n.AuthorizedUntil, n.ApprovedBy))
                    .ToList()))
            .ToList();
    }
}
