using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Roster;

/// <summary>
/// Changes to single roster records, each audited: an authorization's status (suspend, revoke or
/// activate, with the reason kept in its history), external contacts, and the link between an employee
/// and their sign-in account.
/// </summary>
public sealed class RosterService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, TimeProvider clock, ActivationPrerequisites prerequisites,
    IOptionsMonitor<RosterOptions> options)
{
    /// <summary>
    /// Moves number <paramref name="numberId"/> to <paramref name="status"/>. Suspending and revoking
    /// need a reason; a revoked authorization is final (authorize the number again as a new request);
    /// activating asks every prerequisite first and refuses with its reason.
    /// </summary>
    public async Task ChangeStatusAsync(long numberId, AuthorizationStatus status, string? reason, AuditActor actor, CancellationToken ct = default)
    {
        var why = reason?.Trim();
        if (status is AuthorizationStatus.Suspended or AuthorizationStatus.Revoked && string.IsNullOrEmpty(why))
        {
            throw new ComplianceRuleException($"Say why the number is {status.ToString().ToLowerInvariant()}.");
        }

        if (why is { Length: > 1000 })
        {
            throw new ComplianceRuleException("The reason can be at most 1,000 characters.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var number = await db.AuthorizedNumbers.Include(n => n.History).SingleOrDefaultAsync(n => n.Id == numberId, ct)
            ?? throw new ComplianceRuleException("That number is not on the roster.");
        if (number.Status == AuthorizationStatus.Revoked)
        {
            throw new ComplianceRuleException($"The authorization of {number.PhoneE164} was revoked; that is final. Authorize the number again as a new request.");
        }

        if (number.Status == status)
        {
            throw new ComplianceRuleException($"{number.PhoneE164} is already {status.ToString().ToLowerInvariant()}.");
        }

        var person = await db.People.SingleAsync(p => p.Id == number.PersonId, ct);
        if (status == AuthorizationStatus.Active && await prerequisites.BlockingReasonAsync(person, ct) is { } blocked)
        {
            throw new ComplianceRuleException($"{number.PhoneE164} cannot be active yet: {blocked}");
        }

        var from = number.Status;
        number.ChangeStatus(status, why, actor.Name, clock.GetUtcNow());
        audit.Record(db, AuditEventType.NumberStatusChanged, actor, NumberSubject(numberId), new
        {
            phone = number.PhoneE164,
            person = person.Name,
            from = from.ToString(),
            to = status.ToString(),
            reason = why,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Sets how a number is used: the firm's device or a personal one, captured by the Cloud API or by export imports. Audited.</summary>
    public async Task UpdateNumberAsync(long numberId, DeviceType device, CaptureMethod capture, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var number = await db.AuthorizedNumbers.SingleOrDefaultAsync(n => n.Id == numberId, ct)
            ?? throw new ComplianceRuleException("That number is not on the roster.");
        if (number.Device == device && number.Capture == capture)
        {
            return;
        }

        var before = new { device = number.Device.ToString(), capture = number.Capture.ToString() };
        number.SetDevice(device, capture);
        audit.Record(db, AuditEventType.AuthorizedNumberUpdated, actor, NumberSubject(numberId), new
        {
            phone = number.PhoneE164,
            before,
            after = new { device = device.ToString(), capture = capture.ToString() },
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>How the lapse check begins the reason of a number it suspends.</summary>
    private const string LapsePrefix = "Lapsed: ";

    /// <summary>
    /// Suspends every active authorization that has lapsed: its period ended, or its employee no longer
    /// meets a prerequisite (policy acknowledged, training current). The reason starts "Lapsed:" and says
    /// why; each change is in the number's history and audited as the system's. Returns how many lapsed.
    /// </summary>
    public async Task<int> ApplyLapsesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var active = await db.AuthorizedNumbers.Include(n => n.History).Where(n => n.Status == AuthorizationStatus.Active).ToListAsync(ct);
        var personIds = active.Select(n => n.PersonId).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var lapsed = 0;
        foreach (var number in active)
        {
            var person = people[number.PersonId];
            var reason = number.AuthorizedUntil is { } until && until < today
                ? $"Lapsed: the authorization ended on {until:yyyy-MM-dd}."
                : await prerequisites.BlockingReasonAsync(person, ct) is { } why ? LapsePrefix + why : null;
            if (reason is null)
            {
                continue;
            }

            number.ChangeStatus(AuthorizationStatus.Suspended, reason, AuditActor.System.Name, now);
            audit.Record(db, AuditEventType.NumberStatusChanged, AuditActor.System, NumberSubject(number.Id), new
            {
                phone = number.PhoneE164,
                person = person.Name,
                from = AuthorizationStatus.Active.ToString(),
                to = AuthorizationStatus.Suspended.ToString(),
                reason,
            });
            lapsed++;
        }

        await db.SaveChangesAsync(ct);
        return lapsed;
    }

    /// <summary>
    /// Restores the numbers the lapse check suspended because their owner missed a prerequisite (a policy unsigned,
    /// training due), once the owner meets every prerequisite again and the authorization's period has not ended: the
    /// cause was the system's, so is the cure. A number suspended by a person stays suspended. Audited as the system's;
    /// returns how many were restored. Only the numbers of the employee linked to, or listing as work e-mail,
    /// <paramref name="userId"/> are looked at.
    /// </summary>
    public async Task<int> RestoreLapsedAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(ct);
        var lowered = email?.ToLowerInvariant();
        var people = await db.People.Where(p => p.Kind == PersonKind.Employee && (p.UserId == userId || (lowered != null && p.WorkEmail == lowered)))
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var restored = 0;
        foreach (var person in people)
        {
            var lapsed = await db.AuthorizedNumbers.Include(n => n.History)
                .Where(n => n.PersonId == person.Id && n.Status == AuthorizationStatus.Suspended).ToListAsync(ct);
            lapsed = lapsed.Where(n => (n.AuthorizedUntil is null || n.AuthorizedUntil >= today)
                && n.History.MaxBy(h => h.Id) is { ChangedBy: var by, Reason: { } reason }
                && by == AuditActor.System.Name && reason.StartsWith(LapsePrefix, StringComparison.Ordinal)).ToList();
            if (lapsed.Count == 0 || await prerequisites.BlockingReasonAsync(person, ct) is not null)
            {
                continue;
            }

            foreach (var number in lapsed)
            {
                const string why = "Restored: what made the authorization lapse has been resolved.";
                number.ChangeStatus(AuthorizationStatus.Active, why, AuditActor.System.Name, now);
                audit.Record(db, AuditEventType.NumberStatusChanged, AuditActor.System, NumberSubject(number.Id), new
                {
                    phone = number.PhoneE164,
                    person = person.Name,
                    from = AuthorizationStatus.Suspended.ToString(),
                    to = AuthorizationStatus.Active.ToString(),
                    reason = why,
                });
                restored++;
            }
        }

        await db.SaveChangesAsync(ct);
        return restored;
    }

    /// <summary>
    /// Adds an external contact (<paramref name="personId"/> null) or updates one: name, company, role,
    /// their WhatsApp number and the employee who owns the relationship. Returns the contact's id.
    /// </summary>
    public async Task<long> SaveExternalContactAsync(
        long? personId, string name, string? company, string? role, string phone, long relationshipOwnerId, AuditActor actor, CancellationToken ct = default)
    {
        var contactName = name.Trim();
        if (contactName.Length is 0 or > Person.MaxNameLength)
        {
            throw new ComplianceRuleException($"Name the contact (1 to {Person.MaxNameLength} characters).");
        }

        company = string.IsNullOrWhiteSpace(company) ? null : company.Trim();
        role = string.IsNullOrWhiteSpace(role) ? null : role.Trim();
        if (company is { Length: > 200 } || role is { Length: > 200 })
        {
            throw new ComplianceRuleException("Company and role can be at most 200 characters each.");
        }

        var number = PhoneNumberNormalizer.TryNormalize(phone, options.CurrentValue.DefaultRegion)
            ?? throw new ComplianceRuleException($"'{phone}' is not a phone number in international form (+44 7700 900123).");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var owner = await db.People.AsNoTracking().SingleOrDefaultAsync(p => p.Id == relationshipOwnerId && p.Kind == PersonKind.Employee, ct)
            ?? throw new ComplianceRuleException("The relationship owner must be an employee on the roster.");
        await EnsureNumberIsFreeAsync(db, number, personId, ct);
        Person person;
        if (personId is { } id)
        {
            person = await db.People.SingleOrDefaultAsync(p => p.Id == id && p.Kind == PersonKind.External, ct)
                ?? throw new ComplianceRuleException("That external contact does not exist.");
        }
        else
        {
            person = new Person(PersonKind.External, contactName, clock.GetUtcNow());
            db.People.Add(person);
        }

        person.SetExternal(contactName, company, role, number, owner.Id);
        await db.SaveChangesAsync(ct);
        audit.Record(db, AuditEventType.ExternalContactSaved, actor, PersonSubject(person.Id), new
        {
            created = personId is null,
            name = contactName,
            company,
            role,
            phone = number,
            relationshipOwner = owner.Name,
        });
        await db.SaveChangesAsync(ct);
        return person.Id;
    }

    /// <summary>
    /// Links an employee to their sign-in account (or unlinks, with <paramref name="userId"/> null), so
    /// they see their own numbers and, as a manager or group owner, decide their reviews.
    /// </summary>
    public async Task LinkAccountAsync(long personId, string? userId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var person = await db.People.SingleOrDefaultAsync(p => p.Id == personId && p.Kind == PersonKind.Employee, ct)
            ?? throw new ComplianceRuleException("Only an employee on the roster can be linked to an account.");
        string? email = null;
        if (userId is not null)
        {
            email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(ct)
                ?? throw new ComplianceRuleException("That account does not exist.");
            if (await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == userId && p.Id != personId, ct) is { } other)
            {
                throw new ComplianceRuleException($"{email} is already linked to {other.Name}.");
            }
        }

        person.LinkAccount(userId);
        audit.Record(db, AuditEventType.PersonAccountLinked, actor, PersonSubject(personId), new { person = person.Name, employeeId = person.EmployeeId, account = email });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Refuses a number already held by someone else on the roster: an authorization in force or another contact.</summary>
    internal static async Task EnsureNumberIsFreeAsync(ComplianceHubDbContext db, string phone, long? exceptPersonId, CancellationToken ct)
    {
        var holder = await db.AuthorizedNumbers.AsNoTracking()
            .Where(n => n.PhoneE164 == phone && n.Status != AuthorizationStatus.Revoked && n.PersonId != exceptPersonId)
            .Join(db.People, n => n.PersonId, p => p.Id, (n, p) => p.Name)
            .FirstOrDefaultAsync(ct);
        holder ??= await db.People.AsNoTracking().Where(p => p.ContactPhoneE164 == phone && p.Id != exceptPersonId).Select(p => p.Name).FirstOrDefaultAsync(ct);
        if (holder is not null)
        {
            throw new ComplianceRuleException($"{phone} is already {holder}'s number on the roster.");
        }
    }

    private static AuditSubject NumberSubject(long numberId) => new("AuthorizedNumber", numberId.ToString(CultureInfo.InvariantCulture));

    private static AuditSubject PersonSubject(long personId) => new("Person", personId.ToString(CultureInfo.InvariantCulture));
}
