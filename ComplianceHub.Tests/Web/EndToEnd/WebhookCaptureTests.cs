using System.Net;
using System.Text;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Demo;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ComplianceHub.Tests.Web.EndToEnd;

[Collection(BrowserCollection.Name)]
public sealed class WebhookCaptureTests(BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpStatusCode> PostAsync(string body, bool signed = true)
    {
        using var http = new HttpClient { BaseAddress = new Uri(browser.App.BaseUrl) };
        var bytes = Encoding.UTF8.GetBytes(body);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (signed)
        {
            content.Headers.TryAddWithoutValidation(WebhookSignatureVerifier.HeaderName, WebhookSignatureVerifier.Sign(bytes, BrowserFixture.WebhookSecret));
        }

        using var response = await http.PostAsync("/webhooks/whatsapp", content, Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task ALiveMessageReachesTheArchive_AndTheAdministratorSeesAndRetriesAFailedPayload()
    {
        var now = TimeProvider.System.GetUtcNow();
        var live = WebhookPayloads.InboundFrom("Marta Ruiz", "34600111222",
            WebhookPayloads.Message("wamid.E2E.1", now.AddMinutes(-1), "text", new System.Text.Json.Nodes.JsonObject { ["body"] = "Please call me about the bond allocation" }, from: "34600111222"));
        var broken = WebhookPayloads.Inbound(WebhookPayloads.Text("wamid.E2E.2", now, "x")).Replace("\"type\":\"text\",", "", StringComparison.Ordinal);

        (await PostAsync(live)).ShouldBe(HttpStatusCode.OK);
        (await PostAsync(broken)).ShouldBe(HttpStatusCode.OK);
        (await PostAsync(live, signed: false)).ShouldBe(HttpStatusCode.Unauthorized);

        // Compliance finds the captured conversation in the archive.
        var officer = await browser.NewPageAsync();
        await officer.SignInAsync("officer@example.com", DemoAccounts.Password);
        await officer.Locator("[data-nav=archive]").ClickAsync();
        await officer.Locator("[data-testid=conversations] tr", new PageLocatorOptions { HasTextString = "Marta Ruiz" }).WaitForAsync();
        await officer.Context.CloseAsync();

        // The administrator sees the number, the failed payload with where it broke, and the refused request.
        var admin = await browser.NewPageAsync();
        await admin.SignInAsync("admin@example.com", DemoAccounts.Password);
        await admin.Locator("[data-nav=admin-capture]").ClickAsync();
        await admin.Locator("[data-testid=numbers-table]", new PageLocatorOptions { HasTextString = "Client desk" }).WaitForAsync();
        var failed = admin.Locator("[data-testid=failed-table] tr", new PageLocatorOptions { HasTextString = "'type' is missing" });
        await failed.WaitForAsync();
        (await failed.InnerTextAsync()).ShouldContain("$.entry[0].changes[0].value.messages[0]");
        (await admin.Locator("[data-testid=rejections-table]").InnerTextAsync()).ShouldContain("signature missing");
        await admin.ScreenshotAsync(browser, "capture-operator");

        await failed.Locator("[data-testid=retry-delivery]").ClickAsync();
        await admin.Locator(".mud-snackbar", new PageLocatorOptions { HasTextString = "queued for processing again" }).WaitForAsync();
        await admin.Context.CloseAsync();

        await using var db = await browser.App.CreateDbContextAsync();
        (await db.ChatMessages.CountAsync(m => m.ExternalId == "wamid.E2E.1", Ct)).ShouldBe(1);
        (await db.AuditEvents.CountAsync(e => e.Type == ComplianceHub.Core.Audit.AuditEventType.WebhookDeliveryRetried && e.ActorName == "admin@example.com", Ct)).ShouldBe(1);
    }
}
