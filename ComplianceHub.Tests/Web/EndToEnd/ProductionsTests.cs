using System.Security.Cryptography;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ComplianceHub.Tests.Web.EndToEnd;

/// <summary>
/// From a legal hold, an officer produces its transcript, watches it run, downloads it, and finds the download in the audit
/// trail; from a conversation's page, a package that verifies.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProductionsTests(BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnOfficer_ProducesAHoldsTranscript_DownloadsIt_AndTheDownloadIsAudited()
    {
        // A hold on the Rates Desk chat only, released at the end: the browser tests share one portal, and others filter by holds.
        var holdName = "E2E production " + Guid.NewGuid().ToString("N")[..6];
        var holds = browser.App.Services.GetRequiredService<LegalHoldService>();
        var officer = new AuditActor(null, "officer@example.com", null);
        long ratesDesk;
        await using (var setup = await browser.App.CreateDbContextAsync())
        {
            ratesDesk = await setup.Conversations.Where(c => c.Title == "Rates Desk").Select(c => c.Id).SingleAsync(Ct);
        }

        var holdId = await holds.PlaceAsync(new LegalHoldDraft(holdName, "PROD-E2E", "Rates desk, everything", [ratesDesk], [], null, null), officer, Ct);

        byte[] pdf;
        try
        {
            var page = await browser.NewPageAsync();
            await page.SignInAsync("officer@example.com", DemoAccounts.Password);
            await page.Locator("[data-nav=legal-holds]").ClickAsync();
            await page.WaitForInteractiveAsync();
            var hold = page.Locator("[data-testid=hold]", new PageLocatorOptions { HasTextString = holdName });
            await hold.Locator("[data-testid=production-new]").ClickAsync();
            await page.Locator("[data-testid=production-bates-prefix]").FillAsync("E2E-");
            await page.Locator("[data-testid=production-zone]").FillAsync("Europe/London");
            await page.Locator("[data-testid=production-start]").ClickAsync();

            // The production shows under the hold (queued, running with its progress, then its file) and completes.
            await hold.Locator("[data-testid=production]").WaitForAsync();
            var done = hold.Locator("[data-testid=production][data-production-status=completed]");
            await done.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
            (await done.InnerTextAsync()).ShouldContain("E2E-000001 to E2E-");
            await page.ScreenshotAsync(browser, "legal-hold-production");

            var link = done.Locator("[data-testid=production-download]");
            var response = await page.APIRequest.GetAsync((await link.GetAttributeAsync("href"))!);
            response.Status.ShouldBe(200);
            pdf = await response.BodyAsync();
            pdf[..5].ShouldBe("%PDF-"u8.ToArray());
            response.Headers["x-content-sha256"].ShouldBe(Convert.ToHexStringLower(SHA256.HashData(pdf)));

            // The download is in the audit trail, under the officer's name.
            await page.Locator("[data-nav=audit]").ClickAsync();
            await page.Locator("[data-testid=audit-table] td", new PageLocatorOptions { HasTextString = "Production downloaded" }).First.WaitForAsync();
            await page.Context.CloseAsync();
        }
        finally
        {
            await holds.ReleaseAsync(holdId, "End-to-end test done.", officer, Ct);
        }

        await using var db = await browser.App.CreateDbContextAsync();
        var downloaded = await db.AuditEvents.Where(e => e.Type == AuditEventType.ProductionDownloaded).ToListAsync(Ct);
        downloaded.ShouldContain(e => e.ActorName == "officer@example.com" && e.Details!.Contains(Convert.ToHexStringLower(SHA256.HashData(pdf))));
    }

    [Fact]
    public async Task AnOfficer_ProducesAConversationsEDiscoveryPackage_FromItsPage_AndItVerifies()
    {
        long conversationId;
        await using (var setup = await browser.App.CreateDbContextAsync())
        {
            conversationId = await setup.Conversations.Where(c => c.Title == "Global Markets").Select(c => c.Id).SingleAsync(Ct);
        }

        var page = await browser.NewPageAsync();
        await page.SignInAsync("officer@example.com", DemoAccounts.Password);
        await page.GotoAsync($"archive/conversations/{conversationId}");
        await page.WaitForInteractiveAsync();
        await page.Locator("[data-testid=conversation-produce]").ClickAsync();
        await page.Locator("[data-testid=production-format-zip]").ClickAsync();
        // The dialog re-renders over the circuit: wait for the package's description, and for the Bates fields to go.
        await page.Locator("[data-testid=production-format-help]", new PageLocatorOptions { HasTextString = "RSMF 2.0" }).WaitForAsync();
        await page.Locator("[data-testid=production-bates-prefix]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await page.Locator("[data-testid=production-start]").ClickAsync();

        var done = page.Locator("[data-testid=production][data-production-status=completed]").First;
        await done.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        (await done.InnerTextAsync()).ShouldContain("E-discovery package asked for by officer@example.com");
        (await done.Locator("[data-testid=production-manifest]").InnerTextAsync()).ShouldStartWith("manifest SHA-256 ");
        await page.ScreenshotAsync(browser, "conversation-package");

        var response = await page.APIRequest.GetAsync((await done.Locator("[data-testid=production-download]").GetAttributeAsync("href"))!);
        response.Status.ShouldBe(200);
        var zip = Path.Combine(Path.GetTempPath(), $"compliancehub-e2e-package-{Guid.NewGuid():N}.zip");
        try
        {
            await File.WriteAllBytesAsync(zip, await response.BodyAsync(), Ct);
            var verified = await browser.App.Services.GetRequiredService<ExportPackageVerifier>().VerifyAsync(zip, Ct);
            verified.Verified.ShouldBeTrue(string.Join("\n", verified.Checks.Where(c => !c.Ok).Select(c => $"{c.Name}: {c.Detail}")));
            verified.Checks.ShouldContain(c => c.Name == $"chain of conversation {conversationId}" && c.Ok);
        }
        finally
        {
            File.Delete(zip);
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AnAuditor_SeesNoProduceButton_AndAnAnonymousDownloadIsRefused()
    {
        var page = await browser.NewPageAsync();
        var anonymous = await page.APIRequest.GetAsync("/productions/1/download", new APIRequestContextOptions { MaxRedirects = 0 });
        anonymous.Status.ShouldBeOneOf(302, 401);

        await page.SignInAsync("auditor@example.com", DemoAccounts.Password);
        await page.Locator("[data-nav=legal-holds]").ClickAsync();
        await page.WaitForInteractiveAsync();
        (await page.Locator("[data-testid=production-new]").CountAsync()).ShouldBe(0);
        await page.Context.CloseAsync();
    }
}
