using System.Globalization;
using Bunit;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Identity;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Components.Pages.Home;
using Microsoft.EntityFrameworkCore;
using TestContext = Xunit.TestContext;

namespace ComplianceHub.Tests.Web.Components;

public sealed class DashboardPageTests : ComponentTestContext
{
    [Fact]
    public async Task Dashboard_ForAdministrator_CountsUsersFromTheDatabase_AndHidesAuditCards()
    {
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, TestContext.Current.CancellationToken);
        SignInAs("admin@example.com", Roles.Administrator);

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=card-users-value]").TextContent.ShouldBe("5"));
        cut.FindAll("[data-testid=card-audit-events]").ShouldBeEmpty();
        cut.Find("[data-testid=card-my-compliance]").ShouldNotBeNull();
    }

    [Fact]
    public async Task Dashboard_CountsActiveLegalHolds_AndOverdueReviews()
    {
        var ct = TestContext.Current.CancellationToken;
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, ct);
        await Host.Get<ComplianceHub.Core.LegalHolds.LegalHoldService>().PlaceAsync(
            new ComplianceHub.Core.LegalHolds.LegalHoldDraft("Matter", null, "x", [], ["employee@example.com"], null, null), AuditActor.System, ct);
        var today = DateOnly.FromDateTime(Host.Clock.GetUtcNow().UtcDateTime);
        var campaign = await Host.Get<ComplianceHub.Core.Roster.RecertificationService>().StartAsync("Q1", today.AddDays(1), AuditActor.System, ct);
        Host.Clock.Advance(TimeSpan.FromDays(3));
        SignInAs("officer@example.com", Roles.ComplianceOfficer);

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=card-legal-holds-value]").TextContent.ShouldBe("1"));
        cut.Find("[data-testid=card-overdue-reviews-value]").TextContent.ShouldBe(campaign.Reviews.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Dashboard_ForComplianceOfficer_CountsAuditEventsAndFailedSignIns()
    {
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, TestContext.Current.CancellationToken);
        await using (var db = await Host.CreateDbContextAsync())
        {
            Host.Get<AuditLog>().Record(db, AuditEventType.SignInFailed, new AuditActor(null, "mallory", "203.0.113.9"));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        int recorded;
        await using (var db = await Host.CreateDbContextAsync())
        {
            recorded = await db.AuditEvents.CountAsync(TestContext.Current.CancellationToken);
        }

        recorded.ShouldBeGreaterThan(10);
        SignInAs("officer@example.com", Roles.ComplianceOfficer);

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=card-audit-events-value]").TextContent.ShouldBe(recorded.ToString("N0", CultureInfo.CurrentCulture)));
        cut.Find("[data-testid=card-failed-sign-ins-value]").TextContent.ShouldBe("1");
        cut.FindAll("[data-testid=card-users]").ShouldBeEmpty();
    }

    [Fact]
    public async Task Dashboard_ForAnEmployee_ShowsNoFeatureFigures()
    {
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, TestContext.Current.CancellationToken);
        SignInAs("employee@example.com", Roles.Employee);

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=card-my-compliance]").ShouldNotBeNull());
        foreach (var card in new[] { "card-archive", "card-roster-alerts", "card-overdue-reviews", "card-legal-holds", "card-users", "card-audit-events", "silent-numbers" })
        {
            cut.FindAll($"[data-testid={card}]").ShouldBeEmpty(card);
        }
    }
}
