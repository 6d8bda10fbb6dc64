using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Roster;

/// <summary>What a participants import found (a dry run) or did: data rows, groups touched, participant stays, external contacts, and every error.</summary>
public sealed record GroupParticipantImportResult(
    int Rows, int Groups, int Participants, int Contacts, IReadOnlyList<RosterImportError> Errors, bool Stored)
{
    /// <summary>"2 row(s), 2 participant(s) in 1 group(s), 1 external contact(s)", as the portal and the command line say it.</summary>
    public string Summary => $"{Rows} row(s), {Participants} participant(s) in {Groups} group(s), {Contacts} external contact(s)";
}

/// <summary>
/// Bulk onboarding of official groups' participants from CSV: one row per stay of a person in a group,
/// an employee by employee id with one of their roster numbers, or an external contact (created or
/// updated by number) with their company, role and relationship owner. The whole file is checked first
/// against itself and the roster, every problem reported by row and column; only a clean file is
/// stored, in one transaction, and audited. A row whose stay (group, number, joining date) is already
/// recorded can add the leaving date.
/// </summary>
public sealed class GroupParticipantImportService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, TimeProvider clock, IOptionsMonitor<RosterOptions> options)
{
    public static readonly string[] Columns =
        ["group", "phone", "type", "employee_id", "name", "company", "role", "relationship_owner_email", "joined_on", "left_on"];

    public static string Template => string.Join(',', Columns);

    private sealed record Row(
        int Line, OfficialGroup Group, string Phone, Person? Employee, string? Name, string? Company, string? Role, Person? Owner,
        DateOnly JoinedOn, DateOnly? LeftOn);

    public async Task<GroupParticipantImportResult> ImportAsync(Stream csv, string fileName, bool dryRun, AuditActor actor, CancellationToken ct = default)
    {
        var errors = new List<RosterImportError>();
        var table = RosterCsv.Read(csv, Columns, errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var groups = await db.OfficialGroups.Include(g => g.Members).ToListAsync(ct);
        var people = await db.People.Include(p => p.Numbers).ToListAsync(ct);
        var rows = Validate(table?.Rows ?? [], groups, people, errors);
        var contacts = rows.Where(r => r.Employee is null).Select(r => r.Phone).Distinct(StringComparer.Ordinal).Count();
        var touched = rows.Select(r => r.Group.Id).Distinct().Count();
        if (errors.Count > 0 || dryRun)
        {
            return new GroupParticipantImportResult(table?.Rows.Count ?? 0, touched, rows.Count, contacts,
                errors.OrderBy(e => e.Row).ThenBy(e => Array.IndexOf(Columns, e.Column)).ToList(), Stored: false);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var byPhone = people.Where(p => p.ContactPhoneE164 is not null).ToDictionary(p => p.ContactPhoneE164!, StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Employee is null))
        {
            if (!byPhone.TryGetValue(row.Phone, out var contact))
            {
                contact = new Person(PersonKind.External, row.Name!, now);
                db.People.Add(contact);
                byPhone[row.Phone] = contact;
            }

            contact.SetExternal(row.Name!, row.Company, row.Role, row.Phone, row.Owner!.Id);
        }

        await db.SaveChangesAsync(ct);
        foreach (var row in rows)
        {
            var person = row.Employee ?? byPhone[row.Phone];
            var stay = row.Group.Members.FirstOrDefault(m => m.PhoneE164 == row.Phone && m.JoinedOn == row.JoinedOn);
            if (stay is null)
            {
                stay = new GroupMember(person.Id, row.Phone, row.JoinedOn);
                row.Group.Members.Add(stay);
            }

            if (row.LeftOn is { } left && stay.LeftOn is null)
            {
                stay.Leave(left);
            }
        }

        audit.Record(db, AuditEventType.GroupParticipantsImported, actor, new AuditSubject("GroupParticipantImport", fileName), new
        {
            file = fileName,
            rows = rows.Count,
            groups = rows.Select(r => r.Group.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            contacts,
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new GroupParticipantImportResult(rows.Count, touched, rows.Count, contacts, [], Stored: true);
    }

    /// <summary>Every group's participants, past and present, in the import template's format (one row per stay); audited.</summary>
    public async Task<string> ExportCsvAsync(AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var people = await db.People.AsNoTracking().ToDictionaryAsync(p => p.Id, ct);
        var stays = await db.GroupMembers.AsNoTracking()
            .Join(db.OfficialGroups, m => m.GroupId, g => g.Id, (m, g) => new { Group = g.Name, m.PersonId, m.PhoneE164, m.JoinedOn, m.LeftOn })
            .ToListAsync(ct);
        using var csv = new StringWriter(CultureInfo.InvariantCulture);
        await using (var rows = Csv.CreateWriter(csv))
        {
            await rows.WriteRecordAsync(Columns, ct);
            foreach (var stay in stays.OrderBy(s => s.Group, StringComparer.Ordinal).ThenBy(s => s.JoinedOn).ThenBy(s => s.PhoneE164, StringComparer.Ordinal))
            {
                var person = people[stay.PersonId];
                var external = person.Kind == PersonKind.External;
                string[] fields =
                [
                    stay.Group, stay.PhoneE164, external ? "external" : "employee", external ? "" : person.EmployeeId ?? "", person.Name,
                    external ? person.Company ?? "" : "", external ? person.Role ?? "" : "",
                    external && person.RelationshipOwnerId is { } owner ? people[owner].WorkEmail ?? "" : "",
                    stay.JoinedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), stay.LeftOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                ];
                await rows.WriteRecordAsync(fields, ct);
            }
        }

        audit.Record(db, AuditEventType.RosterExported, actor, null, new { file = "group-participants", stays = stays.Count });
        await db.SaveChangesAsync(ct);
        return csv.ToString();
    }

    /// <summary>Checks every row on its own, against the other rows and against the roster; returns the rows that are valid on their own.</summary>
    private List<Row> Validate(List<RosterCsvRow> records, List<OfficialGroup> groups, List<Person> people, List<RosterImportError> errors)
    {
        var region = options.CurrentValue.DefaultRegion;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var rows = new List<Row>();
        var stays = new Dictionary<(long Group, string Phone), int>();
        var contactNames = new Dictionary<string, (string Name, int Line)>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var groupName = record.Field("group");
            var group = groups.FirstOrDefault(g => string.Equals(g.Name, groupName, StringComparison.OrdinalIgnoreCase));
            if (group is null)
            {
                record.Error("group", groupName.Length == 0 ? "Required: the name of an official group." : $"There is no official group named \"{groupName}\"; create it on Roster → Groups first.");
            }

            var phone = record.Phone("phone", region);
            var joined = record.Date("joined_on", required: true);
            var left = record.Date("left_on", required: false);
            if (joined > today)
            {
                record.Error("joined_on", "In the future.");
            }

            if (left is { } l && (l > today || (joined is { } j && l < j)))
            {
                record.Error("left_on", l > today ? "In the future." : "Before joined_on.");
            }

            // A stay already recorded (an export read back) is known: its number need not be authorized still.
            var recorded = group?.Members.FirstOrDefault(m => m.PhoneE164 == phone && m.JoinedOn == joined);
            var type = record.Field("type").ToLowerInvariant();
            Person? employee = null;
            Person? owner = null;
            string? name = null;
            var valid = true;
            switch (type)
            {
                case "employee":
                    foreach (var column in new[] { "company", "role", "relationship_owner_email" }.Where(c => record.Field(c).Length > 0))
                    {
                        record.Error(column, "Only for external contacts: leave it empty for an employee.");
                        valid = false;
                    }

                    var employeeId = record.Field("employee_id");
                    employee = people.FirstOrDefault(p => p.Kind == PersonKind.Employee && p.EmployeeId == employeeId);
                    if (employee is null)
                    {
                        record.Error("employee_id", employeeId.Length == 0 ? "Required for an employee." : $"No employee {employeeId} on the roster.");
                    }
                    else
                    {
                        if (record.Optional("name") is { } given && !string.Equals(given, employee.Name, StringComparison.OrdinalIgnoreCase))
                        {
                            record.Error("name", $"Employee {employeeId} is {employee.Name} on the roster.");
                        }

                        if (recorded is not null && recorded.PersonId != employee.Id)
                        {
                            record.Error("employee_id", $"This stay of {phone} is recorded for someone else, not {employee.Name} ({employeeId}).");
                        }

                        if (phone is not null && recorded is null && !employee.Numbers.Any(n => n.PhoneE164 == phone && n.Status != AuthorizationStatus.Revoked))
                        {
                            record.Error("phone", $"{phone} is not an authorized number of {employee.Name} ({employeeId}).");
                        }
                    }

                    break;
                case "external":
                    if (record.Field("employee_id").Length > 0)
                    {
                        record.Error("employee_id", "Only for employees: leave it empty for an external contact.");
                    }

                    name = record.Required("name", Person.MaxNameLength);
                    if (record.Field("company").Length > 200 || record.Field("role").Length > 200)
                    {
                        record.Error(record.Field("company").Length > 200 ? "company" : "role", "At most 200 characters.");
                    }

                    if (record.Email("relationship_owner_email", required: true) is { } ownerEmail)
                    {
                        owner = people.FirstOrDefault(p => p.Kind == PersonKind.Employee && p.WorkEmail == ownerEmail);
                        if (owner is null)
                        {
                            record.Error("relationship_owner_email", $"{ownerEmail} is not an employee on the roster.");
                        }
                    }

                    if (phone is not null && people.FirstOrDefault(p => p.Numbers.Any(n => n.PhoneE164 == phone && n.Status != AuthorizationStatus.Revoked)) is { } holder)
                    {
                        record.Error("phone", $"{phone} is authorized for employee {holder.Name} ({holder.EmployeeId}); use type employee.");
                    }

                    if (phone is not null && name is not null)
                    {
                        if (contactNames.TryGetValue(phone, out var first) && !string.Equals(first.Name, name, StringComparison.Ordinal))
                        {
                            record.Error("name", $"{phone} is {first.Name} in row {first.Line}.");
                        }

                        contactNames.TryAdd(phone, (name, record.Line));
                    }

                    break;
                default:
                    record.Error("type", type.Length == 0 ? "Required: employee or external." : $"'{type}' is not employee or external.");
                    valid = false;
                    break;
            }

            if (group is null || phone is null || joined is null)
            {
                continue;
            }

            if (stays.TryGetValue((group.Id, phone), out var line))
            {
                record.Error("phone", $"{phone} is in \"{group.Name}\" in row {line} too: one row per participant and group.");
                continue;
            }

            stays[(group.Id, phone)] = record.Line;
            var current = group.Members.FirstOrDefault(m => m.PhoneE164 == phone && m.LeftOn is null);
            if (recorded is { LeftOn: { } recordedLeft } && left != recordedLeft)
            {
                record.Error("left_on", $"This stay is recorded as ended on {recordedLeft:yyyy-MM-dd}; the roster keeps that date.");
            }
            else if (recorded is null && current is not null)
            {
                record.Error("joined_on", $"{phone} is in \"{group.Name}\" since {current.JoinedOn:yyyy-MM-dd}; give that date to record the leaving date.");
            }

            if (valid && (employee is not null || (name is not null && owner is not null)))
            {
                rows.Add(new Row(record.Line, group, phone, employee, name, record.Optional("company"), record.Optional("role"), owner, joined.Value, left));
            }
        }

        return rows;
    }
}
