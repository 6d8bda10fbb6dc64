using ComplianceHub.Core.Demo;
using ComplianceHub.Tests.TestSupport;
using Microsoft.Playwright;

namespace ComplianceHub.Tests.Web.EndToEnd;

[Collection(BrowserCollection.Name)]
public sealed class AuditTrailTests(BrowserFixture browser)
{
    [Fact]
    public async Task AuditPage_ShowsSignIns_AndAfterARowIsAlteredInTheDatabase_ReportsTheBrokenRecord()
    {
        // Its own app: this test breaks the chain on purpose.
        await using var app = new ComplianceHubWebFactory();
        app.StartKestrel();
        var page = await browser.NewPageAsync(app.BaseUrl);
        await page.SignInAsync("officer@example.com", DemoAccounts.Password);

        await page.Locator("[data-nav=audit]").ClickAsync();
        await page.Locator("[data-testid=audit-table]").WaitForAsync();
        await page.Locator("[data-testid=audit-table] td", new PageLocatorOptions { HasTextString = "Signed in" }).First.WaitForAsync();
        await page.ClickAsync("[data-testid=verify-chain]");
        await page.Locator("[data-testid=chain-status]", new PageLocatorOptions { HasTextString = "Intact" }).WaitForAsync();
        await page.ScreenshotAsync(browser, "audit-intact");

        await using (var db = await app.CreateDbContextAsync())
        {
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database,
                "DROP TRIGGER AuditEvents_NoUpdate; UPDATE AuditEvents SET ActorName = 'someone-else' WHERE Id = 2;",
                TestContext.Current.CancellationToken);
        }

        await page.ClickAsync("[data-testid=verify-chain]");
        await page.Locator("[data-testid=chain-status]", new PageLocatorOptions { HasTextString = "Broken" }).WaitForAsync();
        (await page.Locator("[data-testid=chain-status]").InnerTextAsync()).ShouldContain("audit event 2");
        await page.ScreenshotAsync(browser, "audit-broken");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AuditPage_FilterByUser_ShowsOnlyThatUsersEvents()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync("auditor@example.com", DemoAccounts.Password);
        await page.GotoAsync("/audit");
        await page.WaitForInteractiveAsync();
        await page.Locator("[data-testid=audit-table]").WaitForAsync();

        await page.Locator("[data-testid=filter-actor]").FillAsync("auditor@example.com");
        await page.ClickAsync("[data-testid=apply-filters]");

        // The table re-renders after the search: wait for the filtered rows, not for the first ones.
        await page.WaitForFunctionAsync("""
            () => {
                const cells = [...document.querySelectorAll('[data-testid=audit-table] td[data-label=User]')];
                return cells.length > 0 && cells.every(td => td.innerText.trim() === 'auditor@example.com');
            }
            """);
        var users = await page.Locator("[data-testid=audit-table] td[data-label=User]").AllInnerTextsAsync();
        users.ShouldNotBeEmpty();
        users.ShouldAllBe(u => u == "auditor@example.com");
        await page.Context.CloseAsync();
    }
}
