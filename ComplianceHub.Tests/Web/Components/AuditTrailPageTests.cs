using Bunit;
using TestContext = Xunit.TestContext;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Identity;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Components.Pages.Audit;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Web.Components;

public sealed class AuditTrailPageTests : ComponentTestContext
{
    [Fact]
    public async Task AuditTrailPage_ListsEventsNewestFirst_AndAuditsTheSearch()
    {
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, TestContext.Current.CancellationToken);
        var seeded = await AuditCountAsync();
        SignInAs("auditor@example.com", Roles.Auditor);

        var cut = RenderWithProviders<AuditTrailPage>();

        // What the seed recorded (the page's own search is audited after it has counted).
        cut.WaitForAssertion(() => cut.Find("[data-testid=audit-count]").TextContent.ShouldStartWith($"{seeded} event(s)"));
        cut.Find("[data-testid=chain-status]").TextContent.ShouldContain("not been verified yet");
        var firstRowEvent = cut.Find("[data-testid=audit-table] tbody tr td[data-label=Event]").TextContent;
        firstRowEvent.ShouldContain("Demo data seeded");
        var searched = await Host.Get<AuditQueryService>().LatestAsync(AuditEventType.AuditTrailSearched, TestContext.Current.CancellationToken);
        searched.ShouldNotBeNull();
        searched.ActorName.ShouldBe("auditor@example.com");
    }

    [Fact]
    public async Task VerifyButton_OnAnIntactChain_ShowsIntactWithTheRecordCount()
    {
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, TestContext.Current.CancellationToken);
        var seeded = await AuditCountAsync();
        await using var db = await Host.CreateDbContextAsync();
        var messages = await db.ChatMessages.CountAsync(TestContext.Current.CancellationToken);
        messages.ShouldBeGreaterThan(40);
        SignInAs("officer@example.com", Roles.ComplianceOfficer);
        var cut = RenderWithProviders<AuditTrailPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=audit-table]"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=verify-chain]").Click());

        // The seed's events and the page's audited search; every archived message (the demo exports' and the demo webhook's).
        cut.WaitForAssertion(() => cut.Find("[data-testid=chain-status]").TextContent
            .ShouldContain($"Intact: audit chain, {seeded + 1} record(s); archive chain, {messages} record(s)"));
    }

    private async Task<int> AuditCountAsync()
    {
        await using var db = await Host.CreateDbContextAsync();
        return await db.AuditEvents.CountAsync(TestContext.Current.CancellationToken);
    }
}
