using System.Net;
using ComplianceHub.Core.Storage.Encryption;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

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

    [Theory]
    [InlineData("/Account/LoginWith2fa")]
    [InlineData("/Account/LoginWithRecoveryCode")]
    public async Task SecondStepOfSignIn_WithNoSignInWaitingForIt_GoesBackToTheFirstStep(string path)
    {
        var response = await Client().GetAsync(path + "?ReturnUrl=%2Farchive", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        Target(response).ShouldBe("/Account/Login?ReturnUrl=%2Farchive");
    }

    [Theory]
    [InlineData("/Account/Manage/Disable2fa")]
    [InlineData("/Account/Manage/GenerateRecoveryCodes")]
    public async Task TwoFactorPages_ForAnAccountWithoutTwoFactor_SendItToTheTwoFactorPage(string path)
    {
        var client = Client();
        (await WebSignIn.SignInAsync(client, "officer@example.com", "/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        Target(response).ShouldBe("/Account/Manage/TwoFactorAuthentication");
    }

    [Theory]
    [InlineData("https://evil.example/steal")]
    [InlineData("//evil.example/steal")]
    [InlineData("/\\evil.example/steal")]
    [InlineData("/archive")]
    public async Task SignIn_WithAReturnUrl_LandsOnThisSiteOnly(string returnUrl)
    {
        var response = await WebSignIn.SignInAsync(Client(), "officer@example.com", returnUrl);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!;
        (location.IsAbsoluteUri ? location.Host : "localhost").ShouldBe("localhost");
        Target(response).ShouldBe(returnUrl == "/archive" ? "/archive" : "/");
    }

    /// <summary>Where a redirect goes, as a path and query on this site.</summary>
    private static string Target(HttpResponseMessage response) => new Uri(new Uri("http://localhost/"), response.Headers.Location!).PathAndQuery;

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task EverythingThePortalWrites_IsItsOwnersAlone()
    {
        // Started and seeded: the database and its WAL, demo imports' blobs, the data-protection keys, checkpoints.
        (await Client().GetAsync("/Account/Login", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var roots = new[] { _app.DataDirectory, _app.DataDirectory + "-checkpoints", _app.DataDirectory + "-keys" }.Where(Directory.Exists).ToList();
        var entries = roots.Concat(roots.SelectMany(r => Directory.EnumerateFileSystemEntries(r, "*", SearchOption.AllDirectories))).ToList();

        entries.Count.ShouldBeGreaterThan(10);
        entries.ShouldContain(e => e.EndsWith(".db", StringComparison.Ordinal));
        entries.ShouldContain(e => e.Contains("/blobs/", StringComparison.Ordinal));
        entries.ShouldContain(e => e.Contains("/keys/", StringComparison.Ordinal));
        var open = entries.Where(e => (File.GetUnixFileMode(e) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) != 0).Select(e => $"{e} {File.GetUnixFileMode(e)}").ToList();
        open.ShouldBeEmpty();
        entries.ShouldContain(e => e.EndsWith("-keys/archive.keys", StringComparison.Ordinal));
        TestContext.Current.SendDiagnosticMessage($"Permissions: {entries.Count} files and folders checked, all owner-only");
    }

    [Fact]
    public async Task TheDataProtectionKeys_AreSealedUnderTheArchiveKey_AndOpenOnlyWithIt()
    {
        (await WebSignIn.SignInAsync(Client(), "officer@example.com")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var ring = Path.Combine(_app.DataDirectory, "keys");
        var files = Directory.GetFiles(ring, "*.xml");
        files.ShouldNotBeEmpty();
        foreach (var file in files)
        {
            var xml = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            xml.ShouldContain("<sealedKey");
            xml.ShouldNotContain("<masterKey");
        }

        var token = _app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("a session");

        // Another process over the same ring (a restart, a second node) reads it with the archive key, and not without.
        string Unprotect(ArchiveKeys keys)
        {
            var services = new ServiceCollection();
            services.AddSingleton(keys);
            services.AddDataProtection().SetApplicationName("ComplianceHub").PersistKeysToFileSystem(new DirectoryInfo(ring)).ProtectKeysWithArchiveKey();
            using var provider = services.BuildServiceProvider();
            return provider.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(token);
        }

        Unprotect(_app.Services.GetRequiredService<ArchiveKeys>()).ShouldBe("a session");
        var otherKeys = Path.Combine(Path.GetTempPath(), "compliancehub-tests", "other-" + Guid.NewGuid().ToString("N"), "archive.keys");
        try
        {
            Should.Throw<System.Security.Cryptography.CryptographicException>(() => Unprotect(ArchiveKeys.LoadOrCreate(otherKeys)));
        }
        finally
        {
            TestHost.TryDeleteDirectory(Path.GetDirectoryName(otherKeys)!);
        }
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
