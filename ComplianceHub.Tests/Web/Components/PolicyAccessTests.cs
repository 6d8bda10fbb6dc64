using System.Reflection;
using Bunit;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Policies;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Components.Pages.Policies;
using ComplianceHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using TestContext = Xunit.TestContext;

namespace ComplianceHub.Tests.Web.Components;

/// <summary>Who may open the policy screens, and who sees the controls that write, publish, remind and sign on someone's behalf.</summary>
public sealed class PolicyAccessTests : ComponentTestContext
{
    private static readonly Type[] Pages = typeof(PoliciesPage).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(PoliciesPage).Namespace && t.GetCustomAttributes<RouteAttribute>().Any())
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    [Theory]
    [InlineData(Roles.Administrator, true, true, false)]
    [InlineData(Roles.ComplianceOfficer, true, true, true)]
    [InlineData(Roles.HrManager, true, false, true)]
    [InlineData(Roles.Auditor, false, false, false)]
    [InlineData(Roles.Employee, false, false, false)]
    public async Task EachRole_OpensThePolicyScreens_AndActsOnThem_OnlyAsAllowed(string role, bool mayView, bool mayWrite, bool mayChase)
    {
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, TestContext.Current.CancellationToken);
        SignInAs($"{role.ToLowerInvariant()}@example.com", role);
        var user = (await Services.GetRequiredService<AuthenticationStateProvider>().GetAuthenticationStateAsync()).User;
        var authorization = Services.GetRequiredService<IAuthorizationService>();

        Pages.Select(p => (p.Name, p.GetCustomAttribute<AuthorizeAttribute>()!.Policy)).ShouldBe(
        [
            ("PoliciesPage", AuthorizationPolicyNames.PoliciesRead),
            ("PolicyDocumentPage", AuthorizationPolicyNames.PoliciesRead),
            ("PolicyEditorPage", AuthorizationPolicyNames.PoliciesManage),
        ]);
        (await authorization.AuthorizeAsync(user, AuthorizationPolicyNames.PoliciesRead)).Succeeded.ShouldBe(mayView);
        (await authorization.AuthorizeAsync(user, AuthorizationPolicyNames.PoliciesManage)).Succeeded.ShouldBe(mayWrite);
        (await authorization.AuthorizeAsync(user, AuthorizationPolicyNames.PoliciesTrack)).Succeeded.ShouldBe(mayChase);
        if (!mayView)
        {
            return;
        }

        var list = RenderWithProviders<PoliciesPage>();
        list.WaitForAssertion(() => list.Find("[data-testid=policies-table]").TextContent.ShouldContain(DemoPolicy.Title));
        list.Find("[data-testid=policy-signed]").TextContent.ShouldContain("0 % (0 of 1)");
        list.FindAll("[data-testid=policy-new]").Count.ShouldBe(mayWrite ? 1 : 0);

        var documentId = (await Host.Get<PolicyService>().FindAsync(DemoPolicy.Title, TestContext.Current.CancellationToken))!.Value;
        var page = Render<PolicyDocumentPage>(p => p.Add(x => x.DocumentId, documentId));
        page.WaitForAssertion(() => page.Find("[data-testid=tracking-people]").TextContent.ShouldContain("Emma Employee"));
        page.Find("[data-testid=tracking-departments]").TextContent.ShouldContain("Rates");
        page.FindAll("[data-testid=policy-edit]").Count.ShouldBe(mayWrite ? 1 : 0);
        page.FindAll("[data-testid=policy-retire]").Count.ShouldBe(mayWrite ? 1 : 0);
        page.FindAll("[data-testid=remind]").Count.ShouldBe(mayChase ? 1 : 0);
        page.FindAll("[data-testid=on-behalf-start]").Count.ShouldBe(mayChase ? 1 : 0);
    }

    [Fact]
    public async Task TheRosterPage_SaysWhyANumberLapsed_AndSigningRestoresIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, ct);
        (await Host.Get<ComplianceHub.Core.Roster.RosterService>().ApplyLapsesAsync(ct)).ShouldBe(1); // the demo employee owes the demo policy
        SignInAs("officer@example.com", Roles.ComplianceOfficer);

        var roster = RenderWithProviders<ComplianceHub.Web.Components.Pages.Roster.RosterPage>();
        roster.WaitForAssertion(() => roster.FindAll("[data-testid=number-reason]").Select(r => r.TextContent).ShouldContain(
            $"Lapsed: Emma Employee has not signed \u201C{DemoPolicy.Title}\u201D (version 1)."));
    }

    [Fact]
    public async Task TheEditor_PreviewsAsItTypes_WithoutAnythingThatRuns_AndSavesADraft()
    {
        SignInAs("officer@example.com", Roles.ComplianceOfficer);
        var cut = RenderWithProviders<PolicyEditorPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=policy-content]"));

        await cut.Find("input[data-testid=policy-title]").InputAsync(new ChangeEventArgs { Value = "Record-keeping policy" });
        await cut.Find("textarea[data-testid=policy-content]").InputAsync(new ChangeEventArgs
        {
            Value = "# Keep records\n\n**Export** weekly.<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        });
        Host.Clock.Advance(TimeSpan.FromMilliseconds(300)); // the field's debounce runs on the app's clock
        cut.WaitForAssertion(() => cut.Find("[data-testid=policy-preview] strong").TextContent.ShouldBe("Export"), TimeSpan.FromSeconds(5));
        var preview = cut.Find("[data-testid=policy-preview]");
        preview.QuerySelector("h1")!.TextContent.ShouldBe("Keep records");
        preview.QuerySelectorAll("script, img, [onerror]").ShouldBeEmpty();
        preview.InnerHtml.ShouldNotContain("javascript:");

        await cut.InvokeAsync(() => cut.Find("[data-testid=policy-save]").Click());
        var summary = await WaitFor.ValueAsync(async () => (await Host.Get<PolicyService>().ListAsync(TestContext.Current.CancellationToken)).SingleOrDefault());
        (summary.InForce, summary.Draft!.Number).ShouldBe((null, 1));
        summary.Draft.Content.ShouldStartWith("# Keep records");
    }
}
