using System.Text;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Findings;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Core.Roster;

public abstract class OfficialGroupTests(DatabaseProvider provider) : IDisposable
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.1.2.3");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ExportFiles _files = new();

    public void Dispose() => _files.Dispose();

    private const string Employees =
        "E1,Alex Kim,alex.kim@example.com,Rates,,+447700900001,2025-01-01,,active\n" +
        "E2,Sam Patel,sam.patel@example.com,Rates,alex.kim@example.com,+447700900002,2025-01-01,,active\n" +
        "E2,Sam Patel,sam.patel@example.com,Rates,alex.kim@example.com,+447700900022,2025-01-01,,active\n";

    // A group export: Sam (saved by number) is removed, a client joins by link, a stranger writes.
    private const string DeskChat = """
        01/03/2026, 09:00 - Alex Kim created group "Client Desk"
        01/03/2026, 09:01 - Alex Kim: Morning, prices at ten
        01/03/2026, 09:02 - +44 7700 900002: Copy
        01/03/2026, 09:05 - Maria Silva joined using this group's invite link
        01/03/2026, 09:06 - Maria Silva: Hello all
        01/03/2026, 09:07 - Alex Kim removed +44 7700 900002
        01/03/2026, 09:08 - Carlos Mendes: Who is this?
        01/03/2026, 09:09 - +351 912 345 678: Thanks, bye
        01/03/2026, 09:10 - +351 912 345 678 left
        """;

    private static async Task<long> GroupAsync(TestHost host, long ownerId, long? conversationId = null, string name = "Client Desk") =>
        await host.Get<OfficialGroupService>().SaveAsync(null,
            new OfficialGroupDraft(name, "Quotes and orders with institutional clients", ownerId, "120363025246125486@g.us", "https://chat.whatsapp.com/AbCdEfGhIjKlMnOp", conversationId),
            Officer, Ct);

    /// <summary>The Client Desk chat imported and registered as an official group owned by Alex, who is its one listed participant.</summary>
    private async Task<(Dictionary<string, long> People, ImportResult Import, long GroupId)> ClientDeskAsync(TestHost host)
    {
        await host.OnboardAsync(Employees);
        var people = await PeopleAsync(host);
        var import = await host.Get<ExportImportService>().ImportAsync(
            _files.Text("WhatsApp Chat with Client Desk.txt", DeskChat), "WhatsApp Chat with Client Desk.txt", new ImportOptions("UTC", "alex.kim@example.com"), Officer, ct: Ct);
        var groupId = await GroupAsync(host, people["E1"], import.ConversationId);
        await host.Get<OfficialGroupService>().AddMemberAsync(groupId, people["E1"], null, new DateOnly(2026, 2, 1), Officer, Ct);
        return (people, import, groupId);
    }

    private static async Task<Dictionary<string, long>> PeopleAsync(TestHost host)
    {
        await using var db = await host.CreateDbContextAsync();
        return await db.People.ToDictionaryAsync(p => p.EmployeeId ?? p.Name, p => p.Id, Ct);
    }

    private static Task<GroupParticipantImportResult> ImportParticipantsAsync(TestHost host, string rows, bool dryRun = false) =>
        host.Get<GroupParticipantImportService>().ImportAsync(
            new MemoryStream(Encoding.UTF8.GetBytes(GroupParticipantImportService.Template + "\n" + rows)), "participants.csv", dryRun, Officer, Ct);

    [Fact]
    public async Task AGroup_IsSavedWithItsOwnerAndLinks_AndItsRulesAreChecked()
    {
        await using var host = await TestHost.StartAsync(provider);
        await host.OnboardAsync(Employees);
        var people = await PeopleAsync(host);
        var groups = host.Get<OfficialGroupService>();

        var id = await GroupAsync(host, people["E1"]);
        var details = (await groups.GetAsync(id, Ct))!;
        (details.Group.Name, details.Group.Owner, details.Group.WhatsAppGroupId).ShouldBe(("Client Desk", "Alex Kim", "120363025246125486@g.us"));

        async Task<string> Refused(OfficialGroupDraft draft) =>
            (await Should.ThrowAsync<ComplianceRuleException>(() => groups.SaveAsync(null, draft, Officer, Ct))).Message;
        (await Refused(new OfficialGroupDraft("client desk ", "x", people["E1"], null, null, null))).ShouldBe("There is already an official group named \"Client Desk\".");
        (await Refused(new OfficialGroupDraft("FX", "", people["E1"], null, null, null))).ShouldBe("Say what the group is for (1 to 1,000 characters).");
        (await Refused(new OfficialGroupDraft("FX", "x", people["E1"], "group-1", null, null))).ShouldBe("'group-1' is not a WhatsApp group id (digits, then @g.us).");
        (await Refused(new OfficialGroupDraft("FX", "x", people["E1"], null, "http://example.com/x", null))).ShouldStartWith("'http://example.com/x' is not a WhatsApp invite link");
        (await Refused(new OfficialGroupDraft("FX", "x", people["E1"], null, null, 999))).ShouldBe("That conversation is not in the archive.");

        await using var db = await host.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.OfficialGroupSaved, Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task Participants_JoinWithARosterNumber_AndLeave_AndEveryStayIsKept()
    {
        await using var host = await TestHost.StartAsync(provider);
        await host.OnboardAsync(Employees);
        var people = await PeopleAsync(host);
        var groups = host.Get<OfficialGroupService>();
        var roster = host.Get<RosterService>();
        var groupId = await GroupAsync(host, people["E1"]);
        var client = await roster.SaveExternalContactAsync(null, "Maria Silva", "Banco Atlântico", "Treasurer", "+351 912 345 678", people["E1"], Officer, Ct);

        await groups.AddMemberAsync(groupId, people["E1"], null, new DateOnly(2026, 1, 5), Officer, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => groups.AddMemberAsync(groupId, people["E2"], null, new DateOnly(2026, 1, 5), Officer, Ct)))
            .Message.ShouldBe("Sam Patel has 2 numbers: say which one takes part.");
        (await Should.ThrowAsync<ComplianceRuleException>(() => groups.AddMemberAsync(groupId, people["E2"], "+447700900999", new DateOnly(2026, 1, 5), Officer, Ct)))
            .Message.ShouldBe("+447700900999 is not an authorized number of Sam Patel.");
        var sam = await groups.AddMemberAsync(groupId, people["E2"], "+44 7700 900022", new DateOnly(2026, 1, 6), Officer, Ct);
        await groups.AddMemberAsync(groupId, client, null, new DateOnly(2026, 2, 1), Officer, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => groups.AddMemberAsync(groupId, client, null, new DateOnly(2026, 2, 2), Officer, Ct)))
            .Message.ShouldBe("+351912345678 is already in \"Client Desk\" (since 2026-02-01).");

        (await Should.ThrowAsync<ComplianceRuleException>(() => groups.EndMembershipAsync(sam, new DateOnly(2026, 1, 1), "Moved desk", Officer, Ct)))
            .Message.ShouldBe("The leaving date must be between 2026-01-06 (joined) and today.");
        await groups.EndMembershipAsync(sam, new DateOnly(2026, 2, 10), "Moved to the FX desk", Officer, Ct);
        await groups.AddMemberAsync(groupId, people["E2"], "+447700900022", new DateOnly(2026, 2, 20), Officer, Ct);

        var details = (await groups.GetAsync(groupId, Ct))!;
        (details.Group.Employees, details.Group.Externals).ShouldBe((2, 1));
        details.Members.Select(m => (m.Name, m.PhoneE164, m.JoinedOn, m.LeftOn)).ShouldBe(
        [
            ("Alex Kim", "+447700900001", new DateOnly(2026, 1, 5), null),
            ("Maria Silva", "+351912345678", new DateOnly(2026, 2, 1), null),
            ("Sam Patel", "+447700900022", new DateOnly(2026, 2, 20), null),
            ("Sam Patel", "+447700900022", new DateOnly(2026, 1, 6), (DateOnly?)new DateOnly(2026, 2, 10)),
        ]);
        details.Members.Single(m => m.Name == "Maria Silva").Affiliation.ShouldBe("Banco Atlântico");
        (await host.Get<RosterQueryService>().ListExternalsAsync(Ct)).Single().Groups.ShouldBe(["Client Desk"]);

        // The database keeps every stay: a recorded stay can be ended once, never deleted or rewritten.
        await using var db = await host.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.GroupMembershipChanged, Ct)).ShouldBe(5);
        await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"GroupMembers\"", Ct));
        await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlAsync($"UPDATE \"GroupMembers\" SET \"PhoneE164\" = '+10000000000' WHERE \"Id\" = {sam}", Ct));
        await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlAsync($"UPDATE \"GroupMembers\" SET \"LeftOn\" = {new DateOnly(2026, 2, 11)} WHERE \"Id\" = {sam}", Ct));
    }

    [Fact]
    public async Task ExternalContacts_NeedAnEmployeeOwner_AndANumberNobodyElseHas()
    {
        await using var host = await TestHost.StartAsync(provider);
        await host.OnboardAsync(Employees);
        var people = await PeopleAsync(host);
        var roster = host.Get<RosterService>();

        (await Should.ThrowAsync<ComplianceRuleException>(() => roster.SaveExternalContactAsync(null, "Maria Silva", null, null, "+447700900002", people["E1"], Officer, Ct)))
            .Message.ShouldBe("+447700900002 is already Sam Patel's number on the roster.");
        (await Should.ThrowAsync<ComplianceRuleException>(() => roster.SaveExternalContactAsync(null, "Maria Silva", null, null, "not a number", people["E1"], Officer, Ct)))
            .Message.ShouldStartWith("'not a number' is not a phone number");
        var maria = await roster.SaveExternalContactAsync(null, "Maria Silva", "Banco Atlântico", "Treasurer", "+351912345678", people["E1"], Officer, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => roster.SaveExternalContactAsync(null, "Rui Costa", null, null, "+351 912 345 678", people["E1"], Officer, Ct)))
            .Message.ShouldBe("+351912345678 is already Maria Silva's number on the roster.");
        (await Should.ThrowAsync<ComplianceRuleException>(() => roster.SaveExternalContactAsync(null, "Rui Costa", null, null, "+351911111111", maria, Officer, Ct)))
            .Message.ShouldBe("The relationship owner must be an employee on the roster.");
        await roster.SaveExternalContactAsync(maria, "Maria Silva", "Banco Atlântico", "CFO", "+351912345678", people["E2"], Officer, Ct);

        var contact = (await host.Get<RosterQueryService>().ListExternalsAsync(Ct)).Single();
        (contact.Name, contact.Company, contact.Role, contact.PhoneE164, contact.RelationshipOwner).ShouldBe(("Maria Silva", "Banco Atlântico", "CFO", "+351912345678", "Sam Patel"));

        // The employee CSV cannot hand an external contact's number to an employee.
        var result = await host.Get<RosterImportService>().ImportAsync(
            new MemoryStream(Encoding.UTF8.GetBytes(RosterImportService.Template + "\nE3,Rui Costa,rui@example.com,,,+351912345678,2025-01-01,,active\n")), "r.csv", true, Officer, Ct);
        result.Errors.Single().ShouldBe(new RosterImportError(2, "phone", "+351912345678 is the number of external contact Maria Silva on the roster."));
    }

    [Fact]
    public async Task ParticipantsCsv_IsCheckedWhole_AndStoredAllOrNothing()
    {
        await using var host = await TestHost.StartAsync(provider);
        await host.OnboardAsync(Employees);
        var people = await PeopleAsync(host);
        await GroupAsync(host, people["E1"]);

        var bad = await ImportParticipantsAsync(host,
            "Client Desk,+447700900001,employee,E1,,,,,2026-01-05,\n" +
            "Rates Club,+447700900002,employee,E2,,,,,2026-01-05,\n" +
            "Client Desk,+447700900003,employee,E2,Sam Patel,,,,2026-01-05,\n" +
            "Client Desk,+351912345678,external,,Maria Silva,Banco Atlântico,Treasurer,nobody@example.com,2026-02-01,\n" +
            "Client Desk,+447700900001,employee,E1,,,,,2026-01-06,\n" +
            "Client Desk,+34600111222,external,E9,,,,alex.kim@example.com,2099-01-01,2026-01-01\n" +
            "Client Desk,+447700900002,guest,,,,,,2026-01-05,\n" +
            "Client Desk,+447700900022,employee,E2,Samuel,Acme,,,2026-01-05,\n");
        bad.Stored.ShouldBeFalse();
        bad.Errors.Select(e => (e.Row, e.Column)).ShouldBe(
        [
            (3, "group"), (4, "phone"), (5, "relationship_owner_email"), (6, "phone"),
            (7, "employee_id"), (7, "name"), (7, "joined_on"), (7, "left_on"), (8, "type"), (9, "name"), (9, "company"),
        ]);
        bad.Errors[0].Reason.ShouldBe("There is no official group named \"Rates Club\"; create it on Roster → Groups first.");
        bad.Errors[1].Reason.ShouldBe("+447700900003 is not an authorized number of Sam Patel (E2).");
        bad.Errors[3].Reason.ShouldBe("+447700900001 is in \"Client Desk\" in row 2 too: one row per participant and group.");
        bad.Errors.Single(e => e.Column == "company").Reason.ShouldBe("Only for external contacts: leave it empty for an employee.");
        await using (var db = await host.CreateDbContextAsync())
        {
            (await db.GroupMembers.CountAsync(Ct)).ShouldBe(0);
            (await db.People.CountAsync(p => p.Kind == PersonKind.External, Ct)).ShouldBe(0);
        }

        const string good =
            "client desk,+447700900001,employee,E1,Alex Kim,,,,2026-01-05,\n" +
            "Client Desk,+351 912 345 678,external,,Maria Silva,Banco Atlântico,Treasurer,ALEX.KIM@example.com,2026-02-01,\n";
        (await ImportParticipantsAsync(host, good, dryRun: true)).ShouldSatisfyAllConditions(r => r.Stored.ShouldBeFalse(), r => r.Errors.ShouldBeEmpty(), r => r.Participants.ShouldBe(2));
        var stored = await ImportParticipantsAsync(host, good);
        (stored.Stored, stored.Rows, stored.Groups, stored.Participants, stored.Contacts).ShouldBe((true, 2, 1, 2, 1));

        // Again, with Maria's leaving date: the same stay is ended, nothing is duplicated.
        (await ImportParticipantsAsync(host, good.Replace("2026-02-01,", "2026-02-01,2026-02-15", StringComparison.Ordinal))).Errors.ShouldBeEmpty();
        var again = await ImportParticipantsAsync(host, "Client Desk,+351912345678,external,,Maria Silva,,,alex.kim@example.com,2026-02-01,2026-02-20\n");
        again.Errors.Single().ShouldBe(new RosterImportError(2, "left_on", "This stay is recorded as ended on 2026-02-15; the roster keeps that date."));
        await using (var db = await host.CreateDbContextAsync())
        {
            (await db.GroupMembers.OrderBy(m => m.JoinedOn).Select(m => new { m.PhoneE164, m.LeftOn }).ToListAsync(Ct)).Select(m => (m.PhoneE164, m.LeftOn))
                .ShouldBe([("+447700900001", null), ("+351912345678", (DateOnly?)new DateOnly(2026, 2, 15))]);
            (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.GroupParticipantsImported, Ct)).ShouldBe(2);
        }

        // The export is the template: it reads back without a problem and changes nothing, even once a number in it is revoked.
        var exported = await host.Get<GroupParticipantImportService>().ExportCsvAsync(Officer, Ct);
        await using (var db = await host.CreateDbContextAsync())
        {
            var alexNumber = await db.AuthorizedNumbers.Where(n => n.PhoneE164 == "+447700900001").Select(n => n.Id).SingleAsync(Ct);
            await host.Get<RosterService>().ChangeStatusAsync(alexNumber, AuthorizationStatus.Revoked, "Left the firm", Officer, Ct);
        }

        exported.ShouldBe(GroupParticipantImportService.Template + "\r\n"
            + "Client Desk,\"'+447700900001\",employee,E1,Alex Kim,,,,2026-01-05,\r\n"
            + "Client Desk,\"'+351912345678\",external,,Maria Silva,Banco Atlântico,Treasurer,alex.kim@example.com,2026-02-01,2026-02-15\r\n");
        var reread = await host.Get<GroupParticipantImportService>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(exported)), "export.csv", false, Officer, Ct);
        (reread.Stored, reread.Errors.Count).ShouldBe((true, 0));
        await using (var db = await host.CreateDbContextAsync())
        {
            (await db.GroupMembers.CountAsync(Ct)).ShouldBe(2);
        }
    }

    [Fact]
    public async Task TheMonitor_FlagsGroupChangesAndStrangersInAnOfficialGroup()
    {
        await using var host = await TestHost.StartAsync(provider);
        var (people, import, groupId) = await ClientDeskAsync(host);
        var roster = host.Get<RosterService>();
        var joao = await roster.SaveExternalContactAsync(null, "João Lima", "Banco Atlântico", null, "+351912345678", people["E1"], Officer, Ct);
        var groups = host.Get<OfficialGroupService>();
        await groups.AddMemberAsync(groupId, people["E2"], "+447700900002", new DateOnly(2026, 2, 1), Officer, Ct);
        await groups.AddMemberAsync(groupId, joao, null, new DateOnly(2026, 2, 1), Officer, Ct);

        var monitor = host.Get<RosterMonitor>();
        await monitor.ScanAsync(Ct);
        var alerts = (await monitor.ListAsync(ct: Ct)).Where(a => a.ConversationId == import.ConversationId).ToList();
        alerts.Select(a => (RosterAlert.KindCode(a.Kind), a.Phone, a.Detail)).ShouldBe(
        [
            ("group-change", "+447700900002", "+44 7700 900002 (+447700900002) left official group \"Client Desk\" on 2026-03-01; the roster still lists them as a participant."),
            ("group-change", "", "Maria Silva joined official group \"Client Desk\" on 2026-03-01 and is not a listed participant."),
            ("group-change", "+351912345678", "+351 912 345 678 (+351912345678) left official group \"Client Desk\" on 2026-03-01; the roster still lists them as a participant."),
            ("unknown-sender", "", "1 message(s) in official group \"Client Desk\" from Carlos Mendes, who is not on the roster; the latest 2026-03-01 09:08 UTC."),
            ("unknown-sender", "", "1 message(s) in official group \"Client Desk\" from Maria Silva, who is not on the roster; the latest 2026-03-01 09:06 UTC."),
        ], ignoreOrder: true);

        // Alex writes as a saved contact (a name, no number): as the group's listed participant, his number is not silent.
        var silent = (await monitor.ListAsync(ct: Ct)).Where(a => a.Kind == RosterAlertKind.SilentNumber).Select(a => a.Phone).ToList();
        silent.ShouldBe(["+447700900022"]);

                // Each finding is raised once.
        (await monitor.ScanAsync(Ct)).ShouldBe(0);

        // The archive's views match the external contact by number too.
        var header = (await host.Get<ComplianceHub.Core.Transcripts.TranscriptService>().OpenAsync(import.ConversationId, Officer, Ct))!;
        header.Participants.Single(p => p.PhoneE164 == "+351912345678").RosterPerson.ShouldBe("João Lima (Banco Atlântico)");
        header.Participants.Single(p => p.PhoneE164 == "+447700900002").RosterPerson.ShouldBe("Sam Patel (E2)");
        var found = await host.Get<ComplianceHub.Core.Search.MessageSearchService>().SearchAsync(
            new ComplianceHub.Core.Search.MessageSearchCriteria { Text = "bye", Participant = "joão lima" }, Officer, 10, ct: Ct);
        found.Hits.Select(h => h.ConversationId).ShouldBe([import.ConversationId]);
    }

    [Fact]
    public async Task TheMonitor_ReadsOnlyWhatArrivedSinceItsLastPass_AndReadsAGroupAgainWhenItsListedParticipantsChange()
    {
        // Arrange: the group lists only Alex at first, so Sam's removal is no finding yet.
        await using var host = await TestHost.StartAsync(provider);
        var (people, import, groupId) = await ClientDeskAsync(host);
        var groups = host.Get<OfficialGroupService>();
        var monitor = host.Get<RosterMonitor>();

        // Act and assert: the first pass reads the whole chat and moves each watermark to its newest message.
        await monitor.ScanAsync(Ct);
        var first = (await monitor.ListAsync(ct: Ct)).Where(a => a.ConversationId == import.ConversationId).Select(a => a.Detail).ToList();
        first.ShouldNotContain(d => d.Contains("left official group", StringComparison.Ordinal));
        first.ShouldContain("1 message(s) in official group \"Client Desk\" from +351 912 345 678 (+351912345678), who is not on the roster; the latest 2026-03-01 09:09 UTC.");
        await using (var db = await host.CreateDbContextAsync())
        {
            var newest = await db.ChatMessages.MaxAsync(m => m.Id, Ct);
            var scans = await db.Set<FindingScan>().ToListAsync(Ct);
            scans.Where(w => w.ScopeId == import.ConversationId).Select(w => w.Check).Order(StringComparer.Ordinal).ShouldBe(["roster:group-change", "roster:unknown-sender"]);
            scans.ShouldAllBe(w => w.LastMessageId == newest);
        }

        (await monitor.ScanAsync(Ct)).ShouldBe(0);

        // Sam is listed now, from before the chat: the group's notices are read again, and his removal is a finding.
        await groups.AddMemberAsync(groupId, people["E2"], "+447700900002", new DateOnly(2026, 2, 1), Officer, Ct);
        (await monitor.ScanAsync(Ct)).ShouldBe(1);
        (await monitor.ListAsync(ct: Ct)).ShouldContain(a => a.Kind == RosterAlertKind.GroupChange
            && a.Detail == "+44 7700 900002 (+447700900002) left official group \"Client Desk\" on 2026-03-01; the roster still lists them as a participant.");
    }

    [Fact]
    public async Task AGroupArchivedFromAnEmployeesPhone_ThatIsNotRegistered_IsAFinding_AndItsStrangersAreFlagged()
    {
        // Arrange: the Client Desk chat from Alex's phone, never registered as an official group.
        await using var host = await TestHost.StartAsync(provider);
        await host.OnboardAsync(Employees);
        var import = await host.Get<ExportImportService>().ImportAsync(
            _files.Text("WhatsApp Chat with Client Desk.txt", DeskChat), "WhatsApp Chat with Client Desk.txt", new ImportOptions("UTC", "alex.kim@example.com"), Officer, ct: Ct);

        // Act
        var monitor = host.Get<RosterMonitor>();
        await monitor.ScanAsync(Ct);

        // Assert
        var alerts = (await monitor.ListAsync(ct: Ct)).Where(a => a.ConversationId == import.ConversationId).ToList();
        alerts.Select(a => (RosterAlert.KindCode(a.Kind), a.Phone, a.Detail)).ShouldBe(
        [
            ("unregistered-group", "", "Group \"Client Desk\" is archived from alex.kim@example.com but is not registered as an official group; 5 participant(s): +351 912 345 678, +44 7700 900002, Alex Kim, Carlos Mendes, Maria Silva."),
            ("unknown-sender", "+351912345678", "1 message(s) in unregistered group \"Client Desk\" from +351 912 345 678 (+351912345678), who is not on the roster; the latest 2026-03-01 09:09 UTC."),
            ("unknown-sender", "", "1 message(s) in unregistered group \"Client Desk\" from Carlos Mendes, who is not on the roster; the latest 2026-03-01 09:08 UTC."),
            ("unknown-sender", "", "1 message(s) in unregistered group \"Client Desk\" from Maria Silva, who is not on the roster; the latest 2026-03-01 09:06 UTC."),
        ], ignoreOrder: true);

        // Registered, it is an official group: no second unregistered-group finding, and its own checks take over.
        var people = await PeopleAsync(host);
        await GroupAsync(host, people["E1"], import.ConversationId);
        await monitor.ScanAsync(Ct);
        (await monitor.ListAsync(ct: Ct)).Count(a => a.Kind == RosterAlertKind.UnregisteredGroup).ShouldBe(1);
    }

    [Theory]
    [InlineData("Alex Kim added Maria Silva", MembershipChange.Joined, "Maria Silva")]
    [InlineData("\u200EAlex Kim added Maria Silva, +44 7700 900003 and Rui Costa", MembershipChange.Joined, "Maria Silva|+44 7700 900003|Rui Costa")]
    [InlineData("You added Maria Silva", MembershipChange.Joined, "Maria Silva")]
    [InlineData("Maria Silva joined using this group's invite link", MembershipChange.Joined, "Maria Silva")]
    [InlineData("Alex Kim removed Sam Patel", MembershipChange.Left, "Sam Patel")]
    [InlineData("Sam Patel left", MembershipChange.Left, "Sam Patel")]
    [InlineData("Alex Kim hat Maria Silva hinzugefügt", MembershipChange.Joined, "Maria Silva")]
    [InlineData("Sam Patel hat die Gruppe verlassen", MembershipChange.Left, "Sam Patel")]
    [InlineData("Alex Kim a ajouté Maria Silva", MembershipChange.Joined, "Maria Silva")]
    [InlineData("Sam Patel est parti", MembershipChange.Left, "Sam Patel")]
    [InlineData("Alex Kim añadió a Maria Silva", MembershipChange.Joined, "Maria Silva")]
    [InlineData("Alex Kim eliminó a Sam Patel", MembershipChange.Left, "Sam Patel")]
    [InlineData("Alex Kim adicionou Maria Silva", MembershipChange.Joined, "Maria Silva")]
    [InlineData("Sam Patel saiu", MembershipChange.Left, "Sam Patel")]
    public void MembershipNotices_AreReadInEachLanguage(string body, MembershipChange change, string members)
    {
        GroupMembershipNotice.TryParse(body, out var parsed, out var who).ShouldBeTrue();
        parsed.ShouldBe(change);
        who.ShouldBe(members.Split('|'));
    }

    [Theory]
    [InlineData("Alex Kim added you")]
    [InlineData("You left")]
    [InlineData("Alex Kim changed the subject from \"A\" to \"B\"")]
    [InlineData("Messages and calls are end-to-end encrypted.")]
    public void OtherNotices_AreNotMembershipChanges(string body) =>
        GroupMembershipNotice.TryParse(body, out _, out _).ShouldBeFalse();
}

public sealed class SqliteOfficialGroupTests() : OfficialGroupTests(DatabaseProvider.Sqlite);

public sealed class PostgresOfficialGroupTests() : OfficialGroupTests(DatabaseProvider.Postgres);
