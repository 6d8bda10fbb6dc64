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
}

public sealed class SqliteRosterServiceTests() : RosterServiceTests(DatabaseProvider.Sqlite);

public sealed class PostgresRosterServiceTests() : RosterServiceTests(DatabaseProvider.Postgres);
