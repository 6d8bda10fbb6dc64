using ComplianceHub.Core.Storage;

namespace ComplianceHub.Core.Roster;

/// <summary>A number on the roster and who it belongs to: an employee (detail: employee id) or an external contact (detail: company).</summary>
public sealed class RosterNumberOwner
{
    public string PhoneE164 { get; init; } = "";
    public long PersonId { get; init; }
    public string Name { get; init; } = "";
    public string? Detail { get; init; }

    /// <summary>"Alex Kim (E1001)", "Maria Silva (Banco Atlântico)".</summary>
    public string Label => Detail is null ? Name : $"{Name} ({Detail})";
}

/// <summary>The one way the archive's views match a number to the roster: employees' authorized numbers and external contacts' own.</summary>
public static class RosterNumbers
{
    public static IQueryable<RosterNumberOwner> Owners(ComplianceHubDbContext db) =>
        db.AuthorizedNumbers
            .Join(db.People, n => n.PersonId, p => p.Id, (n, p) => new RosterNumberOwner { PhoneE164 = n.PhoneE164, PersonId = p.Id, Name = p.Name, Detail = p.EmployeeId })
            .Concat(db.People.Where(p => p.ContactPhoneE164 != null)
                .Select(p => new RosterNumberOwner { PhoneE164 = p.ContactPhoneE164!, PersonId = p.Id, Name = p.Name, Detail = p.Company ?? "external" }));
}
