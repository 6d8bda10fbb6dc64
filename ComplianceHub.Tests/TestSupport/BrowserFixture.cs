using Microsoft.Playwright;

namespace ComplianceHub.Tests.TestSupport;

/// <summary>
/// One app on Kestrel and one headless Debian chromium, shared by the end-to-end tests of a collection.
/// Each test gets its own browser context (cookies, storage) from <see cref="NewPageAsync"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The app secret end-to-end tests sign webhook deliveries with (test-only, never a real one).</summary>
    public const string WebhookSecret = "e2e-webhook-app-secret";

    public ComplianceHubWebFactory App { get; } = new(settings: new Dictionary<string, string?>
    {
        ["WhatsApp:AppSecret"] = WebhookSecret,
        ["WhatsApp:VerifyToken"] = "e2e-verify-token",
        // Every browser test signs in from loopback; their deliberate failures together must not hold the address up.
        ["SignIn:FreeFailuresPerAddress"] = "1000",
    });

    public string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        App.StartKestrel();
        Directory.CreateDirectory(ScreenshotDirectory);
        if (!File.Exists(ChromiumPath))
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public async Task<IPage> NewPageAsync(string? baseUrl = null)
    {
        if (_browser is null)
        {
            Assert.Fail($"No chromium at {ChromiumPath}: the test script installs Debian's chromium package.");
        }

        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl ?? App.BaseUrl,
            ViewportSize = new ViewportSize { Width = 1360, Height = 900 },
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
