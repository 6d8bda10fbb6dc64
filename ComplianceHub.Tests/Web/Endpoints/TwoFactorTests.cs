using System.Net;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Web.Endpoints;

/// <summary>
/// Two-factor sign-in over HTTP, as a browser and an authenticator app would do it: set up from the account pages for
/// every role, then signing in with a code or a recovery code; and, with <c>SignIn:RequireTwoFactor</c>, administrators
/// and compliance officers who have not set it up can do that and nothing else.
/// </summary>
public sealed partial class TwoFactorTests
{
    [Fact]
    public async Task EveryRole_SetsUpAnAuthenticatorApp_ThenSignsInWithItsCode_OrWithARecoveryCode()
    {
        await using var app = new ComplianceHubWebFactory();
        foreach (var account in DemoAccounts.All)
        {
            using var setup = Client(app);
            (await WebSignIn.SignInAsync(setup, account.Email)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
            var (key, recoveryCodes) = await SetUpAuthenticatorAsync(setup);
            recoveryCodes.Count.ShouldBe(10, account.Email);

            // The password alone no longer signs in: it leads to the code page, and the code does.
            using var withCode = Client(app);
            var password = await WebSignIn.SignInAsync(withCode, account.Email);
            password.Headers.Location!.OriginalString.ShouldContain("Account/LoginWith2fa");
            (await withCode.GetAsync("/", Ct)).StatusCode.ShouldBe(HttpStatusCode.Redirect, "not signed in before the second factor");
            var codePage = await withCode.GetStringAsync(password.Headers.Location, Ct);
            var wrong = await withCode.PostAsync(password.Headers.Location, WebForms.Fill(codePage, "login-with-2fa", ("Input.TwoFactorCode", "000000")), Ct);
            (await wrong.Content.ReadAsStringAsync(Ct)).ShouldContain("Invalid authenticator code");
            var right = await withCode.PostAsync(password.Headers.Location, WebForms.Fill(codePage, "login-with-2fa", ("Input.TwoFactorCode", WebForms.Totp(key, TimeProvider.System.GetUtcNow()))), Ct);
            right.StatusCode.ShouldBe(HttpStatusCode.Redirect, account.Email);
            (await withCode.GetAsync("/", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK, account.Email);

            using var withRecovery = Client(app);
            await WebSignIn.SignInAsync(withRecovery, account.Email);
            var recoveryPage = await withRecovery.GetStringAsync("/Account/LoginWithRecoveryCode", Ct);
            var recovered = await withRecovery.PostAsync("/Account/LoginWithRecoveryCode", WebForms.Fill(recoveryPage, "login-with-recovery-code", ("Input.RecoveryCode", recoveryCodes[0])), Ct);
            recovered.StatusCode.ShouldBe(HttpStatusCode.Redirect, account.Email);
            (await withRecovery.GetAsync("/", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK, account.Email);
        }

        await using var db = await app.CreateDbContextAsync();
        var signIns = await db.AuditEvents.Where(e => e.Type == AuditEventType.SignInSucceeded).Select(e => e.Details!).ToListAsync(Ct);
        signIns.Count(d => d.Contains("\"authenticator\"", StringComparison.Ordinal)).ShouldBe(DemoAccounts.All.Count);
        signIns.Count(d => d.Contains("\"recovery code\"", StringComparison.Ordinal)).ShouldBe(DemoAccounts.All.Count);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.TwoFactorSignInFailed, Ct)).ShouldBe(DemoAccounts.All.Count);
    }

    [Fact]
    public async Task WhenRequired_AnOfficerWithoutTwoFactor_CanOnlySetItUp_AndAnEmployeeIsNotAsked()
    {
        await using var app = new ComplianceHubWebFactory(settings: new Dictionary<string, string?> { ["SignIn:RequireTwoFactor"] = "true" });
        using var officer = Client(app);
        (await WebSignIn.SignInAsync(officer, "officer@example.com")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // Every page and endpoint sends the officer to the set-up page, straight or by way of access denied.
        foreach (var path in new[] { "/", "/archive", "/audit", "/my-compliance" })
        {
            (await FollowAsync(officer, path)).ShouldEndWith("/Account/Manage/EnableAuthenticator?required=true", customMessage: path);
        }

        var setupPage = await officer.GetStringAsync("/Account/Manage/EnableAuthenticator?required=true", Ct);
        setupPage.ShouldContain("Your role requires two-factor sign-in");
        setupPage.ShouldContain("<svg");
        (await FollowAsync(officer, "/Account/Manage/Disable2fa")).ShouldEndWith("/Account/Manage/TwoFactorAuthentication");

        using var employee = Client(app);
        await WebSignIn.SignInAsync(employee, "employee@example.com");
        (await employee.GetAsync("/my-compliance", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Set up, the officer's cookie is renewed and the portal opens.
        await SetUpAuthenticatorAsync(officer);
        (await officer.GetAsync("/archive", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await FollowAsync(officer, "/Account/Manage/Disable2fa")).ShouldEndWith("/Account/Manage/TwoFactorAuthentication", customMessage: "the role may not turn it off");

        await using var db = await app.CreateDbContextAsync();
        var required = await db.AuditEvents.Where(e => e.Type == AuditEventType.TwoFactorSetupRequired).ToListAsync(Ct);
        required.ShouldHaveSingleItem().ActorName.ShouldBe("officer@example.com");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpClient Client(ComplianceHubWebFactory app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Follows redirects by hand (the cookie handler sees each hop); returns where they end.</summary>
    private static async Task<string> FollowAsync(HttpClient client, string path)
    {
        for (var hop = 0; hop < 5; hop++)
        {
            using var answer = await client.GetAsync(path, Ct);
            if (answer.StatusCode != HttpStatusCode.Redirect)
            {
                return path;
            }

            var next = answer.Headers.Location!;
            path = next.IsAbsoluteUri ? next.PathAndQuery : new Uri(new Uri("http://localhost" + path), next).PathAndQuery;
        }

        throw new InvalidOperationException($"Too many redirects, last {path}");
    }

    /// <summary>Reads the key off the set-up page, answers with its current code, and returns the key and the recovery codes shown.</summary>
    private static async Task<(string Key, List<string> RecoveryCodes)> SetUpAuthenticatorAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/Account/Manage/EnableAuthenticator", Ct);
        var key = SharedKey().Match(page).Groups[1].Value;
        key.ShouldNotBeNullOrWhiteSpace();
        var answer = await client.PostAsync("/Account/Manage/EnableAuthenticator",
            WebForms.Fill(page, "send-code", ("Input.Code", WebForms.Totp(key, TimeProvider.System.GetUtcNow()))), Ct);
        var html = await answer.Content.ReadAsStringAsync(Ct);
        html.ShouldContain("Your authenticator app has been verified");
        return (key, RecoveryCode().Matches(html).Select(m => m.Groups[1].Value).ToList());
    }

    [GeneratedRegex("data-testid=\"authenticator-key\">([^<]+)</kbd>")]
    private static partial Regex SharedKey();

    [GeneratedRegex("<code class=\"recovery-code\">([^<]+)</code>")]
    private static partial Regex RecoveryCode();
}
