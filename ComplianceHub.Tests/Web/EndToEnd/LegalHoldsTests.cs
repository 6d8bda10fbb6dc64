using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.HoldNotices;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task TheOfficerSendsANotice_TheCustodianAcknowledgesIt_AndTheHoldShowsWhen()
    {
        // A hold naming the demo employee as custodian, over a past year (it keeps none of the demo's messages).
        var holds = browser.App.Services.GetRequiredService<LegalHoldService>();
        var holdId = await holds.PlaceAsync(new LegalHoldDraft("E2E notice hold", "LIT-E2E-2", "Custodian notice end to end", [], ["employee@example.com"],
            new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2002, 1, 1, 0, 0, 0, TimeSpan.Zero)), AuditActor.System, Ct);
        try
        {
            var officer = await browser.NewPageAsync();
            await officer.SignInAsync("officer@example.com", DemoAccounts.Password);
            await officer.GotoAsync("/legal-holds");
            await officer.WaitForInteractiveAsync();
            var hold = officer.Locator("[data-testid=hold]", new PageLocatorOptions { HasTextString = "E2E notice hold" });
            await hold.Locator("[data-testid=hold-notice-none]").WaitForAsync();
            await hold.Locator("[data-testid=hold-notice-start]").ClickAsync();
            (await hold.Locator("[data-testid=hold-notice-text-input]").InputValueAsync()).ShouldContain("LEGAL HOLD NOTICE: E2E notice hold (matter LIT-E2E-2)");
            await hold.Locator("[data-testid=hold-notice-send]").ClickAsync();
            var summary = hold.Locator("[data-testid=hold-notice-summary]");
            await summary.WaitForAsync();
            (await summary.InnerTextAsync()).ShouldContain("0 of 1 acknowledged");
            (await hold.Locator("[data-testid=hold-notice-recipient]").InnerTextAsync()).ShouldContain("not yet");

            // The custodian sees the banner, reads the notice to its end and acknowledges it with their name.
            var employee = await browser.NewPageAsync();
            await employee.SignInAsync("employee@example.com", DemoAccounts.Password);
            var banner = employee.Locator("[data-testid=hold-notice-banner]");
            (await banner.InnerTextAsync()).ShouldContain("E2E notice hold");
            await employee.Locator("[data-nav=my-compliance]").ClickAsync();
            await employee.Locator("[data-testid=my-hold-notice]", new PageLocatorOptions { HasTextString = "E2E notice hold" }).Locator("[data-testid=my-hold-notice-open]").ClickAsync();
            await employee.Locator("[data-testid=hold-notice-read-to-end]").WaitForAsync();
            (await employee.Locator("[data-testid=hold-notice-submit]").IsDisabledAsync()).ShouldBeTrue();
            await employee.Locator("[data-testid=hold-notice-end]").ScrollIntoViewIfNeededAsync();
            await employee.Locator("[data-testid=hold-notice-read-to-end]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
            await employee.Locator("[data-testid=hold-notice-agree]").CheckAsync();
            await employee.Locator("[data-testid=hold-notice-name]").FillAsync("Emma Employee");
            await employee.Locator("[data-testid=hold-notice-submit]").ClickAsync();
            (await employee.Locator("[data-testid=hold-notice-acknowledged]").InnerTextAsync()).ShouldContain("You acknowledged this notice");
            await employee.ScreenshotAsync(browser, "hold-notice-acknowledged");
            await employee.Locator("[data-nav=my-compliance]").ClickAsync();
            await employee.Locator("[data-testid=hold-notice-banner]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
            await employee.Context.CloseAsync();

            // The hold's page shows when.
            await officer.ReloadAsync();
            await officer.WaitForInteractiveAsync();
            (await hold.Locator("[data-testid=hold-notice-summary]").InnerTextAsync()).ShouldContain("1 of 1 acknowledged");
            (await hold.Locator("[data-testid=hold-notice-recipient]").InnerTextAsync()).ShouldNotContain("not yet");
            await hold.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(browser.ScreenshotDirectory, "hold-notice-status.png") });
            await officer.Context.CloseAsync();

            await using var db = await browser.App.CreateDbContextAsync();
            (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.LegalHoldNoticeIssued && e.ActorName == "officer@example.com", Ct)).ShouldBe(1);
            (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.LegalHoldNoticeAcknowledged && e.ActorName == "employee@example.com", Ct)).ShouldBe(1);
        }
        finally
        {
            await holds.ReleaseAsync(holdId, "End-to-end test over", AuditActor.System, Ct);
            // Released, the custodian is told (the notification worker would tell them at its next pass too).
            await browser.App.Services.GetRequiredService<HoldNoticeService>().NotifyReleaseAsync(holdId, Ct);
        }
    }
}
