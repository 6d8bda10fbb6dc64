using System.Net;
using ComplianceHub.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ComplianceHub.Tests.Web.Endpoints;

public sealed class WebHostTests : IAsyncLifetime
{
    private readonly ComplianceHubWebFactory _app = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private HttpClient Client() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [Theory]
    [InlineData("/assets/css/app.css", "text/css")]
    [InlineData("/assets/js/app.js", "text/javascript")]
    [InlineData("/assets/images/logo.svg", "image/svg+xml")]
    public async Task OwnStaticAsset_IsServedAnonymouslyWithABody(string path, string mediaType)
    {
        var response = await Client().GetAsync(path, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(mediaType);
        (await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length.ShouldBeGreaterThan(100);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/audit")]
    [InlineData("/admin/users")]
    [InlineData("/archive/search")]
    [InlineData("/archive/conversations/1")]
    [InlineData("/archive/attachments/1")]
    public async Task Page_Anonymous_RedirectsToSignIn(string path)
    {
        var response = await Client().GetAsync(path, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery.ShouldStartWith("/Account/Login?ReturnUrl=");
    }

    [Fact]
    public async Task LoginPage_IsServedWithSecurityHeaders_AndNoRegistrationLink()
    {
        var response = await Client().GetAsync("/Account/Login", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        html.ShouldContain("Sign in");
        html.ShouldNotContain("Register", Case.Insensitive);
    }

    [Fact]
    public async Task Register_DoesNotExist()
    {
        var response = await Client().GetAsync("/Account/Register", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logout_WithoutSignInOrAntiforgeryToken_DoesNothing()
    {
        var response = await Client().PostAsync("/Account/Logout", new FormUrlEncodedContent([new("returnUrl", "")]), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldNotBe(HttpStatusCode.OK);
        ((int)response.StatusCode).ShouldBeOneOf(302, 400);
    }
}

/// <summary>A production-configured app exposes no diagnostic or management endpoint (TeleMessage lesson).</summary>
public sealed class ProductionHostTests : IAsyncLifetime
{
    private readonly ComplianceHubWebFactory _app = new("Production");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Theory]
    [InlineData("/heapdump")]
    [InlineData("/management/heapdump")]
    [InlineData("/actuator/env")]
    [InlineData("/metrics")]
    [InlineData("/swagger")]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/_blazor/negotiate")]
    [InlineData("/ef/migrations")]
    public async Task DiagnosticPath_IsNotServedToAnonymousCallers(string path)
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        ((int)response.StatusCode).ShouldBeOneOf(302, 401, 404, 405);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            response.Headers.Location!.AbsolutePath.ShouldBe("/Account/Login");
        }
    }

    [Fact]
    public async Task Production_UsesTheFriendlyErrorPage_NotTheDeveloperExceptionPage()
    {
        var client = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var html = await client.GetStringAsync("/Error", TestContext.Current.CancellationToken);

        html.ShouldContain("Something went wrong");
        html.ShouldNotContain("Stack", Case.Sensitive);
        _app.Services.GetType().ShouldNotBeNull();
    }
}
