using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ComplianceHub.Tests.Web.EndToEnd;

/// <summary>
/// HR writes a course with a quiz and assigns it to a department; an employee of it fails once, passes, downloads the
/// certificate, and its code checks out; HR's dashboard shows the completion.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TrainingTests(BrowserFixture browser)
{
    private const string Title = "E2E Rates desk quiz";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HrAssignsACourseWithAQuiz_AnEmployeeFailsThenPasses_AndTheCertificateAndDashboardShowIt()
    {
        var hr = await browser.NewPageAsync();
        await hr.SignInAsync("hr@example.com", DemoAccounts.Password);
        var before = await PercentAsync(hr);

        await hr.Locator("[data-nav=training]").ClickAsync();
        await hr.Locator("[data-testid=course-new]").ClickAsync();
        await hr.Locator("[data-testid=course-title]").FillAsync(Title);
        await hr.Locator("[data-testid=course-description]").FillAsync("Two questions on the desk's rules.");
        await hr.Locator("[data-testid=course-pass-mark]").FillAsync("100");
        await hr.Locator("[data-testid=course-save]").ClickAsync();
        await hr.Locator(".mud-tab", new PageLocatorOptions { HasTextString = "Quiz" }).ClickAsync();
        await AddQuestionAsync(hr, 0, "Where do client orders go?", "Any chat\nThe recorded line", "2");
        await AddQuestionAsync(hr, 1, "Report the same day? (all that apply)", "A lost phone\nA new ringtone\nA wrong recipient", "1, 3");
        await hr.Locator("[data-testid=quiz-save]").ClickAsync();
        await hr.Locator(".mud-snackbar", new PageLocatorOptions { HasTextString = "Quiz saved." }).WaitForAsync();
        await hr.Locator(".mud-tab", new PageLocatorOptions { HasTextString = "Assignments" }).ClickAsync();
        await hr.Locator(".mud-radio", new PageLocatorOptions { HasTextString = "Departments" }).ClickAsync();
        await hr.Locator("[data-testid=assign-values]").ClickAsync();
        await hr.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasTextString = "Rates" }).ClickAsync();
        await hr.Keyboard.PressAsync("Escape");
        await hr.Locator("[data-testid=assign-save]").ClickAsync();
        (await hr.Locator("[data-testid=assignment]").InnerTextAsync()).ShouldContain("departments: Rates");

        // The employee of the Rates desk: fails once, then passes.
        var employee = await browser.NewPageAsync();
        await employee.SignInAsync(DemoExports.Custodian, DemoAccounts.Password);
        await employee.Locator("[data-nav=my-compliance]").ClickAsync();
        await employee.Locator("[data-testid=my-course]", new PageLocatorOptions { HasTextString = Title }).Locator("[data-testid=my-course-start]").ClickAsync();
        await employee.Locator("[data-testid=quiz-start]").ClickAsync();
        await AnswerAsync(employee, "Where do client orders go?", "Any chat");
        await AnswerAsync(employee, "Report the same day?", "A lost phone");
        await employee.Locator("[data-testid=quiz-submit]").ClickAsync();
        var result = employee.Locator("[data-testid=quiz-result]");
        (await result.GetAttributeAsync("data-passed")).ShouldBe("false");
        (await result.InnerTextAsync()).ShouldContain("You scored 0 %");
        await employee.Locator("[data-testid=quiz-retry]").ClickAsync();
        await AnswerAsync(employee, "Where do client orders go?", "The recorded line");
        await AnswerAsync(employee, "Report the same day?", "A lost phone");
        await AnswerAsync(employee, "Report the same day?", "A wrong recipient");
        await employee.Locator("[data-testid=quiz-submit]").ClickAsync();
        await employee.Locator("[data-testid=quiz-result][data-passed=true]").WaitForAsync();
        (await result.InnerTextAsync()).ShouldContain("You scored 100 %");
        await employee.ScreenshotAsync(browser, "training-passed");

        var href = await employee.Locator("[data-testid=certificate-download]").GetAttributeAsync("href");
        var response = await employee.APIRequest.GetAsync(href!);
        response.Status.ShouldBe(200);
        var pdf = Path.Combine(Path.GetTempPath(), $"certificate-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(pdf, await response.BodyAsync(), Ct);
        string certificate;
        try
        {
            certificate = await Poppler.TextAsync(pdf);
        }
        finally
        {
            File.Delete(pdf);
        }

        certificate.ShouldContain("Emma Employee");
        certificate.ShouldContain(Title);
        certificate.ShouldContain("100 %");
        var code = System.Text.RegularExpressions.Regex.Match(certificate, "[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}").Value;
        code.ShouldNotBeEmpty();

        // Anyone signed in checks the code.
        await employee.GotoAsync("/training/verify");
        await employee.WaitForInteractiveAsync();
        await employee.Locator("[data-testid=verify-code]").FillAsync(code);
        await employee.Locator("[data-testid=verify-check]").ClickAsync();
        var verdict = employee.Locator("[data-testid=verify-result]");
        (await verdict.GetAttributeAsync("data-valid")).ShouldBe("true");
        (await verdict.InnerTextAsync()).ShouldContain($"Emma Employee (employee@example.com) completed \u201C{Title}\u201D");

        // HR's dashboard shows more of the training completed.
        (await PercentAsync(hr)).ShouldBeGreaterThan(before);
        await employee.Context.CloseAsync();
        await hr.Context.CloseAsync();

        await using var db = await browser.App.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.QuizAttempted && e.ActorName == DemoExports.Custodian && e.Details!.Contains(Title), Ct)).ShouldBe(2);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.TrainingCompleted && e.Details!.Contains(Title), Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task HrUploadsAScormPackage_AndAnEmployeePlaysItToCompletionInThePortal()
    {
        const string course = "E2E SCORM off-channel course";
        var hr = await browser.NewPageAsync();
        await hr.SignInAsync("hr@example.com", DemoAccounts.Password);
        await hr.GotoAsync("/training/courses/new");
        await hr.WaitForInteractiveAsync();
        await hr.Locator("[data-testid=course-title]").FillAsync(course);
        await hr.Locator("[data-testid=course-save]").ClickAsync();
        await hr.Locator(".mud-tab", new PageLocatorOptions { HasTextString = "Material" }).ClickAsync();

        // A handout and the package, uploaded through the course's Material tab.
        await hr.Locator("[data-testid=course-file-upload] input[type=file]").SetInputFilesAsync(
            new FilePayload { Name = "handout.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.7 desk rules"u8.ToArray() });
        await hr.Locator("[data-testid=course-file]", new PageLocatorOptions { HasTextString = "handout.pdf" }).WaitForAsync();
        await hr.Locator("[data-testid=scorm-upload] input[type=file]").SetInputFilesAsync(
            new FilePayload { Name = "offchannel.zip", MimeType = "application/zip", Buffer = ScormPackages.Build() });
        var package = hr.Locator("[data-testid=scorm-package]");
        await package.WaitForAsync();
        (await package.InnerTextAsync()).ShouldContain("content/index.html");
        await hr.ScreenshotAsync(browser, "training-scorm-package");

        await hr.Locator(".mud-tab", new PageLocatorOptions { HasTextString = "Assignments" }).ClickAsync();
        await hr.Locator(".mud-radio", new PageLocatorOptions { HasTextString = "Departments" }).ClickAsync();
        await hr.Locator("[data-testid=assign-values]").ClickAsync();
        await hr.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasTextString = "Rates" }).ClickAsync();
        await hr.Keyboard.PressAsync("Escape");
        await hr.Locator("[data-testid=assign-save]").ClickAsync();
        await hr.Locator("[data-testid=assignment]").WaitForAsync();
        await hr.Context.CloseAsync();

        var employee = await browser.NewPageAsync();
        await employee.SignInAsync(DemoExports.Custodian, DemoAccounts.Password);
        await employee.Locator("[data-nav=my-compliance]").ClickAsync();
        await employee.Locator("[data-testid=my-course]", new PageLocatorOptions { HasTextString = course }).Locator("[data-testid=my-course-start]").ClickAsync();
        var handout = await employee.Locator("[data-testid=course-files] a", new PageLocatorOptions { HasTextString = "handout.pdf" }).GetAttributeAsync("href");
        (await (await employee.APIRequest.GetAsync(handout!)).BodyAsync()).ShouldBe("%PDF-1.7 desk rules"u8.ToArray());

        // First session: the SCO finds the API, reads who is learning, and the runtime answers as SCORM 1.2 says.
        await employee.Locator("[data-testid=scorm-start]").ClickAsync();
        var sco = employee.FrameLocator("#scorm-frame");
        (await sco.Locator("#state", new FrameLocatorLocatorOptions { HasTextString = "Learner:" }).InnerTextAsync())
            .ShouldBe("Learner: Employee, Emma; entry: ab-initio; bookmark: none");
        var frame = await (await employee.Locator("#scorm-frame").ElementHandleAsync())!.ContentFrameAsync();
        (await frame!.EvaluateAsync<string[]>("""
            () => [
              api.LMSGetValue('cmi.core.session_time'), api.LMSGetLastError(),
              api.LMSSetValue('cmi.core.student_name', 'Someone Else'), api.LMSGetLastError(),
              api.LMSSetValue('cmi.core.lesson_status', 'done'), api.LMSGetLastError(),
              api.LMSSetValue('cmi.core._children', 'x'), api.LMSGetLastError(),
              api.LMSGetValue('cmi.core.score._children'), api.LMSGetValue('cmi.student_data.mastery_score'), api.LMSGetValue('cmi.launch_data'),
              api.LMSGetErrorString('403')
            ]
            """)).ShouldBe(["", "404", "false", "403", "false", "405", "false", "402", "raw,min,max", "80", "desk=rates", "Element is read only"]);
        await sco.Locator("#fail").ClickAsync();
        (await employee.Locator("[data-testid=scorm-status]").InnerTextAsync()).ShouldContain("recorded a fail (40 %)");

        // Second session resumes the same attempt (its bookmark kept) and passes: the course is completed with its score.
        await employee.Locator("[data-testid=scorm-start]", new PageLocatorOptions { HasTextString = "Resume" }).ClickAsync();
        (await sco.Locator("#state", new FrameLocatorLocatorOptions { HasTextString = "Learner:" }).InnerTextAsync()).ShouldContain("bookmark: slide-2");
        (await sco.Locator("img").EvaluateAsync<int>("img => img.naturalWidth")).ShouldBe(1); // the package's own assets are served
        await employee.ScreenshotAsync(browser, "training-scorm-player");
        await sco.Locator("#pass").ClickAsync();
        var done = employee.Locator("[data-testid=course-done]");
        await done.WaitForAsync();
        var certificateHref = await done.Locator("a").GetAttributeAsync("href");
        var pdf = Path.Combine(Path.GetTempPath(), $"certificate-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(pdf, await (await employee.APIRequest.GetAsync(certificateHref!)).BodyAsync(), Ct);
        try
        {
            var certificate = await Poppler.TextAsync(pdf);
            certificate.ShouldContain(course);
            certificate.ShouldContain("90 %");
        }
        finally
        {
            File.Delete(pdf);
        }

        // Someone who has not played the package cannot fetch its files.
        var other = await browser.NewPageAsync();
        await other.SignInAsync("auditor@example.com", DemoAccounts.Password);
        await using (var db = await browser.App.CreateDbContextAsync())
        {
            var packageId = await db.ScormPackages.Where(p => p.FileName == "offchannel.zip").OrderByDescending(p => p.Id).Select(p => p.Id).FirstAsync(Ct);
            (await other.APIRequest.GetAsync($"/training/scorm/{packageId}/content/index.html")).Status.ShouldBe(404);
            var own = await employee.APIRequest.GetAsync($"/training/scorm/{packageId}/content/index.html");
            own.Status.ShouldBe(200);
            own.Headers["x-frame-options"].ShouldBe("SAMEORIGIN");
            (await employee.APIRequest.GetAsync($"/training/scorm/{packageId}/..%2Fimsmanifest.xml")).Status.ShouldBe(404);

            var completion = await db.TrainingCompletions.SingleAsync(c => c.CourseTitle == course, Ct);
            (completion.Method, completion.Score, completion.UserEmail).ShouldBe((ComplianceHub.Core.Training.CompletionMethod.Scorm, 90, DemoExports.Custodian));
            (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.ScormSessionRecorded && e.Details!.Contains(course), Ct)).ShouldBe(2);
        }

        await other.Context.CloseAsync();
        await employee.Context.CloseAsync();
    }

    private static async Task AddQuestionAsync(IPage page, int index, string text, string options, string correct)
    {
        await page.Locator("[data-testid=question-add]").ClickAsync();
        var question = page.Locator("[data-testid=quiz-edit-question]").Nth(index);
        await question.Locator("[data-testid=question-text]").FillAsync(text);
        await question.Locator("[data-testid=question-options]").FillAsync(options);
        await question.Locator("[data-testid=question-correct]").FillAsync(correct);
    }

    private static Task AnswerAsync(IPage page, string question, string answer) =>
        page.Locator("[data-testid=quiz-question]", new PageLocatorOptions { HasTextString = question })
            .Locator(".mud-radio, .mud-checkbox", new LocatorLocatorOptions { HasTextString = answer }).ClickAsync();

    private static async Task<double> PercentAsync(IPage page)
    {
        await page.GotoAsync("/");
        var value = page.Locator("[data-testid=card-training-value]");
        await value.WaitForAsync();
        return double.Parse((await value.InnerTextAsync()).Replace("%", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
    }
}
