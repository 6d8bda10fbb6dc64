using System.Reflection;
using Bunit;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Training;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Components.Pages.Training;
using ComplianceHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using TestContext = Xunit.TestContext;

namespace ComplianceHub.Tests.Web.Components;

/// <summary>Who may open the training screens, and who sees the controls that write courses and assign them.</summary>
public sealed class TrainingAccessTests : ComponentTestContext
{
    private static readonly Type[] Pages = typeof(TrainingPage).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(TrainingPage).Namespace && t.GetCustomAttributes<RouteAttribute>().Any())
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    [Theory]
    [InlineData(Roles.Administrator, true, false)]
    [InlineData(Roles.ComplianceOfficer, true, true)]
    [InlineData(Roles.HrManager, true, true)]
    [InlineData(Roles.Auditor, false, false)]
    [InlineData(Roles.Employee, false, false)]
    public async Task EachRole_OpensTheTrainingScreens_AndWritesCourses_OnlyAsAllowed(string role, bool mayView, bool mayWrite)
    {
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, TestContext.Current.CancellationToken);
        SignInAs($"{role.ToLowerInvariant()}@example.com", role);
        var user = (await Services.GetRequiredService<AuthenticationStateProvider>().GetAuthenticationStateAsync()).User;
        var authorization = Services.GetRequiredService<IAuthorizationService>();

        Pages.Select(p => (p.Name, p.GetCustomAttribute<AuthorizeAttribute>()!.Policy)).ShouldBe(
        [
            ("TrainingCoursePage", AuthorizationPolicyNames.TrainingRead),
            ("TrainingPage", AuthorizationPolicyNames.TrainingRead),
            ("VerifyCertificatePage", AuthorizationPolicyNames.SignedIn), // anyone signed in checks a certificate
        ]);
        (await authorization.AuthorizeAsync(user, AuthorizationPolicyNames.TrainingRead)).Succeeded.ShouldBe(mayView);
        (await authorization.AuthorizeAsync(user, AuthorizationPolicyNames.TrainingManage)).Succeeded.ShouldBe(mayWrite);
        if (!mayView)
        {
            return;
        }

        var list = RenderWithProviders<TrainingPage>();
        list.WaitForAssertion(() => list.Find("[data-testid=courses-table]").TextContent.ShouldContain(DemoCourse.Draft.Title));
        list.Find("[data-testid=course-completed]").TextContent.ShouldContain("20 % (1 of 5)");
        list.FindAll("[data-testid=course-new]").Count.ShouldBe(mayWrite ? 1 : 0);

        var courseId = (await Host.Get<TrainingService>().ListCoursesAsync(TestContext.Current.CancellationToken)).Single().Id;
        var course = Render<TrainingCoursePage>(p => p.Add(x => x.CourseId, courseId));
        course.WaitForAssertion(() => course.Find("[data-testid=course-title]"));
        course.FindAll("[data-testid=course-save]").Count.ShouldBe(mayWrite ? 1 : 0);
        course.FindAll("[data-testid=course-retire]").Count.ShouldBe(mayWrite ? 1 : 0);
        course.Find("input[data-testid=course-title]").HasAttribute("readonly").ShouldBe(!mayWrite);
    }
}
