using Microsoft.Playwright;

namespace ComplianceHub.Tests.TestSupport;

internal static class PageExtensions
{
    /// <summary>Signs in through the real (static) login form and waits for the portal's circuit.</summary>
    public static async Task SignInAsync(this IPage page, string email, string password, bool expectSuccess = true)
    {
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input\\.Email", email);
        await page.FillAsync("#Input\\.Password", password);
        await page.ClickAsync("[data-testid=login-submit]");
        if (expectSuccess)
        {
            await page.WaitForInteractiveAsync();
        }
    }

    /// <summary>Waits for the marker MainLayout renders once the SignalR circuit is live (stack-notes 1).</summary>
    public static Task WaitForInteractiveAsync(this IPage page) =>
        page.Locator("#interactive-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>Opens a MudSelect and picks the option showing exactly <paramref name="option"/>.</summary>
    public static async Task ChooseAsync(this IPage page, ILocator select, string option)
    {
        await select.ClickAsync();
        var exactly = new System.Text.RegularExpressions.Regex("^\\s*" + System.Text.RegularExpressions.Regex.Escape(option) + "\\s*$");
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasTextRegex = exactly }).ClickAsync();
        await page.Locator(".mud-popover-open").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
    }

    /// <summary>Saves a full-page screenshot as <paramref name="name"/>.png, and holds the page to no Content-Security-Policy violations so far.</summary>
    public static async Task ScreenshotAsync(this IPage page, BrowserFixture fixture, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(fixture.ScreenshotDirectory, name + ".png"), FullPage = true });
        fixture.PolicyViolations(page).ShouldBeEmpty($"the browser refused something under the Content-Security-Policy before screenshot {name}");
    }
}
