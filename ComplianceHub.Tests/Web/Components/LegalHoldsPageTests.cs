using Bunit;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Components.Pages.LegalHolds;
using Microsoft.AspNetCore.Components;
using TestContext = Xunit.TestContext;

namespace ComplianceHub.Tests.Web.Components;

public sealed class LegalHoldsPageTests : ComponentTestContext
{
    [Fact]
    public async Task AnOfficer_PlacesAHoldOnACustodian_FromTheHoldsPage()
    {
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, TestContext.Current.CancellationToken);
        SignInAs("officer@example.com", Roles.ComplianceOfficer);
        var cut = RenderWithProviders<LegalHoldsPage>();
        cut.WaitForAssertion(() => cut.Markup.ShouldContain("No legal holds"));

        await cut.InvokeAsync(() => cut.Find("[data-testid=hold-new]").Click());
        var dialog = DialogProvider!.FindComponents<PlaceHoldDialog>().Single();
        await dialog.Find("input[data-testid=hold-name]").InputAsync(new ChangeEventArgs { Value = "Desk review 2026" });
        await dialog.InvokeAsync(() => dialog.Find("[data-testid=hold-place]").Click());
        dialog.WaitForAssertion(() => dialog.Find("[data-testid=dialog-error]").TextContent.ShouldBe("Describe the matter and what must be preserved (1 to 4,000 characters)."));
        await dialog.Find("textarea[data-testid=hold-description]").InputAsync(new ChangeEventArgs { Value = "Everything the rates desk head kept." });
        await dialog.Find("input[data-testid=hold-custodians]").InputAsync(new ChangeEventArgs { Value = "employee@example.com" });
        await dialog.InvokeAsync(() => dialog.Find("[data-testid=hold-place]").Click());

        cut.WaitForAssertion(() => cut.Find("[data-testid=hold]").TextContent.ShouldContain("Custodians: employee@example.com (all their conversations)."));
        cut.Find("[data-testid=hold-count]").TextContent.ShouldNotStartWith("0");
        (await Host.Get<LegalHoldService>().CountActiveAsync(TestContext.Current.CancellationToken)).ShouldBe(1);
    }

    [Fact]
    public async Task ARunningProduction_ShowsItsProgress_AndAnOfficerMayCancelIt()
    {
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, TestContext.Current.CancellationToken);
        var officer = new AuditActor("officer-id", "officer@example.com", null);
        var holdId = await Host.Get<LegalHoldService>().PlaceAsync(
            new LegalHoldDraft("Desk review 2026", null, "Everything the rates desk head kept.", [], ["employee@example.com"], null, null), officer,
            TestContext.Current.CancellationToken);
        var jobId = await Host.Get<ExportJobService>().RequestAsync(new ExportSource.LegalHold(holdId), ExportFormat.Pdf, new ExportSettings("UTC"), officer,
            TestContext.Current.CancellationToken);
        await Host.ExecuteSqlAsync($"UPDATE \"ExportJobs\" SET \"Status\" = {(int)ExportJobStatus.Running}, \"Done\" = 1200, \"Total\" = 4800 WHERE \"Id\" = {jobId}");
        SignInAs("officer@example.com", Roles.ComplianceOfficer);

        var cut = RenderWithProviders<LegalHoldsPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=production]").GetAttribute("data-production-status").ShouldBe("running"));
        cut.Find("[data-testid=production]").TextContent.ShouldContain("laying out 1,200 of 2,400 messages"); // the first of two passes over 2,400
        cut.Find("[data-testid=production-progress]").OuterHtml.ShouldContain("aria-valuenow=\"25\"");
        await cut.InvokeAsync(() => cut.Find("[data-testid=production-cancel]").Click());
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=production-cancel]").ShouldBeEmpty());
        (await Host.Get<ExportJobService>().GetAsync(jobId, TestContext.Current.CancellationToken))!.CancelRequested.ShouldBeTrue();
    }
}
