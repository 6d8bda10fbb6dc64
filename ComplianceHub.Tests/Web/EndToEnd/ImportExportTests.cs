using System.Security.Cryptography;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ComplianceHub.Tests.Web.EndToEnd;

[Collection(BrowserCollection.Name)]
public sealed class ImportExportTests(BrowserFixture browser) : IDisposable
{
    private readonly ExportFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Officer_UploadsAnIosZipWithMedia_PreviewsImports_AndFindsTheBatchWithItsOriginal()
    {
        var photo = RandomNumberGenerator.GetBytes(2048);
        var chat = "[14/11/2026, 09:15:02] Nuno Costa: \u200EMessages and calls are end-to-end encrypted.\r\n" +
                   "[14/11/2026, 09:15:40] Nuno Costa: Bom dia! Segue a proposta\r\n" +
                   "[14/11/2026, 09:16:05] Nuno Costa: \u200E<attached: 00000007-PHOTO-2026-11-14-09-16-05.jpg>\r\n" +
                   "[14/11/2026, 09:20:00] Olivia Officer: Thanks Nuno, received\r\n";
        var zip = _files.Zip("WhatsApp Chat - Nuno Costa.zip", "_chat.txt", chat, ("00000007-PHOTO-2026-11-14-09-16-05.jpg", photo));
        var page = await browser.NewPageAsync();
        await page.SignInAsync("officer@example.com", DemoAccounts.Password);

        await page.Locator("[data-nav=archive-import]").ClickAsync();
        await ChooseTimeZoneAsync(page, "Lisbon", "Europe/Lisbon");
        await page.Locator("[data-testid=custodian]").FillAsync("olivia.officer@example.com");
        await page.Locator("[data-testid=choose-files]:enabled").WaitForAsync();
        await page.Locator("input[type=file]").SetInputFilesAsync(zip);

        await page.Locator("[data-testid=import-preview]").WaitForAsync();
        (await page.Locator("[data-testid=preview-format]").InnerTextAsync()).ShouldBe("iOS d/m/y, 24h");
        (await page.Locator("[data-testid=preview-messages]").InnerTextAsync()).ShouldBe("4 (1 system)");
        (await page.Locator("[data-testid=preview-chat]").InnerTextAsync()).ShouldBe("Nuno Costa");
        await page.ScreenshotAsync(browser, "import-preview");

        await page.ClickAsync("[data-testid=import-all]");
        await page.Locator("[data-testid=import-result]").WaitForAsync();
        (await page.Locator("[data-testid=import-result]").InnerTextAsync()).ShouldContain("4 new message(s)");
        await page.Locator("[data-testid=history-chat]", new PageLocatorOptions { HasTextString = "Nuno Costa" }).WaitForAsync();
        await page.ScreenshotAsync(browser, "import-done");

        // The conversation is listed in the archive with its figures.
        await page.Locator("[data-nav=archive]").ClickAsync();
        var row = page.Locator("[data-testid=conversations] tr", new PageLocatorOptions { HasTextString = "Nuno Costa" });
        await row.WaitForAsync();
        (await row.InnerTextAsync()).ShouldContain("olivia.officer@example.com");
        await page.ScreenshotAsync(browser, "archive-conversations");
        await page.GoBackAsync();
        await page.Locator("[data-testid=import-history]").WaitForAsync();

        // The original downloads byte for byte, and the download is audited.
        var href = await page.Locator("tr", new PageLocatorOptions { HasTextString = "Nuno Costa" }).Locator("[data-testid=original-link]").GetAttributeAsync("href");
        var response = await page.APIRequest.GetAsync(href!);
        response.Status.ShouldBe(200);
        (await response.BodyAsync()).ShouldBe(await File.ReadAllBytesAsync(zip, TestContext.Current.CancellationToken));
        await page.Context.CloseAsync();

        await using var db = await browser.App.CreateDbContextAsync();
        var conversation = await db.Conversations.SingleAsync(c => c.Title == "Nuno Costa", TestContext.Current.CancellationToken);
        var attachment = await db.ChatAttachments.SingleAsync(a => a.FileName == "00000007-PHOTO-2026-11-14-09-16-05.jpg", TestContext.Current.CancellationToken);
        attachment.Status.ShouldBe(AttachmentStatus.Stored);
        attachment.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(photo)));
        (await db.ChatMessages.CountAsync(m => m.ConversationId == conversation.Id, TestContext.Current.CancellationToken)).ShouldBe(4);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.ImportOriginalDownloaded && e.ActorName == "officer@example.com", TestContext.Current.CancellationToken)).ShouldBe(1);
    }

    [Fact]
    public async Task Officer_ImportsAnIosGroupInALanguageNoListKnows_AndSeesItsNoticesFlaggedAsUncertain()
    {
        // Greek: the notices are told from the export's structure alone (written as the group's name, which never speaks).
        var chat = "[14/11/2026, 09:00:00] Desk Athens: \u200EΤα μηνύματα και οι κλήσεις είναι κρυπτογραφημένα από άκρο σε άκρο.\r\n" +
                   "[14/11/2026, 09:05:00] Olivia Officer: Καλημέρα σε όλους\r\n" +
                   "[14/11/2026, 09:06:00] Nikos Papas: Καλημέρα, η προσφορά στο 4.12\r\n";
        var zip = _files.Zip("WhatsApp Chat - Desk Athens.zip", "_chat.txt", chat);
        var page = await browser.NewPageAsync();
        await page.SignInAsync("officer@example.com", DemoAccounts.Password);
        await page.Locator("[data-nav=archive-import]").ClickAsync();
        await ChooseTimeZoneAsync(page, "Athens", "Europe/Athens");
        await page.Locator("[data-testid=choose-files]:enabled").WaitForAsync();
        await page.Locator("input[type=file]").SetInputFilesAsync(zip);
        await page.Locator("[data-testid=import-preview]").WaitForAsync();
        await page.ClickAsync("[data-testid=import-all]");
        await page.Locator("[data-testid=import-result]").WaitForAsync();

        await using var db = await browser.App.CreateDbContextAsync();
        var conversation = await db.Conversations.SingleAsync(c => c.Title == "Desk Athens", TestContext.Current.CancellationToken);
        await page.GotoAsync($"{browser.App.BaseUrl}/archive/conversations/{conversation.Id}");
        await page.WaitForInteractiveAsync();
        var flag = page.Locator(".ch-system [data-testid=kind-uncertain]");
        await flag.WaitForAsync();
        (await page.Locator("[data-testid=kind-uncertain]").CountAsync()).ShouldBe(1);
        (await page.Locator("[data-testid=participants]").InnerTextAsync()).ShouldNotContain("Desk Athens");
        await page.Locator(".ch-system").ClickAsync();
        await page.Locator("[data-testid=message-detail]", new PageLocatorOptions { HasTextString = "uncertain: read as a WhatsApp notice" }).WaitForAsync();
        await page.ScreenshotAsync(browser, "conversation-uncertain-notice");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Officer_UploadsAFileThatIsNotAnExport_SeesWhyAndNothingIsImported()
    {
        var notes = _files.Text("meeting notes.txt", "Agenda\n1. Rates\n2. Credit");
        var page = await browser.NewPageAsync();
        await page.SignInAsync("admin@example.com", DemoAccounts.Password);
        await page.GotoAsync("/archive/import");
        await page.WaitForInteractiveAsync();
        await ChooseTimeZoneAsync(page, "Europe/Lon", "Europe/London");

        await page.Locator("[data-testid=choose-files]:enabled").WaitForAsync();
        await page.Locator("input[type=file]").SetInputFilesAsync(notes);

        await page.Locator("[data-testid=import-error]").WaitForAsync();
        (await page.Locator("[data-testid=import-error]").InnerTextAsync()).ShouldContain("line 1: this is not a WhatsApp chat export");
        (await page.Locator("[data-testid=import-all]").IsDisabledAsync()).ShouldBeTrue();
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// Waits until the import page has loaded (its history is shown), then types into the time-zone
    /// box key by key, as a user does, and picks the suggestion.
    /// </summary>
    private static async Task ChooseTimeZoneAsync(IPage page, string typed, string zone)
    {
        await page.Locator("[data-testid=import-history]").WaitForAsync();
        var box = page.Locator("[data-testid=time-zone]");
        await box.ClickAsync();
        await box.PressSequentiallyAsync(typed);
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasTextString = zone }).ClickAsync();
    }
}
