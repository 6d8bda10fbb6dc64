using System.Net;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Tests.Web.Endpoints;

/// <summary>
/// The portal behind a TLS-terminating proxy, on Kestrel: forwarded headers count only from the configured proxy, and
/// then the sign-in cookie is Secure, HSTS is sent and the audit trail records the client's address.
/// </summary>
public sealed class ReverseProxyTests
{
    private const string Client = "203.0.113.7";

    [Fact]
    public async Task FromTheConfiguredProxy_TheClientsAddressSchemeAndHostAreTheOnesUsed()
    {
        await using var app = new ComplianceHubWebFactory("Production", new Dictionary<string, string?> { ["ReverseProxy:KnownProxies"] = "127.0.0.1, ::1" });
        app.StartKestrel();

        var (page, signIn) = await SignInThroughProxyAsync(app);

        page.Headers.GetValues("Strict-Transport-Security").ShouldHaveSingleItem().ShouldStartWith("max-age=");
        signIn.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith("ComplianceHub.Auth=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        (await LastSignInAddressAsync(app)).ShouldBe(Client);
    }

    [Fact]
    public async Task WithNoProxyConfigured_ForwardedHeadersAreIgnored_SoNoCallerCanClaimAnotherAddress()
    {
        await using var app = new ComplianceHubWebFactory("Production");
        app.StartKestrel();

        var (page, signIn) = await SignInThroughProxyAsync(app);

        page.Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
        signIn.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith("ComplianceHub.Auth=", StringComparison.Ordinal) && !c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        (await LastSignInAddressAsync(app)).ShouldNotBe(Client);
    }

    /// <summary>The sign-in page and form post as a proxy passes them on: X-Forwarded-For/-Proto/-Host set, cookies carried by hand (a Secure one included).</summary>
    private static async Task<(HttpResponseMessage Page, HttpResponseMessage SignIn)> SignInThroughProxyAsync(ComplianceHubWebFactory app)
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", Client);
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        http.DefaultRequestHeaders.Add("X-Forwarded-Host", "archive.example.com");
        var page = await http.GetAsync("/Account/Login", ct);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync(ct);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Login") { Content = new FormUrlEncodedContent(WebSignIn.LoginFields(html, "officer@example.com")) };
        post.Headers.Add("Cookie", string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        var signIn = await http.SendAsync(post, ct);
        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return (page, signIn);
    }

    private static async Task<string?> LastSignInAddressAsync(ComplianceHubWebFactory app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ComplianceHubDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.AuditEvents.Where(e => e.Type == AuditEventType.SignInSucceeded).OrderByDescending(e => e.Id).Select(e => e.IpAddress).FirstAsync(TestContext.Current.CancellationToken);
    }
}
