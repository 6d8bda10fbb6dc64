using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Core.Roster;

public abstract class RecertificationTests(DatabaseProvider provider)
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.1.2.3");
    private static readonly AuditActor Manager = new("alex-id", "alex.kim@example.com", "10.1.2.9");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<TestHost> StartWithRosterAsync(DatabaseProvider provider)
    {
        var host = await TestHost.StartAsync(provider);
        await host.OnboardAsync(
            "E1,Alex Kim,alex.kim@example.com,Rates,,+447700900123,2025-01-01,,active\n"
            + "E2,Sam Patel,sam.patel@example.com,Rates,alex.kim@example.com,+447700900124,2025-01-01,,active\n"
            + "E2,Sam Patel,sam.patel@example.com,Rates,alex.kim@example.com,+447700900125,2025-01-01,,suspended\n"
            + "E3,Jonas Weber,jonas.weber@example.com,Sales,alex.kim@example.com,+4915123456789,2025-01-01,,revoked\n",
            Officer);
        return host;
    }

    [Fact]
    public async Task ACampaign_PutsEachAuthorizationInForceToTheManager_AndRecordsEveryOutcome()
    {
        await using var host = await StartWithRosterAsync(provider);
        var service = host.Get<RecertificationService>();
        var today = DateOnly.FromDateTime(host.Clock.GetUtcNow().UtcDateTime);

        var campaign = await service.StartAsync("Q2 review", today.AddDays(14), Officer, Ct);

        var items = await service.ListAsync(ct: Ct);
        items.Select(i => (i.Person, i.PhoneE164, i.Reviewer)).ShouldBe(
        [
            ("Alex Kim", "+447700900123", null),
            ("Sam Patel", "+447700900124", "Alex Kim"),
            ("Sam Patel", "+447700900125", "Alex Kim"),
        ]);

        await using var db = await host.CreateDbContextAsync();
        var alex = await db.People.SingleAsync(p => p.EmployeeId == "E1", Ct);
        var mine = await service.ListAsync(alex.Id, ct: Ct);
        mine.Count.ShouldBe(2);

        await service.DecideAsync(mine[0].ReviewId, ReviewDecision.Confirmed, null, Manager, ct: Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => service.DecideAsync(mine[1].ReviewId, ReviewDecision.Removed, "", Manager, ct: Ct)))
            .Message.ShouldBe("Say why this is no longer needed.");
        await service.DecideAsync(mine[1].ReviewId, ReviewDecision.Removed, "Second phone returned", Manager, ct: Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => service.DecideAsync(mine[0].ReviewId, ReviewDecision.Removed, "x", Manager, ct: Ct)))
            .Message.ShouldBe("That review was already decided by alex.kim@example.com.");

        var removed = await db.AuthorizedNumbers.SingleAsync(n => n.PhoneE164 == "+447700900125", Ct);
        (removed.Status, removed.StatusReason).ShouldBe((AuthorizationStatus.Revoked, "Removed in re-certification \"Q2 review\": Second phone returned"));
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.RecertificationDecided && e.ActorName == "alex.kim@example.com", Ct)).ShouldBe(2);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.RecertificationStarted && e.SubjectId == campaign.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct)).ShouldBe(1);

        // Two weeks and a day later the one left undecided is overdue.
        (await service.ListAsync(overdueOnly: true, ct: Ct)).ShouldBeEmpty();
        (await service.CountOverdueAsync(Ct)).ShouldBe(0);
        host.Clock.Advance(TimeSpan.FromDays(15));
        (await service.ListAsync(overdueOnly: true, ct: Ct)).Select(i => i.PhoneE164).ShouldBe(["+447700900123"]);
        (await service.CountOverdueAsync(Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task GroupOwners_ReviewTheirGroupsParticipants_AndReviewersDecideOnlyTheirOwn()
    {
        await using var host = await StartWithRosterAsync(provider);
        await using var db = await host.CreateDbContextAsync();
        var people = await db.People.ToDictionaryAsync(p => p.EmployeeId!, p => p.Id, Ct);
        var groups = host.Get<OfficialGroupService>();
        var groupId = await groups.SaveAsync(null, new OfficialGroupDraft("Client Desk", "Client quotes", people["E2"], null, null, null), Officer, Ct);
        var client = await host.Get<RosterService>().SaveExternalContactAsync(null, "Maria Silva", "Banco Atlântico", null, "+351912345678", people["E2"], Officer, Ct);
        await groups.AddMemberAsync(groupId, client, null, new DateOnly(2026, 1, 5), Officer, Ct);
        await groups.AddMemberAsync(groupId, people["E2"], "+447700900124", new DateOnly(2026, 1, 5), Officer, Ct);
        var service = host.Get<RecertificationService>();

        await service.StartAsync("Q2 review", DateOnly.FromDateTime(host.Clock.GetUtcNow().UtcDateTime).AddDays(14), Officer, Ct);

        // Sam owns the group and reviews its participants, but not himself: his manager does.
        var sams = await service.ListAsync(people["E2"], ct: Ct);
        var participant = sams.Single();
        (await service.ListAsync(people["E1"], ct: Ct)).ShouldContain(i => i.Group == "Client Desk" && i.Person == "Sam Patel");
        (participant.Person, participant.PhoneE164, participant.Group, participant.Status, participant.Reviewer).ShouldBe(
            ("Maria Silva", "+351912345678", "Client Desk", null, "Sam Patel"));
        var alexs = await service.ListAsync(people["E1"], ct: Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => service.DecideAsync(alexs[0].ReviewId, ReviewDecision.Confirmed, null, Manager, asReviewer: people["E2"], ct: Ct)))
            .Message.ShouldBe("That review is not yours to decide.");

        await service.DecideAsync(participant.ReviewId, ReviewDecision.Removed, "Mandate ended", Manager, asReviewer: people["E2"], ct: Ct);
        var stay = await db.GroupMembers.SingleAsync(m => m.PersonId == client, Ct);
        stay.LeftOn.ShouldBe(DateOnly.FromDateTime(host.Clock.GetUtcNow().UtcDateTime));
        (await db.AuditEvents.SingleAsync(e => e.Type == AuditEventType.GroupMembershipChanged && e.Details!.Contains("left"), Ct))
            .Details!.ShouldContain("Removed in re-certification \\u0022Q2 review\\u0022: Mandate ended");
    }

    [Fact]
    public async Task ACampaign_NeedsANameAndAFutureDueDate()
    {
        await using var host = await StartWithRosterAsync(provider);
        var service = host.Get<RecertificationService>();
        var today = DateOnly.FromDateTime(host.Clock.GetUtcNow().UtcDateTime);

        (await Should.ThrowAsync<ComplianceRuleException>(() => service.StartAsync(" ", today.AddDays(7), Officer, Ct))).Message.ShouldBe("Name the campaign (1 to 200 characters).");
        (await Should.ThrowAsync<ComplianceRuleException>(() => service.StartAsync("Late", today, Officer, Ct))).Message.ShouldBe("The due date must be in the future.");
        await using var db = await host.CreateDbContextAsync();
        (await db.RecertificationCampaigns.CountAsync(Ct)).ShouldBe(0);
    }
}

public sealed class SqliteRecertificationTests() : RecertificationTests(DatabaseProvider.Sqlite);

public sealed class PostgresRecertificationTests() : RecertificationTests(DatabaseProvider.Postgres);
