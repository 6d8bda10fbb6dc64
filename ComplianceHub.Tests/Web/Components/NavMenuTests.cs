using Bunit;
using ComplianceHub.Core.Identity;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Components.Layout;

namespace ComplianceHub.Tests.Web.Components;

public sealed class NavMenuTests : ComponentTestContext
{
    [Fact]
    public void NavMenu_ForAuditor_ShowsArchiveLegalHoldsAndAudit_ButNoAdministration()
    {
        SignInAs("auditor@example.com", Roles.Auditor);

        var cut = RenderWithProviders<NavMenu>();

        var groups = cut.FindAll("[data-nav-group]").Select(e => e.GetAttribute("data-nav-group")).ToList();
        groups.ShouldBe(["archive", "legal-holds", "audit"]);
        cut.FindAll("[data-nav=admin-users]").ShouldBeEmpty();
    }

    [Fact]
    public void NavMenu_ForSeveralRoles_ShowsTheUnionOfTheirAreas()
    {
        SignInAs("both@example.com", Roles.HrManager, Roles.Auditor);

        var cut = RenderWithProviders<NavMenu>();

        cut.FindAll("[data-nav-group]").Select(e => e.GetAttribute("data-nav-group"))
            .ShouldBe(["archive", "roster", "policies", "training", "legal-holds", "audit"]);
    }
}
