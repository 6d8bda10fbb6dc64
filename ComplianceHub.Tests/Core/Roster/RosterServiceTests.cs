using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Tests.Core.Roster;

public abstract class RosterServiceTests(DatabaseProvider provider)
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.1.2.3");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<long> OnboardAsync(TestHost host, string status)
    {
        await host.OnboardAsync($"E1,Alex Kim,alex.kim@example.com,,,+447700900123,2025-01-01,,{status}\n", Officer);
        await using var db = await host.CreateDbContextAsync();
        return await db.AuthorizedNumbers.Select(n => n.Id).SingleAsync(Ct);
    }

    [Fact]
    public async Task SuspendReactivateRevoke_EachNeedsItsReason_IsKeptInTheHistory_AndRevocationIsFinal()
    {
        await using var host = await TestHost.StartAsync(provider);
        var id = await OnboardAsync(host, "active");
        var roster = host.Get<RosterService>();

        (await Should.ThrowAsync<ComplianceRuleException>(() => roster.ChangeStatusAsync(id, AuthorizationStatus.Suspended, " ", Officer, Ct)))
            .Message.ShouldBe("Say why the number is suspended.");
        await roster.ChangeStatusAsync(id, AuthorizationStatus.Suspended, "Phone lost", Officer, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => roster.ChangeStatusAsync(id, AuthorizationStatus.Suspended, "again", Officer, Ct)))
            .Message.ShouldBe("+447700900123 is already suspended.");
        await roster.ChangeStatusAsync(id, AuthorizationStatus.Active, null, Officer, Ct);
        await roster.ChangeStatusAsync(id, AuthorizationStatus.Revoked, "Left the firm", Officer, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => roster.ChangeStatusAsync(id, AuthorizationStatus.Active, null, Officer, Ct)))
            .Message.ShouldStartWith("The authorization of +447700900123 was revoked; that is final.");

        await using var db = await host.CreateDbContextAsync();
        var number = await db.AuthorizedNumbers.Include(n => n.History).SingleAsync(Ct);
        (number.Status, number.StatusReason).ShouldBe((AuthorizationStatus.Revoked, "Left the firm"));
        number.History.OrderBy(h => h.Id).Select(h => (h.FromStatus, h.ToStatus, h.Reason)).ShouldBe(
        [
            (null, AuthorizationStatus.Active, null),
            (AuthorizationStatus.Active, AuthorizationStatus.Suspended, "Phone lost"),
            (AuthorizationStatus.Suspended, AuthorizationStatus.Active, null),
            (AuthorizationStatus.Active, AuthorizationStatus.Revoked, "Left the firm"),
        ]);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.NumberStatusChanged, Ct)).ShouldBe(3);
    }

    [Fact]
    public async Task Activation_IsRefusedWithThePrerequisitesReason()
    {
        await using var host = await TestHost.StartAsync(provider, extraServices: s => s.AddSingleton<IAuthorizationPrerequisite, TrainingOverdue>());
        var id = await OnboardAsync(host, "suspended");

        var error = await Should.ThrowAsync<ComplianceRuleException>(() => host.Get<RosterService>().ChangeStatusAsync(id, AuthorizationStatus.Active, null, Officer, Ct));

        error.Message.ShouldBe("+447700900123 cannot be active yet: Alex Kim's required training is overdue.");
        await using var db = await host.CreateDbContextAsync();
        (await db.AuthorizedNumbers.SingleAsync(Ct)).Status.ShouldBe(AuthorizationStatus.Suspended);
    }

    /// <summary>A stand-in for the training feature's prerequisite (a later issue), through the same extension point.</summary>
    private sealed class TrainingOverdue : IAuthorizationPrerequisite
    {
        public Task<string?> BlockingReasonAsync(Person employee, CancellationToken ct) =>
            Task.FromResult<string?>($"{employee.Name}'s required training is overdue.");
    }

    [Fact]
    public async Task AnEmployee_IsLinkedToOneSignInAccount_AndFoundByIt()
    {
        await using var host = await TestHost.StartAsync(provider);
        await host.Get<ComplianceHub.Core.Demo.DemoDataSeeder>().SeedAsync(AuditActor.System, Ct);
        await using var db = await host.CreateDbContextAsync();
        var accounts = await db.Users.ToDictionaryAsync(u => u.Email!, u => u.Id, Ct);
        var people = await db.People.Where(p => p.EmployeeId != null).ToDictionaryAsync(p => p.EmployeeId!, p => p.Id, Ct);
        var roster = host.Get<RosterService>();
        var query = host.Get<RosterQueryService>();

        // The demo links the officer and the employee; HR's account is nobody's yet.
        (await query.FindByAccountAsync(accounts["employee@example.com"], Ct))!.EmployeeId.ShouldBe("E1001");
        (await query.FindByAccountAsync(accounts["hr@example.com"], Ct)).ShouldBeNull();
        (await Should.ThrowAsync<ComplianceRuleException>(() => roster.LinkAccountAsync(people["E1002"], accounts["officer@example.com"], Officer, Ct)))
            .Message.ShouldBe("officer@example.com is already linked to Olivia Officer.");
        (await Should.ThrowAsync<ComplianceRuleException>(() => roster.LinkAccountAsync(people["E1002"], "no-such-user", Officer, Ct)))
            .Message.ShouldBe("That account does not exist.");

        await roster.LinkAccountAsync(people["E1002"], accounts["hr@example.com"], Officer, Ct);
        var raj = (await query.FindByAccountAsync(accounts["hr@example.com"], Ct))!;
        (raj.Name, raj.AccountEmail, raj.Numbers.Count).ShouldBe(("Raj Mehta", "hr@example.com", 2));
        await roster.LinkAccountAsync(people["E1002"], null, Officer, Ct);
        (await query.FindByAccountAsync(accounts["hr@example.com"], Ct)).ShouldBeNull();

        var links = await db.AuditEvents.Where(e => e.Type == AuditEventType.PersonAccountLinked && e.ActorName == "officer@example.com").OrderBy(e => e.Id).ToListAsync(Ct);
        links.Select(e => e.Details!.Contains("hr@example.com", StringComparison.Ordinal)).ShouldBe([true, false]);
    }

    [Fact]
    public async Task Authorizations_Lapse_WhenTheirPeriodEnds_OrAPrerequisiteStopsHolding()
    {
        var policy = new SwitchablePrerequisite();
        await using var host = await TestHost.StartAsync(provider, extraServices: s => s.AddSingleton<IAuthorizationPrerequisite>(policy));
        await host.OnboardAsync(
            "E1,Alex Kim,alex.kim@example.com,,,+447700900123,2025-01-01,2026-02-28,active\n" +
            "E2,Sam Patel,sam.patel@example.com,,,+447700900124,2025-01-01,,active\n", Officer);
        var roster = host.Get<RosterService>();

        (await roster.ApplyLapsesAsync(Ct)).ShouldBe(1);
        policy.Reason = "the messaging policy v3 is not acknowledged.";
        (await roster.ApplyLapsesAsync(Ct)).ShouldBe(1);
        (await roster.ApplyLapsesAsync(Ct)).ShouldBe(0);

        var numbers = (await host.Get<RosterQueryService>().ListEmployeesAsync(Ct)).SelectMany(e => e.Numbers).ToDictionary(n => n.PhoneE164);
        (numbers["+447700900123"].Status, numbers["+447700900123"].StatusReason).ShouldBe((AuthorizationStatus.Suspended, "Lapsed: the authorization ended on 2026-02-28."));
        (numbers["+447700900124"].Status, numbers["+447700900124"].StatusReason).ShouldBe((AuthorizationStatus.Suspended, "Lapsed: the messaging policy v3 is not acknowledged."));
        numbers["+447700900124"].History.Select(h => (h.From, h.To, h.ChangedBy)).ShouldBe(
            [(null, AuthorizationStatus.Active, "officer@example.com"), (AuthorizationStatus.Active, AuthorizationStatus.Suspended, "system")]);
        await using var db = await host.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.NumberStatusChanged && e.ActorName == "system", Ct)).ShouldBe(2);
    }

    /// <summary>A prerequisite that starts met and stops holding when given a reason (a policy republished, training expired).</summary>
    private sealed class SwitchablePrerequisite : IAuthorizationPrerequisite
    {
        public string? Reason { get; set; }

        public Task<string?> BlockingReasonAsync(Person employee, CancellationToken ct) => Task.FromResult(Reason);
    }

    [Fact]
    public async Task ANumbersDeviceAndCapture_AreRecorded_AndTheBusinessNumberIsRecognised()
    {
        await using var host = await TestHost.StartAsync(provider, ComplianceHub.Tests.Core.Archive.WebhookProcessingTests.CaptureSettings());
        await host.OnboardAsync(
            "E1,Alex Kim,alex.kim@example.com,,,+1 555 078 3881,2025-01-01,,active\n" +
            "E2,Sam Patel,sam.patel@example.com,,,+447700900124,2025-01-01,,active\n", Officer);
        var numbers = (await host.Get<RosterQueryService>().ListEmployeesAsync(Ct)).SelectMany(e => e.Numbers).ToDictionary(n => n.PhoneE164);
        (numbers["+15550783881"].Device, numbers["+15550783881"].Capture).ShouldBe((DeviceType.Business, CaptureMethod.CloudApi));
        (numbers["+447700900124"].Device, numbers["+447700900124"].Capture).ShouldBe((DeviceType.Personal, CaptureMethod.ExportImport));

        await host.Get<RosterService>().UpdateNumberAsync(numbers["+447700900124"].Id, DeviceType.Business, CaptureMethod.ExportImport, Officer, Ct);

        var sam = (await host.Get<RosterQueryService>().ListEmployeesAsync(Ct)).Single(e => e.EmployeeId == "E2").Numbers.Single();
        sam.Device.ShouldBe(DeviceType.Business);
        await using var db = await host.CreateDbContextAsync();
        (await db.AuditEvents.SingleAsync(e => e.Type == AuditEventType.AuthorizedNumberUpdated, Ct)).Details!.ShouldContain("\"before\":{\"device\":\"Personal\"");
    }
}

public sealed class SqliteRosterServiceTests() : RosterServiceTests(DatabaseProvider.Sqlite);

public sealed class PostgresRosterServiceTests() : RosterServiceTests(DatabaseProvider.Postgres);
