using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Retention;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task AdministratorTurnsDispositionOn_OfficerRemovesWhatExpired_TheHeldConversationIsKept()
    {
        // Two chats from 2015, past the 7-year default (the demo's are from 2026): one under a legal hold.
        var services = browser.App.Services;
        using var files = new ExportFiles();
        var imports = services.GetRequiredService<ExportImportService>();
        await imports.ImportAsync(files.Text("WhatsApp Chat with Disposal Gone.txt", "[03/02/2015, 09:00:00] Disposal Gone: Old desk chatter marmosetquill\r\n[03/02/2015, 09:05:00] Emma Employee: Noted\r\n"),
            "WhatsApp Chat with Disposal Gone.txt", new ImportOptions("Europe/London", "e2e-disposition@example.com"), AuditActor.System, ct: Ct);
        await imports.ImportAsync(files.Text("WhatsApp Chat with Disposal Held.txt", "[04/02/2015, 10:00:00] Disposal Held: Kept for the inquiry\r\n"),
            "WhatsApp Chat with Disposal Held.txt", new ImportOptions("Europe/London", "e2e-disposition@example.com"), AuditActor.System, ct: Ct);
        long gone, held;
        await using (var db = await browser.App.CreateDbContextAsync())
        {
            gone = await db.Conversations.Where(c => c.Title.Contains("Disposal Gone")).Select(c => c.Id).SingleAsync(Ct);
            held = await db.Conversations.Where(c => c.Title.Contains("Disposal Held")).Select(c => c.Id).SingleAsync(Ct);
        }

        var hold = await services.GetRequiredService<LegalHoldService>().PlaceAsync(new LegalHoldDraft("Disposal inquiry E2E", null, "Keeps the held chat", [held], [], null, null), AuditActor.System, Ct);

        // The administrator turns disposition on, four eyes off (one officer in the demo); audited.
        var admin = await browser.NewPageAsync();
        await admin.SignInAsync("admin@example.com", DemoAccounts.Password);
        await admin.GotoAsync("/retention");
        await admin.WaitForInteractiveAsync();
        await admin.Locator("[data-testid=retention-settings]").WaitForAsync();
        (await admin.Locator("[data-testid=retention-disposition-state]").InnerTextAsync()).ShouldBe("Off");
        (await admin.Locator("[data-testid=retention-dry-run]").CountAsync()).ShouldBe(0);
        await admin.Locator("[data-testid=retention-settings-enabled]").ClickAsync();
        await admin.Locator("[data-testid=retention-settings-four-eyes]").ClickAsync();
        await admin.Locator("[data-testid=retention-settings-save]").ClickAsync();
        await admin.Locator("[data-testid=retention-disposition-state]", new PageLocatorOptions { HasTextString = "On" }).WaitForAsync();
        await admin.Context.CloseAsync();

        try
        {
            // The officer dry-runs, reads what would go and what the hold keeps, then removes it.
            var page = await browser.NewPageAsync();
            await page.SignInAsync("officer@example.com", DemoAccounts.Password);
            await page.GotoAsync("/retention");
            await page.WaitForInteractiveAsync();
            await page.Locator("[data-testid=retention-dry-run]").ClickAsync();
            await page.Locator("[data-testid=retention-plan-summary]").WaitForAsync();
            (await page.Locator("[data-testid=retention-plan-row]", new PageLocatorOptions { HasTextString = "Disposal Gone" }).InnerTextAsync()).ShouldContain("Default: 7 years");
            (await page.Locator("[data-testid=retention-plan-hold]").InnerTextAsync()).ShouldContain("Disposal inquiry E2E");
            var run = page.Locator("[data-testid=retention-run]");
            (await run.InnerTextAsync()).ShouldContain("Remove 2 messages now");
            await page.ScreenshotAsync(browser, "retention-disposition-plan");
            await run.ClickAsync();
            var row = page.Locator("[data-testid=retention-run-row]").First;
            await row.WaitForAsync();
            var cells = await row.Locator("td").AllInnerTextsAsync();
            (cells[3], cells[5], cells[6]).ShouldBe(("completed", "1", "2"));
            await page.ScreenshotAsync(browser, "retention-disposition-done");

            // The removed conversation says what went; the held one is whole.
            await page.GotoAsync($"/archive/conversations/{gone}");
            await page.WaitForInteractiveAsync();
            (await page.Locator("[data-testid=conversation-removed]").InnerTextAsync()).ShouldContain("2 messages were removed by disposition run");
            await page.ScreenshotAsync(browser, "conversation-disposed");
            await page.GotoAsync($"/archive/conversations/{held}");
            await page.Locator("[data-testid=conversation-holds]").WaitForAsync();
            (await page.Locator("[data-testid=conversation-removed]").CountAsync()).ShouldBe(0);
            await page.Context.CloseAsync();

            await using var db = await browser.App.CreateDbContextAsync();
            (await db.ChatMessages.CountAsync(m => m.ConversationId == gone, Ct)).ShouldBe(0);
            (await db.ChatMessages.CountAsync(m => m.ConversationId == held, Ct)).ShouldBe(1);
            (await db.MessageTombstones.CountAsync(t => t.ConversationId == gone, Ct)).ShouldBe(2);
            var completed = await db.AuditEvents.Where(e => e.Type == AuditEventType.DispositionCompleted).OrderByDescending(e => e.Id).FirstAsync(Ct);
            completed.Details.ShouldNotBeNull().ShouldContain("\"removed\":2");
            (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.DispositionSettingsChanged && e.ActorName == "admin@example.com", Ct)).ShouldBe(1);
            (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.DispositionRequested && e.ActorName == "officer@example.com", Ct)).ShouldBe(1);
        }
        finally
        {
            // The portal other tests use goes back to disposition off, and to no hold of this test's.
            await services.GetRequiredService<DispositionService>().ChangeSettingsAsync(false, true, AuditActor.System, Ct);
            await services.GetRequiredService<LegalHoldService>().ReleaseAsync(hold, "End-to-end test over", AuditActor.System, Ct);
        }
    }
}
