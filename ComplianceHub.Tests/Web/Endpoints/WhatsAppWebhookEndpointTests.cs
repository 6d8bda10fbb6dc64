using System.Net;
using System.Text;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Tests.Web.Endpoints;

public sealed class WhatsAppWebhookEndpointTests : IAsyncLifetime
{
    private const string Secret = "webhook-test-secret";
    private const string VerifyToken = "verify-me-please";

    private readonly ComplianceHubWebFactory _app = new(settings: new Dictionary<string, string?>
    {
        ["WhatsApp:AppSecret"] = Secret,
        ["WhatsApp:VerifyToken"] = VerifyToken,
        ["WhatsApp:MaxBodyBytes"] = "65536",
        // An empty inbox: no demo deliveries to count.
        ["ComplianceHub:SeedDemoData"] = "false",
    });

    // Non-ASCII arrives escaped on the wire; the signature covers these exact bytes (whatsapp-formats.md §2.3).
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes(
        """{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"447700900000","phone_number_id":"PN1"},"messages":[{"from":"447700900123","id":"wamid.A1","timestamp":"1767225600","type":"text","text":{"body":"Gr\u00fc\u00dfe"}}]}}]}]}""");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private HttpClient Client() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private static HttpContent Json(byte[] body, string? signature)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (signature is not null)
        {
            content.Headers.TryAddWithoutValidation(WebhookSignatureVerifier.HeaderName, signature);
        }

        return content;
    }

    private async Task<(int Deliveries, List<string> Rejections)> InboxAsync()
    {
        // Refusals are counted in memory and written as a summary every few seconds: written now.
        await _app.Services.GetRequiredService<WebhookRefusals>().FlushAsync(TestContext.Current.CancellationToken);
        await using var db = await _app.CreateDbContextAsync();
        return (await db.WebhookDeliveries.CountAsync(), await db.WebhookRejections.Select(r => r.Reason).ToListAsync());
    }

    [Fact]
    public async Task AFloodOfUnsignedRequests_IsCountedAsOneRowPerReasonAndAddress_ThrottledPastTheLimit_WhileSignedOnesAreTaken()
    {
        await using var app = new ComplianceHubWebFactory(settings: new Dictionary<string, string?>
        {
            ["WhatsApp:AppSecret"] = Secret,
            ["ComplianceHub:SeedDemoData"] = "false",
        });
        app.StartKestrel();
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var ct = TestContext.Current.CancellationToken;

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < WebhookRefusals.ThrottleAfter + 5; i++)
        {
            last = await http.PostAsync("/webhooks/whatsapp", Json(Payload, null), ct);
            statuses.Add(last.StatusCode);
        }

        statuses.Take(WebhookRefusals.ThrottleAfter).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        statuses.Skip(WebhookRefusals.ThrottleAfter).ShouldAllBe(s => s == (HttpStatusCode)429);
        int.Parse(last!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(1, 60);
        (await http.PostAsync("/webhooks/whatsapp", Json(Payload, WebhookSignatureVerifier.Sign(Payload, Secret)), ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await app.Services.GetRequiredService<WebhookRefusals>().FlushAsync(ct);
        await using var db = await app.CreateDbContextAsync();
        var rows = await db.WebhookRejections.ToListAsync(ct);
        rows.Sum(r => r.Count).ShouldBe(WebhookRefusals.ThrottleAfter + 5);
        rows.Count.ShouldBeLessThanOrEqualTo(2); // the capture worker may have written a summary in between
        rows.ShouldAllBe(r => r.Reason == "signature missing" && r.RemoteAddress != null);
        (await app.Services.GetRequiredService<CaptureMonitor>().GetOverviewAsync(ct)).RejectionsLast24Hours.ShouldBe(WebhookRefusals.ThrottleAfter + 5);
    }

    [Fact]
    public async Task Handshake_WithTheConfiguredToken_EchoesTheChallenge()
    {
        var response = await Client().GetAsync($"/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={VerifyToken}&hub.challenge=1158201444", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBe("1158201444");
    }

    [Theory]
    [InlineData("subscribe", "wrong-token")]
    [InlineData("unsubscribe", VerifyToken)]
    [InlineData("subscribe", "")]
    public async Task Handshake_WithAWrongTokenOrMode_IsForbidden(string mode, string token)
    {
        var response = await Client().GetAsync($"/webhooks/whatsapp?hub.mode={mode}&hub.verify_token={token}&hub.challenge=42", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldNotContain("42");
    }

    [Fact]
    public async Task Post_WithAValidSignature_StoresTheRawPayloadAndAnswers200()
    {
        var response = await Client().PostAsync("/webhooks/whatsapp", Json(Payload, WebhookSignatureVerifier.Sign(Payload, Secret)), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var db = await _app.CreateDbContextAsync();
        var delivery = await db.WebhookDeliveries.SingleAsync(TestContext.Current.CancellationToken);
        delivery.Body.ShouldBe(Encoding.UTF8.GetString(Payload));
        delivery.BodySha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Payload)));

        // The background worker archives it, escaped text decoded, without a further request.
        var message = await WaitFor.ValueAsync(async () =>
        {
            await using var read = await _app.CreateDbContextAsync();
            return await read.ChatMessages.SingleOrDefaultAsync(m => m.ExternalId == "wamid.A1", TestContext.Current.CancellationToken);
        });
        message.Body.ShouldBe("Grüße");
        await using var after = await _app.CreateDbContextAsync();
        (await after.WebhookDeliveries.SingleAsync(TestContext.Current.CancellationToken)).Status.ShouldBe(WebhookDeliveryStatus.Processed);
    }

    [Fact]
    public async Task Post_SignedWithAnotherSecret_Is401AndStoresNothing()
    {
        var response = await Client().PostAsync("/webhooks/whatsapp", Json(Payload, WebhookSignatureVerifier.Sign(Payload, "not-the-secret")), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var (deliveries, rejections) = await InboxAsync();
        deliveries.ShouldBe(0);
        rejections.ShouldBe(["signature mismatch"]);
    }

    [Fact]
    public async Task Post_TamperedBody_Is401()
    {
        var signature = WebhookSignatureVerifier.Sign(Payload, Secret);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Payload).Replace("wamid.A1", "wamid.A2", StringComparison.Ordinal));

        var response = await Client().PostAsync("/webhooks/whatsapp", Json(tampered, signature), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await InboxAsync()).Deliveries.ShouldBe(0);
    }

    [Theory]
    [InlineData(null, "signature missing")]
    [InlineData("sha1=0123456789abcdef0123456789abcdef01234567", "signature wrongprefix")]
    public async Task Post_WithoutAUsableSignatureHeader_Is401AndCounted(string? header, string reason)
    {
        var response = await Client().PostAsync("/webhooks/whatsapp", Json(Payload, header), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var (deliveries, rejections) = await InboxAsync();
        deliveries.ShouldBe(0);
        rejections.ShouldBe([reason]);
    }

    [Fact]
    public async Task Post_OverTheSizeLimit_IsRefusedBeforeAnythingIsStored()
    {
        var large = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 70_000) + "\"}");

        var response = await Client().PostAsync("/webhooks/whatsapp", Json(large, WebhookSignatureVerifier.Sign(large, Secret)), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        var (deliveries, rejections) = await InboxAsync();
        deliveries.ShouldBe(0);
        rejections.ShouldBe(["too large"]);
    }
}

/// <summary>A crash after the 200 loses nothing: rows left pending are processed when the portal starts again.</summary>
public sealed class WebhookInboxRecoveryTests
{
    [Fact]
    public async Task DeliveriesLeftPendingByAStoppedProcess_AreArchivedOnRestart()
    {
        var ct = TestContext.Current.CancellationToken;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "compliancehub-tests", "restart-" + Guid.NewGuid().ToString("N"));
        var settings = ComplianceHub.Tests.Core.Archive.WebhookProcessingTests.CaptureSettings();

        // A process that accepted two deliveries and stopped before its worker ran (no hosted services here).
        await using (var first = await TestHost.StartAsync(ComplianceHub.Core.Storage.DatabaseProvider.Sqlite, settings, dataDirectory))
        {
            var inbox = first.Get<WebhookInbox>();
            await inbox.AcceptAsync(Encoding.UTF8.GetBytes(WebhookPayloads.Inbound(WebhookPayloads.Text("wamid.R1", DateTimeOffset.UnixEpoch.AddDays(20000), "before the crash"))), null, ct);
            await inbox.AcceptAsync(Encoding.UTF8.GetBytes(WebhookPayloads.Inbound(WebhookPayloads.Text("wamid.R2", DateTimeOffset.UnixEpoch.AddDays(20000), "also pending"))), null, ct);
            await using var db = await first.CreateDbContextAsync();
            (await db.WebhookDeliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Pending, ct)).ShouldBe(2);
            (await db.ChatMessages.CountAsync(ct)).ShouldBe(0);
        }

        await using var restarted = new ComplianceHubWebFactory(settings: settings, dataDirectory: dataDirectory);
        _ = restarted.Server;

        var archived = await WaitFor.ValueAsync(async () =>
        {
            await using var db = await restarted.CreateDbContextAsync();
            var ids = await db.ChatMessages.Where(m => m.ExternalId != null).Select(m => m.ExternalId!).ToListAsync(ct);
            return ids.Count == 2 ? ids : null;
        });
        archived.ShouldBe(["wamid.R1", "wamid.R2"], ignoreOrder: true);
    }
}

public sealed class UnconfiguredWhatsAppWebhookTests : IAsyncLifetime
{
    private readonly ComplianceHubWebFactory _app = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task WithoutSecrets_TheWebhookAcceptsNothing()
    {
        var client = _app.CreateClient();

        (await client.GetAsync("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=&hub.challenge=1", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.PostAsync("/webhooks/whatsapp", new StringContent("{}"), TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }
}
