using System.Reflection;
using Bunit;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Identity;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Components.Pages.Roster;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using TestContext = Xunit.TestContext;

namespace ComplianceHub.Tests.Web.Components;

/// <summary>Who may open each roster screen, and who sees the controls that change the roster.</summary>
public sealed class RosterAccessTests : ComponentTestContext
{
    private static readonly Type[] Pages = typeof(RosterPage).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(RosterPage).Namespace && t.GetCustomAttribute<RouteAttribute>() is not null)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    [Theory]
    [InlineData(Roles.Administrator, true, true)]
    [InlineData(Roles.ComplianceOfficer, true, true)]
    [InlineData(Roles.HrManager, true, false)]
    [InlineData(Roles.Auditor, false, false)]
    [InlineData(Roles.Employee, false, false)]
    public async Task EachRole_OpensTheRosterScreens_AndChangesTheRoster_OnlyAsAllowed(string role, bool mayView, bool mayChange)
    {
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, TestContext.Current.CancellationToken);
        SignInAs($"{role.ToLowerInvariant()}@example.com", role);
        var user = (await Services.GetRequiredService<AuthenticationStateProvider>().GetAuthenticationStateAsync()).User;
        var authorization = Services.GetRequiredService<IAuthorizationService>();

        Pages.Select(p => p.Name).ShouldBe(["ExternalContactsPage", "GroupPage", "GroupsPage", "RecertificationPage", "RosterAlertsPage", "RosterPage"]);
        foreach (var page in Pages)
        {
            var policy = page.GetCustomAttribute<AuthorizeAttribute>()!.Policy!;
            (await authorization.AuthorizeAsync(user, policy)).Succeeded.ShouldBe(mayView, $"{role} on {page.Name}");
        }

        if (!mayView)
        {
            return;
        }

        // The screens a viewer may open show the changing controls to those who may change the roster only.
        var roster = RenderWithProviders<RosterPage>();
        roster.WaitForAssertion(() => roster.Find("[data-testid=roster-table]"));
        roster.FindAll("[data-testid=roster-choose]").Count.ShouldBe(mayChange ? 1 : 0);
        roster.FindAll("[data-testid=change-status]").Count.ShouldBe(mayChange ? 4 : 0); // the demo's numbers not revoked
        roster.FindAll("[data-testid=account-link]").Count.ShouldBe(mayChange ? 4 : 0);

        var groups = Render<GroupsPage>();
        groups.WaitForAssertion(() => groups.Find("[data-testid=groups-table]").TextContent.ShouldContain("Rates Desk"));
        groups.FindAll("[data-testid=group-new]").Count.ShouldBe(mayChange ? 1 : 0);
        groups.FindAll("[data-testid=participants-choose]").Count.ShouldBe(mayChange ? 1 : 0);

        var groupId = long.Parse(groups.Find("[data-testid=group-link]").GetAttribute("href")!.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var group = Render<GroupPage>(p => p.Add(x => x.GroupId, groupId));
        group.WaitForAssertion(() => group.FindAll("[data-testid=members-table] tbody tr").Count.ShouldBe(3));
        group.FindAll("[data-testid=group-edit]").Count.ShouldBe(mayChange ? 1 : 0);
        group.FindAll("[data-testid=member-add]").Count.ShouldBe(mayChange ? 1 : 0);
        group.FindAll("[data-testid=member-leave]").Count.ShouldBe(mayChange ? 3 : 0);

        var contacts = Render<ExternalContactsPage>();
        contacts.WaitForAssertion(() => contacts.Markup.ShouldContain("External contacts"));
        contacts.FindAll("[data-testid=contact-new]").Count.ShouldBe(mayChange ? 1 : 0);

        var reviews = Render<RecertificationPage>();
        reviews.WaitForAssertion(() => reviews.Markup.ShouldContain("No reviews yet"));
        reviews.FindAll("[data-testid=campaign-start]").Count.ShouldBe(mayChange ? 1 : 0);
    }
}
