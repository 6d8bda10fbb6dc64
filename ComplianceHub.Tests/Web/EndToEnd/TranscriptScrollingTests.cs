using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ComplianceHub.Tests.Web.EndToEnd;

/// <summary>A long chat opened in the middle scrolls to both ends by itself, keeping only a bounded window on the page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TranscriptScrollingTests(BrowserFixture browser) : IDisposable
{
    private readonly ExportFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task ALongChat_OpenedInTheMiddle_LoadsEarlierAndLaterMessagesAsTheReaderScrolls()
    {
        var start = new DateTime(2025, 5, 5, 8, 0, 0);
        var text = new StringBuilder();
        for (var i = 0; i < 1_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{start.AddMinutes(i):dd/MM/yyyy, HH:mm} - {(i % 3 == 0 ? "Ines Duarte" : "Omar Haddad")}: scroll check {i}\n");
        }

        var import = await browser.App.Services.GetRequiredService<ExportImportService>().ImportAsync(
            _files.Text("WhatsApp Chat with Long Desk.txt", text.ToString()), "WhatsApp Chat with Long Desk.txt", new ImportOptions("UTC"),
            AuditActor.System, ct: TestContext.Current.CancellationToken);
        await using var db = await browser.App.CreateDbContextAsync();
        var middle = await db.ChatMessages.SingleAsync(m => m.ConversationId == import.ConversationId && m.Body == "scroll check 500", TestContext.Current.CancellationToken);

        var page = await browser.NewPageAsync();
        await page.SignInAsync("officer@example.com", DemoAccounts.Password);
        await page.GotoAsync($"{browser.App.BaseUrl}/archive/conversations/{import.ConversationId}?message={middle.Id}");
        var messages = page.Locator("[data-testid=message]");
        await page.Locator($"[data-testid=message][data-message-id='{middle.Id}']").WaitForAsync();

        await ScrollUntilAsync(page, "0, 0", "scroll check 0");
        (await messages.CountAsync()).ShouldBeLessThanOrEqualTo(400);
        (await page.Locator("[data-testid=load-older]").CountAsync()).ShouldBe(0);

        await ScrollUntilAsync(page, "0, document.body.scrollHeight", "scroll check 999");
        (await messages.CountAsync()).ShouldBeLessThanOrEqualTo(400);
        (await Body(page, "scroll check 0").CountAsync()).ShouldBe(0);
        await page.Context.CloseAsync();
    }

    /// <summary>The message whose body is exactly <paramref name="text"/> ("check 1" is not "check 10").</summary>
    private static ILocator Body(IPage page, string text) =>
        page.Locator("[data-testid=message] .ch-body", new PageLocatorOptions { HasTextRegex = new Regex("^" + Regex.Escape(text) + "$") });

    /// <summary>Scrolls to one end again and again (each page that lands moves the end away) until <paramref name="text"/> is on the page.</summary>
    private static async Task ScrollUntilAsync(IPage page, string scrollTo, string text)
    {
        var target = Body(page, text);
        for (var attempt = 0; attempt < 40 && await target.CountAsync() == 0; attempt++)
        {
            await page.EvaluateAsync($"window.scrollTo({scrollTo})");
            await page.WaitForTimeoutAsync(250);
        }

        await target.First.WaitForAsync();
    }
}
