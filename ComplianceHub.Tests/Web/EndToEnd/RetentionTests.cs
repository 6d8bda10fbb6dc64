using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ComplianceHub.Tests.Web.EndToEnd;

[Collection(BrowserCollection.Name)]
public sealed class RetentionTests(BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Officer_SetsARule_SeesWhichRuleDecides_AndDryRunsADisposition_TheAuditorOnlyReads()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync("officer@example.com", DemoAccounts.Password);
        await page.Locator("[data-nav=retention]").ClickAsync();
        var rules = page.Locator("[data-testid=retention-rule]");
        await rules.First.WaitForAsync();
        (await rules.First.InnerTextAsync()).ShouldContain("7 years");
        (await page.Locator("[data-testid=retention-conversations]").InnerTextAsync()).ShouldContain("Default: 7 years");

        // A period that is not one is refused beside the fields.
        await page.Locator("[data-testid=retention-period]").FillAsync("forever");
        await page.Locator("[data-testid=retention-reason]").FillAsync("End-to-end test");
        await page.Locator("[data-testid=retention-set]").ClickAsync();
        (await page.Locator("[data-testid=dialog-error]").InnerTextAsync()).ShouldContain("'forever' is not a retention period");

        // A one-day default: every demo message older than a day has expired; the dry run says so and removes nothing.
        await page.Locator("[data-testid=retention-period]").FillAsync("1d");
        await page.Locator("[data-testid=retention-set]").ClickAsync();
        await page.Locator("[data-testid=retention-rule]", new PageLocatorOptions { HasTextString = "1 day" }).WaitForAsync();
        await page.Locator("[data-testid=retention-conversations]", new PageLocatorOptions { HasTextString = "Default: 1 day" }).WaitForAsync();
        await page.Locator("[data-testid=retention-dry-run]").ClickAsync();
        var summary = page.Locator("[data-testid=retention-plan-summary]");
        await summary.WaitForAsync();
        (await summary.InnerTextAsync()).ShouldContain("would be removed");
        (await page.Locator("[data-testid=retention-plan-row]").CountAsync()).ShouldBeGreaterThan(0);
        await page.ScreenshotAsync(browser, "retention");

        await using (var db = await browser.App.CreateDbContextAsync())
        {
            (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.DispositionDryRun && e.ActorName == "officer@example.com", Ct)).ShouldBeGreaterThan(0);
            (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.RetentionRuleSet && e.ActorName == "officer@example.com", Ct)).ShouldBeGreaterThan(0);
        }

        // The auditor reads the rules and cannot change them.
        var auditor = await browser.NewPageAsync();
        await auditor.SignInAsync("auditor@example.com", DemoAccounts.Password);
        await auditor.GotoAsync("/retention");
        await auditor.Locator("[data-testid=retention-rule]", new PageLocatorOptions { HasTextString = "1 day" }).WaitForAsync();
        (await auditor.Locator("[data-testid=retention-set]").CountAsync()).ShouldBe(0);
        (await auditor.Locator("[data-testid=retention-dry-run]").CountAsync()).ShouldBe(0);
        await auditor.Context.CloseAsync();

        // Retired, the configured default (7 years) is back.
        await page.Locator("[data-testid=retention-rule]", new PageLocatorOptions { HasTextString = "1 day" }).Locator("[data-testid=retention-retire]").ClickAsync();
        await page.Locator("[data-testid=retention-rule]", new PageLocatorOptions { HasTextString = "7 years" }).WaitForAsync();
        await page.Context.CloseAsync();
    }
}
