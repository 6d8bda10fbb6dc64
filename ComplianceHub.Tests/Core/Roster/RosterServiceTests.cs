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
}

public sealed class SqliteRosterServiceTests() : RosterServiceTests(DatabaseProvider.Sqlite);

public sealed class PostgresRosterServiceTests() : RosterServiceTests(DatabaseProvider.Postgres);
