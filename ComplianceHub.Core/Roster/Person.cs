using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Roster;

public enum PersonKind
{
    Employee = 0,
    External = 1,
}

/// <summary>
/// Someone on the roster: an employee (who may be authorized to use WhatsApp for business) or an
/// external contact (a client or counterparty in official groups, with an internal relationship owner).
/// </summary>
public sealed class Person
{
    public const int MaxNameLength = 200;

    private Person()
    {
    }

    internal Person(PersonKind kind, string name, DateTimeOffset createdAt)
    {
        Kind = kind;
        Name = name;
        CreatedAt = createdAt;
    }

    public long Id { get; private set; }
    public PersonKind Kind { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>An employee's work e-mail, lower case; unique.</summary>
    public string? WorkEmail { get; private set; }

    /// <summary>The HR system's employee id; unique.</summary>
    public string? EmployeeId { get; private set; }

    public string? Department { get; private set; }
    public long? ManagerId { get; private set; }

    /// <summary>The sign-in account of this employee, when they have one.</summary>
    public string? UserId { get; private set; }

    /// <summary>An external contact's company and role.</summary>
    public string? Company { get; private set; }

    public string? Role { get; private set; }

    /// <summary>The employee who owns the relationship with an external contact.</summary>
    public long? RelationshipOwnerId { get; private set; }

    /// <summary>An external contact's WhatsApp number in E.164; unique. (Employees' numbers are <see cref="Numbers"/>.)</summary>
    public string? ContactPhoneE164 { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public List<AuthorizedNumber> Numbers { get; private set; } = [];

    internal void SetEmployee(string employeeId, string name, string workEmail, string? department)
    {
        Kind = PersonKind.Employee;
        EmployeeId = employeeId;
        Name = name;
        WorkEmail = workEmail;
        Department = department;
    }

    internal void SetManager(long? managerId) => ManagerId = managerId;

    internal void SetExternal(string name, string? company, string? role, string phoneE164, long relationshipOwnerId)
    {
        Kind = PersonKind.External;
        Name = name;
        Company = company;
        Role = role;
        ContactPhoneE164 = phoneE164;
        RelationshipOwnerId = relationshipOwnerId;
    }

    internal void LinkAccount(string? userId) => UserId = userId;
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.ToTable("People");
        builder.Property(p => p.Kind).HasConversion<int>();
        builder.Property(p => p.Name).HasMaxLength(Person.MaxNameLength).IsRequired();
        builder.Property(p => p.WorkEmail).HasMaxLength(256);
        builder.Property(p => p.EmployeeId).HasMaxLength(64);
        builder.Property(p => p.Department).HasMaxLength(200);
        builder.Property(p => p.UserId).HasMaxLength(450);
        builder.Property(p => p.Company).HasMaxLength(200);
        builder.Property(p => p.Role).HasMaxLength(200);
        builder.HasIndex(p => p.WorkEmail).IsUnique().HasFilter("\"WorkEmail\" IS NOT NULL");
        builder.HasIndex(p => p.EmployeeId).IsUnique().HasFilter("\"EmployeeId\" IS NOT NULL");
        builder.Property(p => p.ContactPhoneE164).HasMaxLength(20);
        builder.HasIndex(p => p.ContactPhoneE164).IsUnique().HasFilter("\"ContactPhoneE164\" IS NOT NULL");
        builder.HasIndex(p => p.UserId).IsUnique().HasFilter("\"UserId\" IS NOT NULL");
        builder.HasOne<Identity.ApplicationUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Person>().WithMany().HasForeignKey(p => p.ManagerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(p => p.RelationshipOwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(p => p.Numbers).WithOne().HasForeignKey(n => n.PersonId).OnDelete(DeleteBehavior.Restrict);
    }
}
