using System.Text;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Notifications;
using ComplianceHub.Core.Policies;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using ComplianceHub.Core.Roster;

namespace ComplianceHub.Tests.Core.Policies;

/// <summary>
/// Following a version in force: counts overall and by department, person by person, as CSV; a signature on someone's
/// behalf marked as such; reminders once per period (and by hand once a day), on both databases.
/// </summary>
public abstract class PolicyTrackingTests(DatabaseProvider provider)
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.0.0.1");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Text = "# Rules\n\nUse only your registered number.\n";

    [Fact]
    public async Task AVersion_IsTrackedByDepartmentAndPerson_OnBehalfSignaturesAreMarked_AndTheCsvSaysTheSame()
    {
        await using var host = await TestHost.StartAsync(provider);
        var policies = host.Get<PolicyService>();
        var report = host.Get<PolicyReport>();
        var ann = await UserAsync(host, "ann@example.com", "Ann Rates");
        var bob = await UserAsync(host, "bob@example.com", "Bob Rates");
        var cy = await UserAsync(host, "cy@example.com", "Cy Sales");
        var dee = await UserAsync(host, "dee@example.com", "=Dee Nowhere"); // no roster entry; a name a spreadsheet would run
        await host.OnboardAsync(
            "E1,Ann Rates,ann@example.com,Rates,,+447700900001,2025-01-01,,active\n"
            + "E2,Bob Rates,bob@example.com,Rates,,+447700900002,2025-01-01,,active\n"
            + "E3,Cy Sales,cy@example.com,Sales,,+447700900003,2025-01-01,,active\n");
        var id = await policies.CreateAsync("Messaging policy", new PolicyDraft(Text, Audience.Everyone, DueDays: 10), Officer, Ct);
        var version = await policies.PublishAsync(id, null, false, Officer, Ct);

        await policies.AcknowledgeAsync(version.Id, new PolicySignature("Ann Rates", true, true, "192.0.2.1", "UA"), new AuditActor(ann, "ann@example.com", null), Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => policies.AcknowledgeOnBehalfAsync(version.Id, bob, "on leave", Officer, Ct)))
            .Message.ShouldContain("10 to 1,000 characters");
        await policies.AcknowledgeOnBehalfAsync(version.Id, bob, "On long-term sick leave; signed the paper copy on 2026-03-01.", Officer, Ct);
        host.Clock.Advance(TimeSpan.FromDays(11)); // Cy and Dee are now late

        var tracking = (await report.VersionAsync(version.Id, Ct))!;
        (tracking.Standing.Acknowledged, tracking.Standing.Outstanding, tracking.Standing.Overdue, tracking.Standing.AcknowledgedPercent)
            .ShouldBe((2, 0, 2, 50.0));
        tracking.Departments.Select(d => (d.Department, d.Acknowledged, d.Overdue)).ShouldBe(
            [("Rates", 2, 0), ("Sales", 0, 1), (PolicyReport.NoDepartment, 0, 1)]);
        tracking.People.Select(p => (p.Name, p.State, p.SignedOnBehalf)).ShouldBe(
        [
            ("=Dee Nowhere", PolicyObligationState.Overdue, false),
            ("Cy Sales", PolicyObligationState.Overdue, false),
            ("Ann Rates", PolicyObligationState.Signed, false),
            ("Bob Rates", PolicyObligationState.Signed, true),
        ]);
        (await report.StandingsAsync(Ct)).Single().Acknowledged.ShouldBe(2);
        (await report.VersionAsync(version.Id + 1000, Ct)).ShouldBeNull();

        var csv = Encoding.UTF8.GetString(PolicyReport.ToCsv(tracking)).TrimStart('\uFEFF').Split("\r\n");
        csv[0].ShouldBe("policy,version,name,email,department,state,due_utc,signed_utc,signed_version,on_behalf");
        csv[1].ShouldBe("Messaging policy,1,\"'=Dee Nowhere\",dee@example.com,(no department),overdue,2026-03-12T09:30:00Z,,,no");
        csv[4].ShouldBe("Messaging policy,1,Bob Rates,bob@example.com,Rates,signed,2026-03-12T09:30:00Z,2026-03-02T09:30:00Z,1,yes");

        // The receipt of the signature given on Bob's behalf says so.
        var receipt = (await policies.AcknowledgementsOfAsync(bob, Ct)).Single();
        receipt.Acknowledgement.IsOnBehalf.ShouldBeTrue();
        var file = Path.Combine(host.DataDirectory, "receipt.pdf");
        await using (var output = File.Create(file))
        {
            await PolicyReceiptPdf.WriteAsync(output, receipt, version, host.Clock.GetUtcNow(), Ct);
        }

        var text = await Poppler.TextAsync(file);
        text.ShouldContain("officer@example.com recorded, on behalf of Bob Rates");
        text.ShouldContain(version.ContentSha256!);
        text.ShouldContain("On long-term sick leave");
        text.ShouldContain("Use only your registered number.");
        _ = cy;
        _ = dee;
    }

    [Fact]
    public async Task Reminders_GoOncePerPeriodPerVersion_StopWhenSigned_AndByHandAtMostOnceADay()
    {
        await using var host = await TestHost.StartAsync(provider, new Dictionary<string, string?> { ["Notifications:ReminderIntervalDays"] = "7" });
        var policies = host.Get<PolicyService>();
        var reminders = host.Get<PolicyReminders>();
        var notifications = host.Get<NotificationService>();
        var ann = await UserAsync(host, "ann@example.com", "Ann Rates");
        var bob = await UserAsync(host, "bob@example.com", "Bob Rates");
        (await reminders.SendDueAsync(Ct)).ShouldBe(0); // nothing in force

        var id = await policies.CreateAsync("Messaging policy", new PolicyDraft(Text, Audience.Everyone, DueDays: 3), Officer, Ct);
        var version = await policies.PublishAsync(id, null, false, Officer, Ct);
        (await reminders.SendDueAsync(Ct)).ShouldBe(2);
        (await reminders.SendDueAsync(Ct)).ShouldBe(0); // the same period: nothing twice
        var first = (await notifications.InboxAsync(ann, ct: Ct)).Single();
        (first.Title, first.Link).ShouldBe(("Please read and sign \u201CMessaging policy\u201D (version 1) by 5 March 2026", $"my-compliance/policies/{version.Id}"));
        (await notifications.UnreadCountAsync(ann, Ct)).ShouldBe(1);

        // Ann signs: her reminder is read and she is reminded no more; Bob, late by the next period, is told so.
        await policies.AcknowledgeAsync(version.Id, new PolicySignature("ann rates", true, true, null, null), new AuditActor(ann, "ann@example.com", null), Ct);
        (await notifications.UnreadCountAsync(ann, Ct)).ShouldBe(0);
        host.Clock.Advance(TimeSpan.FromDays(7));
        (await reminders.SendDueAsync(Ct)).ShouldBe(1);
        (await notifications.InboxAsync(bob, ct: Ct)).First().Title.ShouldBe("Overdue: sign \u201CMessaging policy\u201D (version 1)");

        // By hand: once a day, audited; not for someone who has signed.
        await reminders.RemindAsync(bob, version.Id, Officer, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => reminders.RemindAsync(bob, version.Id, Officer, Ct))).Message.ShouldContain("already sent");
        (await Should.ThrowAsync<ComplianceRuleException>(() => reminders.RemindAsync(ann, version.Id, Officer, Ct))).Message.ShouldContain("already signed");
        (await notifications.InboxAsync(bob, ct: Ct)).Count.ShouldBe(3);
        await using var db = await host.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.PolicyReminderSent, Ct)).ShouldBe(1);

        await notifications.MarkReadAsync(bob, ct: Ct);
        (await notifications.UnreadCountAsync(bob, Ct)).ShouldBe(0);
    }

    private static async Task<string> UserAsync(TestHost host, string email, string name) =>
        await host.Get<UserAdministrationService>().CreateUserAsync(new CreateUserRequest
        {
            Email = email, DisplayName = name, Password = "Long-enough-Password-2026!", Roles = [Roles.Employee],
        }, Officer, Ct);
}

public sealed class SqlitePolicyTrackingTests() : PolicyTrackingTests(DatabaseProvider.Sqlite);

public sealed class PostgresPolicyTrackingTests() : PolicyTrackingTests(DatabaseProvider.Postgres);

/// <summary>The side-by-side comparison pairs an edited line with its new text and keeps the rest in step.</summary>
public sealed class PolicyDiffTests
{
    [Fact]
    public void EditedLinesAreOpposite_AddedAndRemovedLinesStandAlone_UnchangedOnesKeepTheirNumbers()
    {
        var rows = PolicyDiff.Compare("# Rules\nUse your number.\nNo orders.\nBe kind.\nEnd", "# Rules\nUse only your registered number.\nNo orders.\nReport lost phones.\nEnd");
        rows.Select(r => (r.Kind, r.LeftNumber, r.Left, r.RightNumber, r.Right)).ShouldBe(
        [
            (PolicyDiffKind.Same, 1, "# Rules", 1, "# Rules"),
            (PolicyDiffKind.Changed, 2, "Use your number.", 2, "Use only your registered number."),
            (PolicyDiffKind.Same, 3, "No orders.", 3, "No orders."),
            (PolicyDiffKind.Changed, 4, "Be kind.", 4, "Report lost phones."),
            (PolicyDiffKind.Same, 5, "End", 5, "End"),
        ]);

        PolicyDiff.Compare("a\nb", "a\nx\nb").Select(r => r.Kind).ShouldBe([PolicyDiffKind.Same, PolicyDiffKind.Added, PolicyDiffKind.Same]);
        PolicyDiff.Compare("a\nx\nb", "a\nb").Single(r => r.Kind == PolicyDiffKind.Removed).Left.ShouldBe("x");
        PolicyDiff.Compare("same", "same").ShouldAllBe(r => r.Kind == PolicyDiffKind.Same);
    }
}
