using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ComplianceHub.Tests.Web.EndToEnd;

/// <summary>The compliance officer's main loop on the demo archive: search, open the hit in its chat, open a file, see it all in the audit trail.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ArchiveSearchTests(BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Search_OpenTheHitInItsConversation_OpenAnAttachment_AndFindTheAccessInTheAuditTrail()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync("officer@example.com", DemoAccounts.Password);
        await page.Locator("[data-nav=archive-search]").ClickAsync();

        // A German word from the zipped demo chat, typed without its capital.
        var box = page.Locator("[data-testid=search-text]");
        await box.FillAsync("kontrakte");
        await box.PressAsync("Enter");
        var hit = page.Locator("[data-testid=search-hit]");
        await hit.First.WaitForAsync();
        (await hit.CountAsync()).ShouldBe(1);
        (await hit.Locator("mark").InnerTextAsync()).ShouldBe("Kontrakte");
        // The count follows the hits.
        await page.Locator("[data-testid=search-count]", new PageLocatorOptions { HasTextString = "1 message(s) match" }).WaitForAsync();
        await page.ScreenshotAsync(browser, "archive-search");

        // An unusable query says what is wrong.
        await box.FillAsync("kontrakte AND");
        await box.PressAsync("Enter");
        (await page.Locator("[data-testid=search-error]").InnerTextAsync()).ShouldContain("needs a word on both sides");
        await box.FillAsync("kontrakte");
        await box.PressAsync("Enter");
        await hit.First.WaitForAsync();

        // Saved under a name, the search comes back with one click.
        await page.Locator("[data-testid=save-name]").FillAsync("Kontrakte watch");
        await page.Locator("[data-testid=save-search]").ClickAsync();
        var savedChip = page.Locator("[data-testid=saved-search]", new PageLocatorOptions { HasTextString = "Kontrakte watch" });
        await savedChip.WaitForAsync();
        await page.Locator("[data-testid=search-clear]").ClickAsync();
        await hit.First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await savedChip.ClickAsync();
        await hit.First.WaitForAsync();
        (await box.InputValueAsync()).ShouldBe("kontrakte");

        // The hit opens in its conversation, marked, with the day, the photo inline and the provenance panel.
        var messageId = await hit.GetAttributeAsync("data-message-id");
        await hit.Locator("[data-testid=hit-conversation]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/archive/conversations/", StringComparison.Ordinal));
        var anchor = page.Locator($"[data-testid=message][data-message-id='{messageId}']");
        await anchor.WaitForAsync();
        (await anchor.GetAttributeAsync("class"))!.ShouldContain("ch-anchor");
        (await page.Locator("[data-testid=message-detail]").InnerTextAsync()).ShouldContain("Export import");
        (await page.Locator("[data-testid=day-separator]").First.InnerTextAsync()).ShouldContain("2026");
        var thumbnail = page.Locator("img.ch-thumb");
        await thumbnail.WaitForAsync();
        (await thumbnail.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0")).ShouldBeTrue();
        await page.ScreenshotAsync(browser, "conversation");

        // The photo as a download, as the link offers it.
        var link = await page.Locator("[data-testid=attachment-link]").First.GetAttributeAsync("href");
        var status = await page.EvaluateAsync<int>($"fetch('{link}').then(r => r.status)");
        status.ShouldBe(200);

        // Who looked at this conversation: the audit trail answers from the conversation's own link.
        await page.Locator("[data-testid=who-opened]").ClickAsync();
        await page.Locator("[data-testid=filter-subject]").WaitForAsync();
        var rows = page.Locator("[data-testid=audit-table] tbody tr", new PageLocatorOptions { HasTextString = "Conversation opened" });
        await rows.First.WaitForAsync();
        (await rows.First.InnerTextAsync()).ShouldContain("officer@example.com");
        await page.Context.CloseAsync();

        await using var db = await browser.App.CreateDbContextAsync();
        var officerEvents = await db.AuditEvents.Where(e => e.ActorName == "officer@example.com").Select(e => e.Type).ToListAsync(Ct);
        officerEvents.ShouldContain(AuditEventType.ArchiveSearched);
        officerEvents.ShouldContain(AuditEventType.ConversationOpened);
        officerEvents.ShouldContain(AuditEventType.AttachmentOpened);
    }

    [Fact]
    public async Task AnEmployee_CannotSearchTheArchive()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync("employee@example.com", DemoAccounts.Password);
        (await page.Locator("[data-nav=archive-search]").CountAsync()).ShouldBe(0);
        await page.GotoAsync(browser.App.BaseUrl + "/archive/search");
        await page.Locator("[data-testid=access-denied]").WaitForAsync();
        (await page.Locator("[data-testid=search-text]").CountAsync()).ShouldBe(0);

        // Nor open an archived file by its address.
        var landing = await page.EvaluateAsync<string>("fetch('archive/attachments/1').then(r => r.url)");
        landing.ShouldContain("/Account/AccessDenied?ReturnUrl=%2Farchive%2Fattachments%2F1");
        await page.Context.CloseAsync();
    }
}
