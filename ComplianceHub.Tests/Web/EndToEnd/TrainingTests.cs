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
