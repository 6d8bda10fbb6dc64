using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ComplianceHub.Tests.Web.EndToEnd;

/// <summary>
/// The policy flow through the portal: compliance writes a policy for a department and publishes it; an employee of
/// that department sees the banner, reads the policy to its end and signs with their name; the dashboard's figure
/// moves, and the receipt PDF names the employee, the version and the text's hash.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PolicyAcknowledgementTests(BrowserFixture browser)
{
    private const string Title = "E2E Rates desk messaging rules";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APolicyPublishedToADepartment_IsSignedByItsEmployee_AndTheDashboardAndReceiptShowIt()
    {
        var officer = await browser.NewPageAsync();
        await officer.SignInAsync("officer@example.com", DemoAccounts.Password);
        var before = await PercentAsync(officer);

        // Write it: Markdown with a live preview, for the Rates department, due in 10 days.
        await officer.Locator("[data-nav=policies]").ClickAsync();
        await officer.Locator("[data-testid=policy-new]").ClickAsync();
        await officer.Locator("[data-testid=policy-title]").FillAsync(Title);
        var text = string.Join("\n\n", ["# Rates desk rules", "Quote gilt prices **only** in the Rates Desk group.",
            .. Enumerable.Range(1, 40).Select(i => $"{i}. Rule {i}: keep the chat on the desk's business."), "Last line: report lost phones the same day."]);
        await officer.Locator("[data-testid=policy-content]").FillAsync(text);
        await officer.Locator("[data-testid=policy-preview] strong", new PageLocatorOptions { HasTextString = "only" }).WaitForAsync();
        await officer.Locator(".mud-radio", new PageLocatorOptions { HasTextString = "Departments" }).ClickAsync();
        await officer.Locator("[data-testid=policy-audience-values]").ClickAsync();
        await officer.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasTextString = "Rates" }).ClickAsync();
        await officer.Keyboard.PressAsync("Escape");
        await officer.Locator("[data-testid=policy-due-days]").FillAsync("10");
        await officer.ScreenshotAsync(browser, "policy-editor");
        await officer.Locator("[data-testid=policy-publish]").ClickAsync();
        await officer.Locator("[data-testid=publish-confirm]").ClickAsync();

        // Its tracking: the Rates employee is asked, nobody has signed yet.
        var people = officer.Locator("[data-testid=tracking-people]");
        await people.WaitForAsync();
        (await people.InnerTextAsync()).ShouldContain("Emma Employee");
        (await officer.Locator("[data-testid=tracking-signed-value]").InnerTextAsync()).ShouldBe("0");
        var sha = await ShaAsync(officer);

        // The employee sees the banner on every page, opens the policy, reads to its end and signs.
        var employee = await browser.NewPageAsync();
        await employee.SignInAsync(DemoExports.Custodian, DemoAccounts.Password);
        var banner = employee.Locator("[data-testid=policy-banner]");
        (await banner.InnerTextAsync()).ShouldContain(Title);
        await employee.Locator("[data-nav=my-compliance]").ClickAsync();
        await banner.WaitForAsync();
        await employee.Locator("[data-testid=my-policy]", new PageLocatorOptions { HasTextString = Title }).Locator("[data-testid=my-policy-sign]").ClickAsync();
        await employee.Locator("[data-testid=read-to-end]").WaitForAsync();
        (await employee.Locator("[data-testid=sign-submit]").IsDisabledAsync()).ShouldBeTrue();
        (await employee.Locator("[data-testid=sign-agree]").IsDisabledAsync()).ShouldBeTrue(); // not before the end is reached
        await employee.Locator("[data-testid=policy-end]").ScrollIntoViewIfNeededAsync();
        await employee.Locator("[data-testid=read-to-end]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await employee.Locator("[data-testid=sign-agree]").CheckAsync();
        await employee.Locator("[data-testid=sign-name]").FillAsync("Emma Somebody");
        await employee.Locator("[data-testid=sign-submit]").ClickAsync();
        await employee.Locator(".mud-snackbar", new PageLocatorOptions { HasTextString = "does not match your profile" }).WaitForAsync();
        await employee.Locator("[data-testid=sign-name]").FillAsync("emma employee");
        await employee.Locator("[data-testid=sign-submit]").ClickAsync();
        var signed = employee.Locator("[data-testid=signed]");
        await signed.WaitForAsync();
        await employee.ScreenshotAsync(browser, "policy-signed");

        // The receipt: name, policy, version and the text's hash.
        var href = await employee.Locator("[data-testid=receipt-download]").GetAttributeAsync("href");
        var response = await employee.APIRequest.GetAsync(href!);
        response.Status.ShouldBe(200);
        response.Headers["content-type"].ShouldBe("application/pdf");
        var pdf = Path.Combine(Path.GetTempPath(), $"receipt-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(pdf, await response.BodyAsync(), Ct);
        try
        {
            var receipt = await Poppler.TextAsync(pdf);
            receipt.ShouldContain("Emma Employee");
            receipt.ShouldContain(Title);
            receipt.ShouldContain("1 (published"); // the version, beside its label
            receipt.ShouldContain(sha);
            receipt.ShouldContain("Last line: report lost phones the same day.");
        }
        finally
        {
            File.Delete(pdf);
        }

        // The policy no longer appears in the banner once signed; someone else's receipt is not theirs to fetch.
        await employee.Locator("[data-nav=my-compliance]").ClickAsync();
        await employee.Locator("[data-testid=my-policy][data-state=signed]", new PageLocatorOptions { HasTextString = Title }).WaitForAsync();
        if (await banner.CountAsync() > 0)
        {
            (await banner.InnerTextAsync()).ShouldNotContain(Title);
        }

        var auditor = await browser.NewPageAsync();
        await auditor.SignInAsync("auditor@example.com", DemoAccounts.Password);
        (await auditor.APIRequest.GetAsync(href!)).Status.ShouldBe(404);

        // The officer's dashboard shows more of the firm has signed.
        var after = await PercentAsync(officer);
        after.ShouldBeGreaterThan(before);
        await employee.Context.CloseAsync();
        await officer.Context.CloseAsync();
        await auditor.Context.CloseAsync();

        await using var db = await browser.App.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.PolicyPublished && e.Details!.Contains(Title), Ct)).ShouldBe(1);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.PolicyAcknowledged && e.ActorName == DemoExports.Custodian, Ct)).ShouldBe(1);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.PolicyReceiptDownloaded && e.ActorName == DemoExports.Custodian, Ct)).ShouldBe(1);
    }

    private static async Task<double> PercentAsync(IPage page)
    {
        await page.GotoAsync("/");
        var value = page.Locator("[data-testid=card-policies-value]");
        await value.WaitForAsync();
        return double.Parse((await value.InnerTextAsync()).Replace("%", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
    }

    private static async Task<string> ShaAsync(IPage page)
    {
        await page.Locator("[data-testid=policy-tabs] .mud-tab", new PageLocatorOptions { HasTextString = "Versions" }).ClickAsync();
        var sha = await page.Locator("[data-testid=version-sha]").First.InnerTextAsync();
        return sha.Replace("SHA-256", "", StringComparison.Ordinal).Trim();
    }
}
