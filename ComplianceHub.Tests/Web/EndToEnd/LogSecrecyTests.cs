using System.Net;
using System.Text;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Demo;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Web.EndToEnd;

/// <summary>
/// The portal's log, read as someone who got hold of it would: after signing in, failing a sign-in, capturing a live
/// message and searching for it, no password, session cookie, webhook secret, verify token or message body is in it.
/// The fixture reads the whole end-to-end run's log for the fixed secrets again when the run ends.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LogSecrecyTests(BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheLog_HoldsNoPasswordTokenOrMessageBody_AfterSignInCaptureAndSearch()
    {
        var marker = "quokka" + Guid.NewGuid().ToString("N")[..10];
        var wrongPassword = "Wrong-" + Guid.NewGuid().ToString("N");
        var body = $"Confidential allocation for {marker}: 40% to the north fund";
        var entriesBefore = browser.Log.Entries.Count;

        // A failed sign-in with a password nobody else uses.
        var page = await browser.NewPageAsync();
        await page.SignInAsync("officer@example.com", wrongPassword, expectSuccess: false);
        await page.Locator(".alert-danger", new Microsoft.Playwright.PageLocatorOptions { HasTextString = "not right" }).WaitForAsync();

        // A live message, signed as Meta signs it.
        var payload = WebhookPayloads.InboundFrom("Log Reader", "34600999888",
            WebhookPayloads.Text("wamid.LOG." + marker, TimeProvider.System.GetUtcNow().AddMinutes(-1), body));
        var bytes = Encoding.UTF8.GetBytes(payload);
        using (var http = new HttpClient { BaseAddress = new Uri(browser.App.BaseUrl) })
        using (var content = new ByteArrayContent(bytes))
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            content.Headers.TryAddWithoutValidation(WebhookSignatureVerifier.HeaderName, WebhookSignatureVerifier.Sign(bytes, BrowserFixture.WebhookSecret));
            using var response = await http.PostAsync("/webhooks/whatsapp", content, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var handshake = await http.GetAsync($"/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={BrowserFixture.VerifyToken}&hub.challenge={marker}", Ct);
            handshake.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await WaitFor.ValueAsync(async () =>
        {
            await using var db = await browser.App.CreateDbContextAsync();
            return await db.ChatMessages.AnyAsync(m => m.ExternalId == "wamid.LOG." + marker, Ct) ? "stored" : null;
        });

        // Signed in, the officer searches for the message and opens its conversation.
        await page.SignInAsync("officer@example.com", DemoAccounts.Password);
        var cookies = await page.Context.CookiesAsync();
        var session = cookies.Single(c => c.Name == "ComplianceHub.Auth").Value;
        await page.Locator("[data-nav=archive-search]").ClickAsync();
        var box = page.Locator("[data-testid=search-text]");
        await box.FillAsync(marker);
        await box.PressAsync("Enter");
        var hit = page.Locator("[data-testid=search-hit]");
        await hit.First.WaitForAsync();
        await hit.First.ClickAsync();
        await page.Locator("text=40% to the north fund").First.WaitForAsync();
        await page.Context.CloseAsync();

        browser.Log.Entries.Count.ShouldBeGreaterThan(entriesBefore, "the portal logged nothing: the capture is not wired");
        var secrets = new[] { DemoAccounts.Password, wrongPassword, session, session[..24], BrowserFixture.WebhookSecret, BrowserFixture.VerifyToken, marker, "north fund" };
        browser.Log.Holding(secrets).ShouldBeEmpty();
        TestContext.Current.SendDiagnosticMessage($"Log secrecy: {browser.Log.Entries.Count} log entries read, no secret or body in them");
    }
}
