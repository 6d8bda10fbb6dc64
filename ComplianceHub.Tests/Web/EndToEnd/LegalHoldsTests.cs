using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ComplianceHub.Tests.Web.EndToEnd;

/// <summary>A legal hold placed from an archive search, found again with the "on legal hold" filter, and released; an auditor only reads.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LegalHoldsTests(BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AHoldPlacedFromASearch_IsFoundWithTheFilter_AndReleasedWithAReason()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync("officer@example.com", DemoAccounts.Password);
        await page.Locator("[data-nav=archive-search]").ClickAsync();
        var box = page.Locator("[data-testid=search-text]");
        await box.FillAsync("Northbridge");
        await box.PressAsync("Enter");
        await page.Locator("[data-testid=search-hit]").First.WaitForAsync();

        await page.Locator("[data-testid=search-place-hold]").ClickAsync();
        (await page.Locator("[data-testid=hold-from-search]").InnerTextAsync()).ShouldContain("every conversation in which this search finds a message");
        await page.Locator("[data-testid=hold-name]").FillAsync("E2E Northbridge Pension v. Example Bank");
        await page.Locator("[data-testid=hold-matter]").FillAsync("LIT-E2E-1");
        await page.Locator("[data-testid=hold-description]").FillAsync("All desk chats about the Northbridge gilt orders.");
        await page.Locator("[data-testid=hold-place]").ClickAsync();
        await page.Locator(".mud-snackbar", new PageLocatorOptions { HasTextString = "Legal hold \"E2E Northbridge Pension v. Example Bank\" placed." }).WaitForAsync();

        // The filter finds what the hold preserves: the whole Rates Desk chat, not only the hits.
        await box.FillAsync("");
        await page.ChooseAsync(page.Locator("[data-testid=search-hold]"), "On legal hold");
        await page.Locator("[data-testid=search-run]").ClickAsync();
        var count = page.Locator("[data-testid=search-count]", new PageLocatorOptions { HasTextString = "message(s) match" });
        await count.WaitForAsync();
        (await page.Locator("[data-testid=hit-conversation]").AllInnerTextsAsync()).Distinct().ShouldBe(["Rates Desk"]);
        await page.Locator("[data-testid=hit-conversation]").First.ClickAsync();
        (await page.Locator("[data-testid=conversation-holds]").InnerTextAsync()).ShouldContain("On legal hold: E2E Northbridge Pension v. Example Bank.");

        await page.Locator("[data-nav=legal-holds]").ClickAsync();
        var hold = page.Locator("[data-testid=hold]", new PageLocatorOptions { HasTextString = "E2E Northbridge Pension v. Example Bank" });
        await hold.WaitForAsync();
        (await hold.Locator("[data-testid=hold-scope]").InnerTextAsync()).ShouldContain("Conversations: Rates Desk.");
        (await hold.InnerTextAsync()).ShouldContain("LIT-E2E-1");
        await page.ScreenshotAsync(browser, "legal-holds");
        await hold.Locator("[data-testid=release-start]").ClickAsync();
        await hold.Locator("[data-testid=release-reason]").FillAsync("Matter settled; counsel's release of 2026-11-20.");
        await hold.Locator("[data-testid=release-save]").ClickAsync();
        (await hold.Locator("[data-testid=hold-release]").InnerTextAsync()).ShouldContain("Released by officer@example.com");
        await page.Context.CloseAsync();

        await using var db = await browser.App.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.LegalHoldPlaced && e.Details!.Contains("LIT-E2E-1") && e.ActorName == "officer@example.com", Ct)).ShouldBe(1);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.LegalHoldReleased && e.Details!.Contains("Matter settled"), Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task AnAuditor_ReadsTheHolds_ButCannotPlaceOrReleaseThem()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync("auditor@example.com", DemoAccounts.Password);
        await page.Locator("[data-nav=legal-holds]").ClickAsync();
        await page.Locator("h1, .mud-typography-h4", new PageLocatorOptions { HasTextString = "Legal holds" }).First.WaitForAsync();
        await page.WaitForInteractiveAsync();
        (await page.Locator("[data-testid=hold-new]").CountAsync()).ShouldBe(0);
        (await page.Locator("[data-testid=release-start]").CountAsync()).ShouldBe(0);
        await page.Locator("[data-nav=archive-search]").ClickAsync();
        await page.Locator("[data-testid=search-text]").WaitForAsync();
        (await page.Locator("[data-testid=search-place-hold]").CountAsync()).ShouldBe(0);
        await page.Context.CloseAsync();
    }
}
