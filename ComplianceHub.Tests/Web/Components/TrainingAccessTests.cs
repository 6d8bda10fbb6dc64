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

    [Fact]
    public async Task Hr_RecordsACompletionTakenElsewhere_AndVoidsItWithAReason_FromTheCoursePage()
    {
        var ct = TestContext.Current.CancellationToken;
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, ct);
        SignInAs("hr@example.com", Roles.HrManager);
        var courseId = (await Host.Get<TrainingService>().ListCoursesAsync(ct)).Single().Id;
        var page = RenderWithProviders<TrainingCoursePage>(p => p.Add(x => x.CourseId, courseId));
        page.WaitForAssertion(() => page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "People"));
        await page.InvokeAsync(() => page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "People").Click());
        page.WaitForAssertion(() => page.FindAll("[data-testid=completion-record]").Count.ShouldBe(4)); // everyone but the officer

        await page.InvokeAsync(() => page.FindAll("[data-testid=completion-record]")[0].Click());
        var record = DialogProvider!.FindComponents<RecordCompletionDialog>().Single();
        await record.Find("textarea[data-testid=record-reason]").InputAsync(new ChangeEventArgs { Value = "Vendor" });
        await record.InvokeAsync(() => record.Find("[data-testid=record-confirm]").Click());
        record.WaitForAssertion(() => record.Find("[data-testid=dialog-error]").TextContent.ShouldBe("Give the day the course was completed."));
        await record.InvokeAsync(() => record.Instance.GetType()
            .GetField("_day", BindingFlags.NonPublic | BindingFlags.Instance)!.SetValue(record.Instance, new DateTime(2026, 2, 20)));
        await record.InvokeAsync(() => record.Find("[data-testid=record-confirm]").Click());
        record.WaitForAssertion(() => record.Find("[data-testid=dialog-error]").TextContent.ShouldContain("10 to 1,000 characters"));
        await record.Find("textarea[data-testid=record-reason]").InputAsync(new ChangeEventArgs { Value = "Vendor's e-learning course, certificate on file." });
        await record.InvokeAsync(() => record.Find("[data-testid=record-confirm]").Click());
        page.WaitForAssertion(() => page.FindAll("[data-testid=completion-record]").Count.ShouldBe(3));

        var history = await Host.Get<TrainingService>().HistoryAsync(
            (await Host.Get<TrainingReport>().PeopleAsync(ct)).First(p => p.State == TrainingState.Completed && p.CompletedAt!.Value.Month == 2).UserId, ct);
        var completion = history.Single().Completion;
        (completion.Method, completion.RecordedBy, completion.Reason).ShouldBe((CompletionMethod.Recorded, "hr@example.com", "Vendor's e-learning course, certificate on file."));

        await page.InvokeAsync(() => Services.GetRequiredService<MudBlazor.IDialogService>().ShowAsync<TrainingHistoryDialog>("History",
            new MudBlazor.DialogParameters<TrainingHistoryDialog> { { d => d.UserId, completion.UserId } }));
        var dialog = DialogProvider!.FindComponents<TrainingHistoryDialog>().Single();
        dialog.WaitForAssertion(() => dialog.Find("[data-testid=completion-void]"));
        await dialog.InvokeAsync(() => dialog.Find("[data-testid=completion-void]").Click());
        await dialog.Find("input[data-testid=void-reason]").InputAsync(new ChangeEventArgs { Value = "Certificate found to be for another course." });
        await dialog.InvokeAsync(() => dialog.Find("[data-testid=void-confirm]").Click());
        dialog.WaitForAssertion(() => dialog.Find("[data-testid=training-history]").TextContent.ShouldContain("void: Certificate found to be for another course."));
        dialog.FindAll("[data-testid=completion-void]").ShouldBeEmpty();
    }

    [Fact]
    public async Task Hr_GrantsAnotherQuizRound_ToSomeoneWhoseAttemptsAreUsedUp_WithAReason()
    {
        var ct = TestContext.Current.CancellationToken;
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, ct);
        var quiz = Host.Get<QuizService>();
        var course = (await Host.Get<TrainingService>().ListCoursesAsync(ct)).Single();
        var employee = (await Host.Get<TrainingReport>().PeopleAsync(ct)).Single(p => p.Email == DemoExports.Custodian);
        var actor = new AuditActor(employee.UserId, employee.Email, null);
        var wrong = course.Questions.ToDictionary(q => q.Id, q => (IReadOnlyCollection<int>)[q.Options.Count - 1 == q.Correct[0] ? 0 : q.Options.Count - 1]);
        for (var i = 0; i < course.MaxAttempts; i++)
        {
            (await quiz.SubmitAsync(course.Id, wrong, actor, ct)).Passed.ShouldBeFalse();
        }

        SignInAs("hr@example.com", Roles.HrManager);
        var page = RenderWithProviders<TrainingCoursePage>(p => p.Add(x => x.CourseId, course.Id));
        page.WaitForAssertion(() => page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "People"));
        await page.InvokeAsync(() => page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "People").Click());
        page.WaitForAssertion(() => page.FindAll("[data-testid=grant-round]").Count.ShouldBe(1)); // only the one whose attempts are used up

        Host.Clock.Advance(TimeSpan.FromMinutes(5));
        await page.InvokeAsync(() => page.Find("[data-testid=grant-round]").Click());
        var grant = DialogProvider!.FindComponents<GrantRoundDialog>().Single();
        await grant.Find("textarea[data-testid=grant-reason]").InputAsync(new ChangeEventArgs { Value = "No" });
        await grant.InvokeAsync(() => grant.Find("[data-testid=grant-confirm]").Click());
        grant.WaitForAssertion(() => grant.Find("[data-testid=dialog-error]").TextContent.ShouldContain("10 to 1,000 characters"));
        await grant.Find("textarea[data-testid=grant-reason]").InputAsync(new ChangeEventArgs { Value = "Went through the policy with her at her desk." });
        await grant.InvokeAsync(() => grant.Find("[data-testid=grant-confirm]").Click());
        page.WaitForAssertion(() => page.FindAll("[data-testid=grant-round]").ShouldBeEmpty());
        (await quiz.AttemptsLeftAsync(course.Id, employee.UserId, ct)).ShouldBe(course.MaxAttempts);
    }
}
