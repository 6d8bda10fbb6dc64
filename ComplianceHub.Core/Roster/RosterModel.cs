using ComplianceHub.Core.Storage;
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

/// <summary>Whether a number is, or may become, authorized for business messaging.</summary>
public enum AuthorizationStatus
{
    Requested = 0,
    Active = 1,
    Suspended = 2,
    Revoked = 3,
}

public enum DeviceType
{
    Business = 0,
    Personal = 1,
}

public enum CaptureMethod
{
    /// <summary>A WhatsApp Business Cloud API number captured live by the webhook.</summary>
    CloudApi = 0,

    /// <summary>A device whose chats reach the archive as export imports.</summary>
    ExportImport = 1,
}

/// <summary>An employee's WhatsApp number and its authorization; every status change is kept in <see cref="History"/>.</summary>
public sealed class AuthorizedNumber
{
    private AuthorizedNumber()
    {
    }

    internal AuthorizedNumber(string phoneE164, DeviceType device, CaptureMethod capture, DateOnly authorizedFrom, DateOnly? authorizedUntil)
    {
        PhoneE164 = phoneE164;
        Device = device;
        Capture = capture;
        AuthorizedFrom = authorizedFrom;
        AuthorizedUntil = authorizedUntil;
        Status = AuthorizationStatus.Requested;
    }

    public long Id { get; private set; }
    public long PersonId { get; private set; }

    /// <summary>The number in E.164 (<c>+447700900123</c>).</summary>
    public string PhoneE164 { get; private set; } = "";

    public DeviceType Device { get; private set; }
    public CaptureMethod Capture { get; private set; }
    public DateOnly AuthorizedFrom { get; private set; }
    public DateOnly? AuthorizedUntil { get; private set; }
    public AuthorizationStatus Status { get; private set; }

    /// <summary>Why the number has its status (a suspension or revocation reason, or why activation is blocked).</summary>
    public string? StatusReason { get; private set; }

    public string? ApprovedBy { get; private set; }

    public List<NumberStatusChange> History { get; private set; } = [];

    internal void SetDevice(DeviceType device, CaptureMethod capture)
    {
        Device = device;
        Capture = capture;
    }

    internal void SetPeriod(DateOnly from, DateOnly? until)
    {
        AuthorizedFrom = from;
        AuthorizedUntil = until;
    }

    /// <summary>Moves to <paramref name="status"/> and records the change; nothing happens when the status is already that.</summary>
    internal bool ChangeStatus(AuthorizationStatus status, string? reason, string changedBy, DateTimeOffset at)
    {
        if (status == Status && History.Count > 0)
        {
            return false;
        }

        History.Add(new NumberStatusChange(History.Count == 0 ? null : Status, status, reason, changedBy, at));
        Status = status;
        StatusReason = reason;
        if (status == AuthorizationStatus.Active)
        {
            ApprovedBy = changedBy;
        }

        return true;
    }
}

/// <summary>One change of an authorized number's status: append-only history.</summary>
public sealed class NumberStatusChange : IAppendOnly
{
    private NumberStatusChange()
    {
    }

    internal NumberStatusChange(AuthorizationStatus? from, AuthorizationStatus to, string? reason, string changedBy, DateTimeOffset changedAt)
    {
        FromStatus = from;
        ToStatus = to;
        Reason = reason;
        ChangedBy = changedBy;
        ChangedAt = changedAt;
    }

    public long Id { get; private set; }
    public long AuthorizedNumberId { get; private set; }
    public AuthorizationStatus? FromStatus { get; private set; }
    public AuthorizationStatus ToStatus { get; private set; }
    public string? Reason { get; private set; }
    public string ChangedBy { get; private set; } = "";
    public DateTimeOffset ChangedAt { get; private set; }
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

internal sealed class AuthorizedNumberConfiguration : IEntityTypeConfiguration<AuthorizedNumber>
{
    public void Configure(EntityTypeBuilder<AuthorizedNumber> builder)
    {
        builder.ToTable("AuthorizedNumbers");
        builder.Property(n => n.PhoneE164).HasMaxLength(20).IsRequired();
        builder.Property(n => n.Device).HasConversion<int>();
        builder.Property(n => n.Capture).HasConversion<int>();
        builder.Property(n => n.Status).HasConversion<int>();
        builder.Property(n => n.StatusReason).HasMaxLength(1000);
        builder.Property(n => n.ApprovedBy).HasMaxLength(256);
        builder.HasIndex(n => new { n.PersonId, n.PhoneE164 }).IsUnique();
        builder.HasIndex(n => n.PhoneE164);
        builder.HasMany(n => n.History).WithOne().HasForeignKey(h => h.AuthorizedNumberId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class NumberStatusChangeConfiguration : IEntityTypeConfiguration<NumberStatusChange>
{
    public void Configure(EntityTypeBuilder<NumberStatusChange> builder)
    {
        builder.ToTable("NumberStatusChanges");
        builder.Property(h => h.FromStatus).HasConversion<int?>();
        builder.Property(h => h.ToStatus).HasConversion<int>();
        builder.Property(h => h.Reason).HasMaxLength(1000);
        builder.Property(h => h.ChangedBy).HasMaxLength(256).IsRequired();
        builder.HasIndex(h => h.AuthorizedNumberId);
    }
}
