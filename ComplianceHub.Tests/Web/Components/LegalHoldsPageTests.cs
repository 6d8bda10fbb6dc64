using Bunit;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
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
}
