using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Identity;
using ComplianceHub.Tests.TestSupport;

namespace ComplianceHub.Tests.Web.EndToEnd;

/// <summary>
/// Every page of the portal, from its own route table, opened in the browser under the Content-Security-Policy it is
/// served with: none may have anything refused (every other browser test holds its pages to the same at each
/// screenshot). Signed out for the sign-in pages, as a compliance officer for everything an officer may see, and as an
/// administrator for the administration pages.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ContentSecurityPolicyTests(BrowserFixture browser)
{
    [Fact]
    public async Task EveryPage_WorksUnderTheStrictPolicy_WithNothingRefused()
    {
        var routes = AppRoutes.Read(browser.App.Services).Where(r => r.IsPage).ToList();
        var visited = 0;

        var anonymous = await browser.NewPageAsync();
        foreach (var route in routes.Where(r => r.Anonymous))
        {
            var response = await anonymous.GotoAsync(route.Path);
            var policy = await response!.HeaderValueAsync("content-security-policy");
            policy.ShouldNotBeNull(route.Path);
            policy.ShouldContain("script-src 'self' 'nonce-");
            policy.ShouldContain("frame-ancestors 'none'");
            policy.ShouldNotContain("'unsafe-eval'");
            visited++;
        }

        browser.PolicyViolations(anonymous).ShouldBeEmpty();
        await anonymous.Context.CloseAsync();

        visited += await VisitAsync("officer@example.com", routes.Where(r => !r.Anonymous && (r.Roles is null || r.Roles.Contains(Roles.ComplianceOfficer))));
        visited += await VisitAsync("admin@example.com", routes.Where(r => r.Roles is { } roles && roles.Contains(Roles.Administrator) && !roles.Contains(Roles.ComplianceOfficer)));
        TestContext.Current.SendDiagnosticMessage($"Content-Security-Policy: {visited} pages opened, no violations");
        visited.ShouldBeGreaterThan(35);
    }

    [Fact]
    public async Task WhatThePolicyRefuses_IsSeen()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync(DemoAccounts.All[1].Email, DemoAccounts.Password);

        // Content from another site, and a script without the page's nonce: both refused, and both noticed.
        await page.EvaluateAsync("""
            () => {
              const img = document.createElement('img'); img.src = 'https://tracker.example/pixel.png'; document.body.appendChild(img);
              document.body.insertAdjacentHTML('beforeend', '<iframe srcdoc="<script>parent.pwned = 1</script>"></iframe>');
              const s = document.createElement('script'); s.textContent = 'window.pwned = 1'; document.body.appendChild(s);
            }
            """);
        var refused = await WaitFor.ValueAsync(() => Task.FromResult(browser.PolicyViolations(page) is { Count: >= 3 } found ? found : null), timeoutSeconds: 5);
        refused.ShouldContain(v => v.Contains("tracker.example", StringComparison.Ordinal));
        (await page.EvaluateAsync<bool>("() => window.pwned === undefined")).ShouldBeTrue();
        await page.Context.CloseAsync();
    }

    private async Task<int> VisitAsync(string email, IEnumerable<AppRoute> routes)
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync(email, DemoAccounts.Password);
        var visited = 0;
        foreach (var route in routes)
        {
            await page.GotoAsync(route.Path);
            if (!route.Path.StartsWith("/Account", StringComparison.Ordinal))
            {
                await page.WaitForInteractiveAsync();
            }

            // MudBlazor's and the portal's scripts run on first render; give them a moment to ask for anything refused.
            await page.WaitForTimeoutAsync(150);
            browser.PolicyViolations(page).ShouldBeEmpty(route.Path);
            visited++;
        }

        await page.Context.CloseAsync();
        return visited;
    }
}
