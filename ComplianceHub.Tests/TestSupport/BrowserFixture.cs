using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

    /// <summary>The verify token of the webhook handshake (test-only).</summary>
    public const string VerifyToken = "e2e-verify-token";

    public BrowserFixture()
    {
        App = new(
            settings: new Dictionary<string, string?>
            {
                ["WhatsApp:AppSecret"] = WebhookSecret,
                ["WhatsApp:VerifyToken"] = VerifyToken,
                // Every browser test signs in from loopback; their deliberate failures together must not hold the address up.
                ["SignIn:FreeFailuresPerAddress"] = "1000",
                // The whole log, as an operator who turns it up would keep it, is captured (the console keeps warnings).
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:ComplianceHub"] = "Debug",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
            },
            services: services => services.AddLogging(logging =>
            {
                logging.AddProvider(Log);
                logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(level => level >= LogLevel.Warning);
            }));
    }

    public ComplianceHubWebFactory App { get; }

    /// <summary>Everything the portal logged during the whole end-to-end run.</summary>
    public CapturedLog Log { get; } = new();

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
        context.Page += (_, page) => WatchPolicy(page);
        var page = await context.NewPageAsync();
        return page;
    }

    /// <summary>
    /// What the browser refused under the portal's Content-Security-Policy on <paramref name="page"/> so far, as it
    /// reported it on the console. <see cref="PageExtensions.ScreenshotAsync"/> holds every page to none.
    /// </summary>
    public IReadOnlyList<string> PolicyViolations(IPage page) => _violations.TryGetValue(page, out var found) ? [.. found] : [];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<IPage, System.Collections.Concurrent.ConcurrentQueue<string>> _violations = new();

    private void WatchPolicy(IPage page)
    {
        var found = _violations.GetOrAdd(page, _ => new());
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                found.Enqueue($"{page.Url}: {message.Text}");
            }
        };
        page.Close += (_, _) => _violations.TryRemove(page, out _);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await App.DisposeAsync();

        // The whole run's log, every test's sign-ins and deliveries in it, holds none of the fixed secrets.
        var leaked = Log.Holding([ComplianceHub.Core.Demo.DemoAccounts.Password, WebhookSecret, VerifyToken]);
        if (leaked.Count > 0)
        {
            throw new InvalidOperationException($"The end-to-end run's log holds secrets ({leaked.Count} entries), first: {leaked[0]}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
