using System.Globalization;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Roster;

/// <summary>A problem in a roster CSV: the file's line (the header is line 1), the column, and what is wrong.</summary>
public sealed record RosterImportError(int Row, string Column, string Reason);

/// <summary>An authorization the file asks to be active but that cannot be yet, and why (policy, training…).</summary>
public sealed record BlockedAuthorization(int Row, string Phone, string Reason);

/// <summary>What an import found (a dry run) or did: data rows read, people and numbers in the file, and every error.</summary>
public sealed record RosterImportResult(
    int Rows, int People, int Numbers, IReadOnlyList<RosterImportError> Errors, IReadOnlyList<BlockedAuthorization> Blocked, bool Stored)
{
    /// <summary>"3 row(s), 2 people, 3 number(s)", as the portal and the command line say it.</summary>
    public string Summary => $"{Rows} row(s), {People} people, {Numbers} number(s)";
}

/// <summary>
/// Bulk onboarding of employees and their numbers from CSV (one row per number). The whole file is
/// checked first, against itself and the roster, and every problem is reported with its row and
/// column; only a clean file is stored, in one transaction, and audited. Re-importing updates people by
/// employee id and numbers by person and number, recording each status change.
/// </summary>
public sealed class RosterImportService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, TimeProvider clock, IOptionsMonitor<RosterOptions> options,
    ActivationPrerequisites prerequisites, IBusinessNumbers businessNumbers)
{
    public static readonly string[] Columns =
        ["employee_id", "name", "email", "department", "manager_email", "phone", "authorized_from", "authorized_until", "status"];

    public static string Template => string.Join(',', Columns);

    /// <summary>Checks <paramref name="csv"/> and, unless <paramref name="dryRun"/> or anything is wrong, stores it.</summary>
    public async Task<RosterImportResult> ImportAsync(Stream csv, string fileName, bool dryRun, AuditActor actor, CancellationToken ct = default)
    {
        var errors = new List<RosterImportError>();
        var rows = Parse(csv, errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.People.Include(p => p.Numbers).ThenInclude(n => n.History).AsSplitQuery().ToListAsync(ct);
        var employees = Validate(rows, existing, errors);
        var numbers = rows.Count(r => r.Phone is not null);
        if (errors.Count > 0 || dryRun)
        {
            return new RosterImportResult(rows.Count, employees.Count, numbers, Sorted(errors), [], Stored: false);
        }

        var blocked = new List<BlockedAuthorization>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var byEmployeeId = existing.Where(p => p.EmployeeId is not null).ToDictionary(p => p.EmployeeId!, StringComparer.Ordinal);
        foreach (var employee in employees.Values)
        {
            if (!byEmployeeId.TryGetValue(employee.EmployeeId, out var person))
            {
                person = new Person(PersonKind.Employee, employee.Name, now);
                db.People.Add(person);
                byEmployeeId[employee.EmployeeId] = person;
            }

            person.SetEmployee(employee.EmployeeId, employee.Name, employee.Email, employee.Department);
        }

        await db.SaveChangesAsync(ct);
        var businessPhones = await businessNumbers.PhonesE164Async(ct);
        var byEmail = byEmployeeId.Values.Where(p => p.WorkEmail is not null).ToDictionary(p => p.WorkEmail!, StringComparer.Ordinal);
        foreach (var employee in employees.Values)
        {
            var person = byEmployeeId[employee.EmployeeId];
            person.SetManager(employee.ManagerEmail is { } manager ? byEmail[manager].Id : null);
            foreach (var row in employee.Rows)
            {
                var number = person.Numbers.SingleOrDefault(n => n.PhoneE164 == row.Phone);
                if (number is null)
                {
                    // A configured Cloud API number is the firm's device, captured live; any other is taken as a personal device whose chats are exported.
                    number = businessPhones.Contains(row.Phone!)
                        ? new AuthorizedNumber(row.Phone!, DeviceType.Business, CaptureMethod.CloudApi, row.From!.Value, row.Until)
                        : new AuthorizedNumber(row.Phone!, DeviceType.Personal, CaptureMethod.ExportImport, row.From!.Value, row.Until);
                    person.Numbers.Add(number);
                }

                number.SetPeriod(row.From!.Value, row.Until);
                var status = row.Status!.Value;
                var reason = status == AuthorizationStatus.Active ? null : $"Set by roster import ({fileName}, row {row.Line}).";
                if (status == AuthorizationStatus.Active && await prerequisites.BlockingReasonAsync(person, ct) is { } why)
                {
                    (status, reason) = (AuthorizationStatus.Requested, "Activation blocked: " + why);
                    blocked.Add(new BlockedAuthorization(row.Line, row.Phone!, why));
                }

                number.ChangeStatus(status, reason, actor.Name, now);
            }
        }

        await db.SaveChangesAsync(ct);
        audit.Record(db, AuditEventType.RosterImported, actor, new AuditSubject("RosterImport", fileName), new
        {
            file = fileName,
            rows = rows.Count,
            people = employees.Count,
            numbers,
            blocked = blocked.Count,
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new RosterImportResult(rows.Count, employees.Count, numbers, [], blocked, Stored: true);
    }

    /// <summary>The roster's employees and numbers in the import template's format (one row per number); audited.</summary>
    public async Task<string> ExportCsvAsync(AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var people = await db.People.AsNoTracking().Include(p => p.Numbers).Where(p => p.Kind == PersonKind.Employee)
            .OrderBy(p => p.EmployeeId).ToListAsync(ct);
        var emails = people.ToDictionary(p => p.Id, p => p.WorkEmail);
        using var csv = new StringWriter(CultureInfo.InvariantCulture);
        await using (var rows = Csv.CreateWriter(csv))
        {
            await rows.WriteRecordAsync(Columns, ct);
            foreach (var person in people)
            {
                foreach (var number in person.Numbers.OrderBy(n => n.PhoneE164, StringComparer.Ordinal))
                {
                    string[] fields =
                    [
                        person.EmployeeId ?? "", person.Name, person.WorkEmail ?? "", person.Department ?? "",
                        person.ManagerId is { } manager ? emails.GetValueOrDefault(manager) ?? "" : "", number.PhoneE164,
                        number.AuthorizedFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        number.AuthorizedUntil?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                        number.Status.ToString().ToLowerInvariant(),
                    ];
                    await rows.WriteRecordAsync(fields, ct);
                }
            }
        }

        audit.Record(db, AuditEventType.RosterExported, actor, null, new { people = people.Count, numbers = people.Sum(p => p.Numbers.Count) });
        await db.SaveChangesAsync(ct);
        return csv.ToString();
    }

    private static List<RosterImportError> Sorted(List<RosterImportError> errors) =>
        errors.OrderBy(e => e.Row).ThenBy(e => Array.IndexOf(Columns, e.Column)).ToList();

    private sealed class Row
    {
        public int Line { get; init; }
        public string EmployeeId { get; set; } = "";
        public string Name { get; set; } = "";
        public string Email { get; set; } = "";
        public string? Department { get; set; }
        public string? ManagerEmail { get; set; }
        public string? Phone { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? Until { get; set; }
        public AuthorizationStatus? Status { get; set; }
    }

    private sealed record Employee(string EmployeeId, string Name, string Email, string? Department, string? ManagerEmail, List<Row> Rows);

    /// <summary>Reads the header and each row, checking every field on its own.</summary>
    private List<Row> Parse(Stream csv, List<RosterImportError> errors)
    {
        var rows = new List<Row>();
        var region = options.CurrentValue.DefaultRegion;
        foreach (var record in RosterCsv.Read(csv, Columns, errors)?.Rows ?? [])
        {
            var row = new Row
            {
                Line = record.Line,
                EmployeeId = record.Required("employee_id", 64) ?? "",
                Name = record.Required("name", Person.MaxNameLength) ?? "",
                Email = record.Email("email", required: true) ?? "",
                Department = record.Optional("department"),
                ManagerEmail = record.Email("manager_email", required: false),
                Phone = record.Phone("phone", region),
                From = record.Date("authorized_from", required: true),
                Until = record.Date("authorized_until", required: false),
            };
            if (row.From is { } from && row.Until is { } until && until < from)
            {
                record.Error("authorized_until", "Before authorized_from.");
            }

            var status = record.Field("status").ToLowerInvariant();
            row.Status = status switch
            {
                "active" => AuthorizationStatus.Active,
                "suspended" => AuthorizationStatus.Suspended,
                "revoked" => AuthorizationStatus.Revoked,
                _ => null,
            };
            if (row.Status is null)
            {
                record.Error("status", status.Length == 0 ? "Required: active, suspended or revoked." : $"'{status}' is not active, suspended or revoked.");
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Checks the rows against each other and the roster; returns the employees, by employee id.</summary>
    private static Dictionary<string, Employee> Validate(List<Row> rows, List<Person> existing, List<RosterImportError> errors)
    {
        var employees = new Dictionary<string, Employee>(StringComparer.Ordinal);
        var emailOwner = new Dictionary<string, (string EmployeeId, int Line)>(StringComparer.Ordinal);
        var phoneOwner = new Dictionary<string, (string EmployeeId, int Line)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (employees.TryGetValue(row.EmployeeId, out var employee))
            {
                foreach (var (column, mine, theirs) in new[]
                {
                    ("name", row.Name, employee.Name), ("email", row.Email, employee.Email),
                    ("department", row.Department ?? "", employee.Department ?? ""), ("manager_email", row.ManagerEmail ?? "", employee.ManagerEmail ?? ""),
                })
                {
                    if (!string.Equals(mine, theirs, StringComparison.Ordinal))
                    {
                        errors.Add(new RosterImportError(row.Line, column, $"Differs from row {employee.Rows[0].Line} for employee {row.EmployeeId} ('{theirs}')."));
                    }
                }

                employee.Rows.Add(row);
            }
            else
            {
                employees[row.EmployeeId] = new Employee(row.EmployeeId, row.Name, row.Email, row.Department, row.ManagerEmail, [row]);
                if (row.Email.Length > 0)
                {
                    if (emailOwner.TryGetValue(row.Email, out var owner))
                    {
                        errors.Add(new RosterImportError(row.Line, "email", $"Also the e-mail of employee {owner.EmployeeId} (row {owner.Line})."));
                    }
                    else
                    {
                        emailOwner[row.Email] = (row.EmployeeId, row.Line);
                    }
                }
            }

            if (row.Phone is { } phone && row.Status is not AuthorizationStatus.Revoked)
            {
                if (phoneOwner.TryGetValue(phone, out var owner))
                {
                    errors.Add(new RosterImportError(row.Line, "phone", owner.EmployeeId == row.EmployeeId
                        ? $"{phone} appears twice for employee {row.EmployeeId} (row {owner.Line})."
                        : $"{phone} is also authorized for employee {owner.EmployeeId} (row {owner.Line})."));
                }
                else
                {
                    phoneOwner[phone] = (row.EmployeeId, row.Line);
                }
            }
        }

        // Against the roster: an e-mail held by another employee, a number authorized for someone else.
        foreach (var row in rows)
        {
            if (existing.FirstOrDefault(p => p.WorkEmail == row.Email && p.EmployeeId != row.EmployeeId) is { } other)
            {
                errors.Add(new RosterImportError(row.Line, "email", $"Already the e-mail of employee {other.EmployeeId} ({other.Name}) on the roster."));
            }

            if (row.Phone is { } phone && row.Status is not AuthorizationStatus.Revoked
                && existing.FirstOrDefault(p => p.EmployeeId != row.EmployeeId && p.Numbers.Any(n => n.PhoneE164 == phone && n.Status != AuthorizationStatus.Revoked)) is { } holder)
            {
                errors.Add(new RosterImportError(row.Line, "phone", $"{phone} is authorized for {holder.Name} ({holder.EmployeeId ?? "external"}) on the roster."));
            }

            if (row.Phone is { } contactPhone && existing.FirstOrDefault(p => p.ContactPhoneE164 == contactPhone) is { } contact)
            {
                errors.Add(new RosterImportError(row.Line, "phone", $"{contactPhone} is the number of external contact {contact.Name} on the roster."));
            }

            if (row.ManagerEmail is { } manager)
            {
                if (manager == row.Email)
                {
                    errors.Add(new RosterImportError(row.Line, "manager_email", "An employee cannot be their own manager."));
                }
                else if (!emailOwner.ContainsKey(manager) && !existing.Any(p => p.Kind == PersonKind.Employee && p.WorkEmail == manager))
                {
                    errors.Add(new RosterImportError(row.Line, "manager_email", $"{manager} is not an employee in this file or on the roster."));
                }
            }
        }

        return employees;
    }
}
