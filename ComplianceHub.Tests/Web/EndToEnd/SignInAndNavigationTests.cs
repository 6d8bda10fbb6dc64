using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Identity;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ComplianceHub.Tests.Web.EndToEnd;

/// <summary>Sign-in, role-based navigation, access denial, user creation and lockout, in a real browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInAndNavigationTests(BrowserFixture browser)
{
    public static TheoryData<string, string[]> NavigationByRole => new()
    {
        { Roles.Administrator, ["dashboard", "my-compliance", "archive-search", "archive", "archive-import", "roster", "roster-groups", "roster-contacts", "roster-alerts", "roster-reviews", "policies", "training", "training-verify", "legal-holds", "retention", "admin-users", "admin-capture", "admin-email"] },
        { Roles.ComplianceOfficer, ["dashboard", "my-compliance", "archive-search", "archive", "archive-import", "roster", "roster-groups", "roster-contacts", "roster-alerts", "roster-reviews", "policies", "training", "training-verify", "legal-holds", "retention", "audit"] },
        { Roles.HrManager, ["dashboard", "my-compliance", "roster", "roster-groups", "roster-contacts", "roster-alerts", "roster-reviews", "policies", "training", "training-verify"] },
        { Roles.Employee, ["dashboard", "my-compliance"] },
        { Roles.Auditor, ["dashboard", "my-compliance", "archive-search", "archive", "legal-holds", "retention", "audit"] },
    };

    [Theory]
    [MemberData(nameof(NavigationByRole))]
    public async Task SignIn_EachRole_SeesExactlyItsNavigation(string role, string[] expected)
    {
        var account = DemoAccounts.All.Single(a => a.Role == role);
        var page = await browser.NewPageAsync();

        await page.SignInAsync(account.Email, DemoAccounts.Password);

        (await page.Locator("[data-testid=signed-in-user]").InnerTextAsync()).ShouldContain(account.Email);
        var navigation = await page.Locator("[data-testid=nav-menu] [data-nav]").EvaluateAllAsync<string[]>(
            "els => els.map(e => e.getAttribute('data-nav'))");
        navigation.ShouldBe(expected);
        await page.ScreenshotAsync(browser, $"navigation-{role}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task DirectUrl_EmployeeOpensArchive_GetsAccessDeniedWithoutContent()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync("employee@example.com", DemoAccounts.Password);

        await page.GotoAsync("/archive");

        await page.Locator("[data-testid=access-denied]").WaitForAsync();
        (await page.ContentAsync()).ShouldNotContain("The archive is empty");
        await page.ScreenshotAsync(browser, "access-denied");

        // Navigating inside the running portal is refused the same way.
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        await page.EvaluateAsync("Blazor.navigateTo('/admin/users')");
        await page.Locator("[data-testid=access-denied]").WaitForAsync();
        (await page.Locator("[data-testid=users-table]").CountAsync()).ShouldBe(0);
        await page.Context.CloseAsync();

        // Both attempts are in the audit trail, with the page that was refused.
        await using var db = await browser.App.CreateDbContextAsync();
        var refused = await db.AuditEvents
            .Where(e => e.Type == AuditEventType.AccessDenied && e.ActorName == "employee@example.com")
            .Select(e => e.SubjectId).ToListAsync(TestContext.Current.CancellationToken);
        refused.ShouldContain("/archive");
        refused.ShouldContain("/admin/users");
    }

    [Fact]
    public async Task Anonymous_OpeningAPage_IsSentToSignIn()
    {
        var page = await browser.NewPageAsync();

        await page.GotoAsync("/audit");

        page.Url.ShouldContain("/Account/Login?ReturnUrl=%2Faudit");
        await page.Locator("[data-testid=login-form]").WaitForAsync();
        await page.ScreenshotAsync(browser, "sign-in");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Administrator_CreatesUser_WhoThenSignsIn()
    {
        var email = $"hire{Guid.NewGuid():N}"[..16] + "@example.com";
        const string password = "Fresh-Start-2026!";
        var admin = await browser.NewPageAsync();
        await admin.SignInAsync("admin@example.com", DemoAccounts.Password);

        await admin.Locator("[data-nav=admin-users]").ClickAsync();
        await admin.Locator("[data-testid=users-table]").WaitForAsync();
        await admin.ClickAsync("[data-testid=create-user]");
        await admin.Locator("[data-testid=new-user-name]").FillAsync("Nina New-Hire");
        await admin.Locator("[data-testid=new-user-email]").FillAsync(email);
        await admin.Locator("[data-testid=new-user-password]").FillAsync(password);
        await admin.Locator("[data-role=HrManager]").CheckAsync();
        await admin.ScreenshotAsync(browser, "create-user-dialog");
        await admin.ClickAsync("[data-testid=save-user]");

        await admin.Locator(".mud-snackbar", new PageLocatorOptions { HasTextString = $"Created {email}" }).WaitForAsync();
        await admin.Locator("[data-testid=user-email]", new PageLocatorOptions { HasTextString = email }).WaitForAsync();
        await admin.ScreenshotAsync(browser, "users-after-create");
        await admin.Context.CloseAsync();

        var user = await browser.NewPageAsync();
        await user.SignInAsync(email, password);
        var navigation = await user.Locator("[data-testid=nav-menu] [data-nav]").EvaluateAllAsync<string[]>(
            "els => els.map(e => e.getAttribute('data-nav'))");
        navigation.ShouldBe(["dashboard", "my-compliance", "roster", "roster-groups", "roster-contacts", "roster-alerts", "roster-reviews", "policies", "training", "training-verify"]);
        await user.Context.CloseAsync();

        await using var db = await browser.App.CreateDbContextAsync();
        var created = await db.AuditEvents.Where(e => e.Type == AuditEventType.UserCreated && e.Details!.Contains(email)).SingleAsync(TestContext.Current.CancellationToken);
        created.ActorName.ShouldBe("admin@example.com");
        created.IpAddress.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task SignIn_RepeatedWrongPasswords_AreSlowedDown_NeverLockTheAccount()
    {
        var email = $"slow{Guid.NewGuid():N}"[..16] + "@example.com";
        const string password = "Right-Password-99!";
        await browser.App.Services.GetRequiredService<UserAdministrationService>().CreateUserAsync(
            new CreateUserRequest { Email = email, DisplayName = "Sam Slowdown", Password = password, Roles = [Roles.Employee] },
            AuditActor.System, TestContext.Current.CancellationToken);
        var page = await browser.NewPageAsync();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            (await AnswerAsync(page, email, $"Wrong-Password-{attempt}!")).ShouldContain("not right");
        }

        // From now on each failure asks for a wait (1 s, 2 s, …): the next guess, made at once, is refused unchecked.
        string answer;
        var guess = 6;
        while (!(answer = await AnswerAsync(page, email, $"Wrong-Password-{guess}!")).Contains("Too many failed sign-ins", StringComparison.Ordinal))
        {
            answer.ShouldContain("not right");
            (++guess).ShouldBeLessThan(10, "a guess made straight after a failure should have had to wait");
        }

        answer.ShouldMatch("Wait \\d+ seconds? before trying again");
        await page.ScreenshotAsync(browser, "sign-in-throttled");

        // The owner is kept waiting seconds, not locked out: after the wait, the right password gets in.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await AnswerAsync(page, email, password) is { } reply && reply.Contains("Too many failed sign-ins", StringComparison.Ordinal))
        {
            waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        await page.WaitForInteractiveAsync();
        await page.Context.CloseAsync();

        await browser.App.Services.GetRequiredService<SignInThrottle>().FlushAsync(TestContext.Current.CancellationToken);
        await using var db = await browser.App.CreateDbContextAsync();
        var trail = await db.AuditEvents.Where(e => e.ActorName == email).OrderBy(e => e.Id).Select(e => e.Type).ToListAsync(TestContext.Current.CancellationToken);
        trail.Count(t => t == AuditEventType.SignInFailed).ShouldBe(guess - 1);
        trail.ShouldContain(AuditEventType.SignInThrottled);
        trail.ShouldNotContain(AuditEventType.AccountLockedOut);
        trail.Where(t => t != AuditEventType.SignInThrottled).Last().ShouldBe(AuditEventType.SignInSucceeded);
    }

    /// <summary>Submits the sign-in form; the alert it answers with, or "" when it signed in.</summary>
    private static async Task<string> AnswerAsync(IPage page, string email, string password)
    {
        await page.SignInAsync(email, password, expectSuccess: false);
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        var alert = page.Locator(".alert-danger");
        return page.Url.Contains("/Account/Login", StringComparison.Ordinal) && await alert.CountAsync() > 0 ? await alert.InnerTextAsync() : "";
    }

    [Fact]
    public async Task Employee_ChangesOwnPassword_OnTheAccountPages_AndTheChangeIsAudited()
    {
        var email = $"pw{Guid.NewGuid():N}"[..14] + "@example.com";
        await browser.App.Services.GetRequiredService<UserAdministrationService>().CreateUserAsync(
            new CreateUserRequest { Email = email, DisplayName = "Paula Password", Password = "First-Password-11!", Roles = [Roles.Employee] },
            AuditActor.System, TestContext.Current.CancellationToken);
        var page = await browser.NewPageAsync();
        await page.SignInAsync(email, "First-Password-11!");

        await page.ClickAsync("[data-testid=signed-in-user]");
        await page.GetByText("Account and security").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Password" }).ClickAsync();
        await page.FillAsync("#Input\\.OldPassword", "First-Password-11!");
        await page.FillAsync("#Input\\.NewPassword", "Second-Password-22!");
        await page.FillAsync("#Input\\.ConfirmPassword", "Second-Password-22!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Update password" }).ClickAsync();

        await page.Locator(".alert-success", new PageLocatorOptions { HasTextString = "Your password has been changed" }).WaitForAsync();
        await page.ScreenshotAsync(browser, "change-password");
        await page.Context.CloseAsync();

        var again = await browser.NewPageAsync();
        await again.SignInAsync(email, "Second-Password-22!");
        await again.Context.CloseAsync();
        await using var db = await browser.App.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(e => e.ActorName == email && e.Type == AuditEventType.PasswordChanged, TestContext.Current.CancellationToken)).ShouldBe(1);
    }

    [Fact]
    public async Task Employee_SetsUpAnAuthenticatorApp_FromTheQrPage_ThenSignsInWithItsCode()
    {
        var email = $"tfa{Guid.NewGuid():N}"[..15] + "@example.com";
        const string password = "Two-Factor-Pass-33!";
        await browser.App.Services.GetRequiredService<UserAdministrationService>().CreateUserAsync(
            new CreateUserRequest { Email = email, DisplayName = "Tess Twofactor", Password = password, Roles = [Roles.Employee] },
            AuditActor.System, TestContext.Current.CancellationToken);
        var page = await browser.NewPageAsync();
        await page.SignInAsync(email, password);

        await page.ClickAsync("[data-testid=signed-in-user]");
        await page.GetByText("Account and security").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Two-factor authentication" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Add authenticator app" }).ClickAsync();
        await page.Locator("[data-testid=authenticator-qr] svg").WaitForAsync();
        var key = await page.Locator("[data-testid=authenticator-key]").InnerTextAsync();
        await page.ScreenshotAsync(browser, "two-factor-setup");
        await page.FillAsync("#Input\\.Code", WebForms.Totp(key, TimeProvider.System.GetUtcNow()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        (await page.Locator("code.recovery-code").CountAsync()).ShouldBe(10);
        await page.ScreenshotAsync(browser, "two-factor-recovery-codes");
        await page.Context.CloseAsync();

        var again = await browser.NewPageAsync();
        await again.SignInAsync(email, password, expectSuccess: false);
        await again.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/Account/LoginWith2fa"));
        await again.FillAsync("#Input\\.TwoFactorCode", WebForms.Totp(key, TimeProvider.System.GetUtcNow()));
        await again.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await again.WaitForInteractiveAsync();
        await again.Context.CloseAsync();
    }

    [Fact]
    public async Task ThemeToggle_SwitchesToDark_AndIsRememberedAfterReload()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync("hr@example.com", DemoAccounts.Password);
        var lightBackground = await BackgroundAsync(page);

        await page.ClickAsync("[data-testid=theme-toggle]");
        await page.WaitForFunctionAsync($"() => getComputedStyle(document.body).backgroundColor !== '{lightBackground}'");
        var darkBackground = await BackgroundAsync(page);
        await page.ScreenshotAsync(browser, "dashboard-dark");

        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await page.WaitForFunctionAsync($"() => getComputedStyle(document.body).backgroundColor === '{darkBackground}'");
        darkBackground.ShouldNotBe(lightBackground);
        await page.Context.CloseAsync();
    }

    private static Task<string> BackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
}
