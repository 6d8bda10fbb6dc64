using Bunit;
using TestContext = Xunit.TestContext;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Identity;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Components.Pages.Audit;

namespace ComplianceHub.Tests.Web.Components;

public sealed class AuditTrailPageTests : ComponentTestContext
{
    [Fact]
    public async Task AuditTrailPage_ListsEventsNewestFirst_AndAuditsTheSearch()
    {
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, TestContext.Current.CancellationToken);
        SignInAs("auditor@example.com", Roles.Auditor);

        var cut = RenderWithProviders<AuditTrailPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=audit-count]").TextContent.ShouldStartWith("17 event(s)"));
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
        SignInAs("officer@example.com", Roles.ComplianceOfficer);
        var cut = RenderWithProviders<AuditTrailPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=audit-table]"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=verify-chain]").Click());

        // 16 seeded + 1 audited search; the demo exports' 44 messages and the 5 captured by the demo webhook deliveries.
        cut.WaitForAssertion(() => cut.Find("[data-testid=chain-status]").TextContent.ShouldContain("Intact: audit chain, 18 record(s); archive chain, 49 record(s)"));
    }
}
