using System.Text;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Demo;

/// <summary>
/// Fills an empty installation with demo accounts and demo content (synthetic WhatsApp exports) so a
/// newcomer can sign in and find an archive at once. Idempotent: what already exists is left alone.
/// </summary>
public sealed class DemoDataSeeder(
    UserAdministrationService users, ExportImportService imports, IDbContextFactory<ComplianceHubDbContext> dbFactory,
    StorageSettings storage, AuditLog audit, WebhookInbox inbox, WebhookProcessor processor, TimeProvider clock,
    Roster.RosterImportService roster, Roster.RosterService rosterChanges, Roster.OfficialGroupService groups, Policies.PolicyService policies,
    Training.TrainingService training)
{
    /// <summary>Creates whatever demo data is missing and returns what it created.</summary>
    public async Task<DemoSeedResult> SeedAsync(AuditActor actor, CancellationToken ct = default)
    {
        var created = new List<string>();
        foreach (var account in DemoAccounts.All)
        {
            if (await ExistsAsync(account.Email, ct))
            {
                continue;
            }

            await users.CreateUserAsync(
                new CreateUserRequest
                {
                    Email = account.Email,
                    DisplayName = account.DisplayName,
                    Password = DemoAccounts.Password,
                    Roles = [account.Role],
                },
                actor, ct);
            created.Add(account.Email);
        }

        var exports = await ImportExportsAsync(actor, ct);
        var captured = await CaptureDemoDeliveriesAsync(ct);
        var people = await SeedRosterAsync(actor, ct);
        var officialGroups = await SeedGroupAsync(actor, ct);
        var policy = await SeedPolicyAsync(actor, ct);
        var course = await SeedCourseAsync(actor, ct);
        if (created.Count > 0 || exports.Count > 0 || captured > 0 || people > 0 || officialGroups > 0 || policy || course)
        {
            await audit.RecordInOwnTransactionAsync(AuditEventType.DemoDataSeeded, actor,
                details: new { accounts = created, exports, webhookDeliveries = captured, rosterPeople = people, officialGroups, policy, course }, ct: ct);
        }

        return new DemoSeedResult(created, DemoAccounts.All.Count - created.Count, exports);
    }

    /// <summary>Imports the demo exports into an archive that has none yet.</summary>
    private async Task<List<string>> ImportExportsAsync(AuditActor actor, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.ImportBatches.AnyAsync(ct))
            {
                return [];
            }
        }

        using var directory = ScratchDirectory.Create(storage, "demo");
        var imported = new List<string>();
        foreach (var (fileName, options) in DemoExports.All)
        {
            await imports.ImportAsync(DemoExports.WriteTo(directory.Path, fileName), fileName, options, actor, ct: ct);
            imported.Add(fileName);
        }

        return imported;
    }

    /// <summary>
    /// A short live-captured chat on the demo business number (appsettings.Development.json), fed
    /// through the real inbox and processor: texts both ways, a reply, a reaction, an edit and the
    /// delivery history of the business's message. Times are relative to now.
    /// </summary>
    private async Task<int> CaptureDemoDeliveriesAsync(CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.WebhookDeliveries.AnyAsync(ct))
            {
                return 0;
            }
        }

        var payloads = DemoWebhookPayloads.All(clock.GetUtcNow());
        foreach (var payload in payloads)
        {
            await inbox.AcceptAsync(Encoding.UTF8.GetBytes(payload), "demo", ct);
        }

        await processor.ProcessPendingAsync(ct: ct);
        return payloads.Count;
    }

    /// <summary>The demo desk's employees and numbers, into a roster that has nobody yet (the client's number stays off it: an alert to look at).</summary>
    private async Task<int> SeedRosterAsync(AuditActor actor, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.People.AnyAsync(ct))
            {
                return 0;
            }
        }

        const string csv = """
            employee_id,name,email,department,manager_email,phone,authorized_from,authorized_until,status
            E1000,Olivia Officer,officer@example.com,Compliance,,+44 7700 900100,2026-01-05,,active
            E1001,Emma Employee,employee@example.com,Rates,officer@example.com,+44 7700 900111,2026-01-05,,active
            E1002,Raj Mehta,raj.mehta@example.com,Rates,employee@example.com,+44 7700 900222,2026-01-05,,active
            E1002,Raj Mehta,raj.mehta@example.com,Rates,employee@example.com,+44 7700 900223,2026-01-05,2026-06-30,revoked
            E1003,Jonas Weber,jonas.weber@example.com,Sales,officer@example.com,+49 151 23456789,2026-02-01,,suspended
            """;
        var result = await roster.ImportAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "demo-roster.csv", dryRun: false, actor, ct);
        return result.Stored ? result.People : throw new InvalidOperationException("The demo roster is invalid: " + string.Join("; ", result.Errors.Select(e => e.Reason)));
    }

    /// <summary>
    /// The demo roster's sign-in links (the officer and the employee, who manages Raj) and the Rates Desk
    /// as an official group linked to its archived chat. Its participants are the three employees; the
    /// client added by number is not listed, so the monitor flags the join to look at.
    /// </summary>
    private async Task<int> SeedGroupAsync(AuditActor actor, CancellationToken ct)
    {
        Dictionary<string, long> people;
        long? conversationId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.OfficialGroups.AnyAsync(ct))
            {
                return 0;
            }

            people = await db.People.Where(p => p.EmployeeId != null).ToDictionaryAsync(p => p.EmployeeId!, p => p.Id, ct);
            conversationId = await db.Conversations.Where(c => c.Title == "Rates Desk").Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
            foreach (var (employeeId, email) in new[] { ("E1000", "officer@example.com"), ("E1001", DemoExports.Custodian) })
            {
                var userId = await db.Users.Where(u => u.NormalizedEmail == email.ToUpperInvariant()).Select(u => u.Id).FirstOrDefaultAsync(ct);
                if (userId is not null && people.TryGetValue(employeeId, out var personId) && !await db.People.AnyAsync(p => p.UserId == userId, ct))
                {
                    await rosterChanges.LinkAccountAsync(personId, userId, actor, ct);
                }
            }
        }

        if (conversationId is null || !people.ContainsKey("E1001"))
        {
            return 0;
        }

        var groupId = await groups.SaveAsync(null, new Roster.OfficialGroupDraft(
            "Rates Desk", "Gilt prices and client orders for the rates desk; the only chat for client orders besides the recorded line.",
            people["E1001"], "120363041234567890@g.us", null, conversationId), actor, ct);
        // The day the chat's group was created, or today when the clock is earlier (tests run on a fixed one).
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var joined = new DateOnly(2026, 10, 5) < today ? new DateOnly(2026, 10, 5) : today;
        await groups.AddMemberAsync(groupId, people["E1001"], null, joined, actor, ct);
        await groups.AddMemberAsync(groupId, people["E1000"], null, joined, actor, ct);
        await groups.AddMemberAsync(groupId, people["E1002"], "+447700900222", joined, actor, ct);
        return 1;
    }

    /// <summary>
    /// The messaging policy, published to every employee (the sign-in role) when no policy exists yet. Nobody has signed
    /// it: the demo employee sees the banner and can sign, and their number lapses until they do.
    /// </summary>
    private async Task<bool> SeedPolicyAsync(AuditActor actor, CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.PolicyDocuments.AnyAsync(ct))
            {
                return false;
            }
        }

        var id = await policies.CreateAsync(DemoPolicy.Title, new Policies.PolicyDraft(DemoPolicy.Text,
            new Roster.Audience(Roster.AudienceKind.Roles, [Roles.Employee]), DueDays: 14, ReattestMonths: 12), actor, ct);
        await policies.PublishAsync(id, null, material: true, actor, ct);
        return true;
    }

    /// <summary>
    /// The course on the messaging policy with its quiz, assigned to everyone with 30 days to complete it, when no course
    /// exists yet. The demo employee has not taken it; the compliance officer took it at last year's induction, so their
    /// completion expires within 30 days.
    /// </summary>
    private async Task<bool> SeedCourseAsync(AuditActor actor, CancellationToken ct)
    {
        string? officer;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.Courses.AnyAsync(ct))
            {
                return false;
            }

            officer = await db.Users.Where(u => u.NormalizedEmail == "OFFICER@EXAMPLE.COM").Select(u => u.Id).FirstOrDefaultAsync(ct);
        }

        var id = await training.CreateCourseAsync(DemoCourse.Draft, actor, ct);
        await training.SetPagesAsync(id, DemoCourse.Pages, actor, ct);
        await training.SetQuestionsAsync(id, DemoCourse.Questions, actor, ct);
        await training.AssignAsync(id, Roster.Audience.Everyone, 30, actor, ct);
        if (officer is not null)
        {
            await training.RecordCompletionAsync(id, officer, clock.GetUtcNow().AddMonths(-12).AddDays(18),
                "Completed at last year's compliance induction (attendance sheet on file).", actor, ct);
        }

        return true;
    }

    private async Task<bool> ExistsAsync(string email, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var normalized = email.ToUpperInvariant();
        return await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, ct);
    }
}

public sealed record DemoSeedResult(IReadOnlyList<string> CreatedAccounts, int ExistingAccounts, IReadOnlyList<string> ImportedExports);
