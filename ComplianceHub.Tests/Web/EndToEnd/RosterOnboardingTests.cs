using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Roster;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ComplianceHub.Tests.Web.EndToEnd;

/// <summary>Onboarding by CSV in the browser: a faulty file is refused with every problem listed, the corrected one is checked, then imported.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RosterOnboardingTests(BrowserFixture browser) : IDisposable
{
    private const string Header = "employee_id,name,email,department,manager_email,phone,authorized_from,authorized_until,status\n";
    private readonly ExportFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task AFaultyCsvIsRefusedRowByRow_ThenTheCorrectedOneIsImported()
    {
        var faulty = _files.Text("onboarding.csv", Header
            + "R100,Rita Ortega,rita.ortega@example.com,Credit,,+34 600 111 222,2025-04-01,,active\n"
            + "R101,Tomás Ruiz,tomas.ruiz@example.com,Credit,rita.ortega@example.com,600 111,2025-04-01,,pending\n");
        var fixedFile = _files.Text("onboarding-fixed.csv", Header
            + "R100,Rita Ortega,rita.ortega@example.com,Credit,,+34 600 111 222,2025-04-01,,active\n"
            + "R101,Tomás Ruiz,tomas.ruiz@example.com,Credit,rita.ortega@example.com,+34 600 111 333,2025-04-01,,suspended\n");

        var page = await browser.NewPageAsync();
        await page.SignInAsync("officer@example.com", DemoAccounts.Password);
        await page.Locator("[data-nav=roster]").ClickAsync();
        await page.Locator("[data-testid=roster-choose]").WaitForAsync();

        await page.Locator("input[type=file]").Last.SetInputFilesAsync(faulty);
        var errors = page.Locator("[data-testid=roster-errors] tbody tr");
        await errors.First.WaitForAsync();
        (await errors.AllInnerTextsAsync()).Select(r => string.Join(' ', r.Split('\t', StringSplitOptions.TrimEntries).Take(2))).ShouldBe(["3 phone", "3 status"]);
        (await page.Locator("[data-testid=roster-errors-summary]").InnerTextAsync()).ShouldContain("Nothing was stored");
        await page.ScreenshotAsync(browser, "roster-csv-errors");

        await page.Locator("input[type=file]").Last.SetInputFilesAsync(fixedFile);
        (await page.Locator("[data-testid=roster-check-ok]").InnerTextAsync()).ShouldContain("2 row(s), 2 people, 2 number(s)");
        await page.Locator("[data-testid=roster-import]").ClickAsync();
        var tomas = page.Locator("[data-testid=roster-table] tr", new PageLocatorOptions { HasTextString = "Tomás Ruiz" });
        await tomas.WaitForAsync();
        var row = await tomas.InnerTextAsync();
        row.ShouldContain("+34600111333");
        row.ShouldContain("Suspended");
        row.ShouldContain("Rita Ortega");
        await page.ScreenshotAsync(browser, "roster");

        // Rita's number is suspended, with the reason: it shows, and its history and the audit trail keep it.
        var rita = page.Locator("[data-testid=roster-table] tr", new PageLocatorOptions { HasTextString = "rita.ortega@example.com" });
        await rita.Locator("[data-testid=change-status]").ClickAsync();
        await rita.Locator("[data-testid=status-reason]").FillAsync("Handset lost on 2025-05-02");
        await rita.Locator("[data-testid=status-save]").ClickAsync();
        await page.Locator(".mud-snackbar", new PageLocatorOptions { HasTextString = "+34600111222 is now suspended." }).WaitForAsync();
        await rita.Locator(".mud-chip", new LocatorLocatorOptions { HasTextString = "Suspended" }).WaitForAsync();
        (await rita.Locator("[data-testid=number-use]").InnerTextAsync()).ShouldBe("Personal device · Export imports");
        await rita.Locator("[data-testid=status-history-toggle]").ClickAsync();
        var history = rita.Locator("[data-testid=status-change]");
        await history.Nth(1).WaitForAsync();
        (await history.AllInnerTextsAsync()).Select(r => r.Split(" UTC · ")[1].Trim()).ShouldBe(
        [
            "Active by officer@example.com",
            "Active → Suspended by officer@example.com: Handset lost on 2025-05-02",
        ]);
        await page.ScreenshotAsync(browser, "roster-history");
        await page.Context.CloseAsync();

        await using var db = await browser.App.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(
            e => e.Type == AuditEventType.RosterImported && e.ActorName == "officer@example.com" && e.Details!.Contains("onboarding-fixed.csv"),
            TestContext.Current.CancellationToken)).ShouldBe(1);
        (await db.AuditEvents.CountAsync(
            e => e.Type == AuditEventType.NumberStatusChanged && e.ActorName == "officer@example.com" && e.Details!.Contains("Handset lost on 2025-05-02"),
            TestContext.Current.CancellationToken)).ShouldBe(1);
    }

    [Fact]
    public async Task ASilentNumberIsFlagged_CountedOnTheDashboard_AndResolvedWithAComment()
    {
        // Authorized long ago and never heard from in the archive.
        var roster = _files.Text("silent.csv", Header + "Q500,Quinn Silent,quinn.silent@example.com,Ops,,+44 7700 900555,2024-01-01,,active\n");
        await using (var file = File.OpenRead(roster))
        {
            (await browser.App.Services.GetRequiredService<RosterImportService>().ImportAsync(file, "silent.csv", false, AuditActor.System, TestContext.Current.CancellationToken))
                .Errors.ShouldBeEmpty();
        }

        var page = await browser.NewPageAsync();
        await page.SignInAsync("officer@example.com", DemoAccounts.Password);
        await page.Locator("[data-nav=roster-alerts]").ClickAsync();
        await page.Locator("[data-testid=scan-now]").ClickAsync();
        var alert = page.Locator("[data-testid=alert]", new PageLocatorOptions { HasTextString = "+447700900555" });
        await alert.WaitForAsync();
        (await alert.InnerTextAsync()).ShouldContain("Quinn Silent's active number has had no captured traffic since it was authorized on 2024-01-01.");

        await page.Locator("[data-nav=dashboard]").ClickAsync();
        var count = page.Locator("[data-testid=card-roster-alerts-value]");
        await count.WaitForAsync();
        int.Parse(await count.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);

        await page.Locator("[data-testid=card-roster-alerts] a").ClickAsync();
        await alert.WaitForAsync();
        await alert.Locator("[data-testid=ack-start]").ClickAsync();
        await alert.Locator("[data-testid=ack-comment]").FillAsync("Quinn moved to a desk phone; number to be revoked.");
        await alert.Locator("[data-testid=ack-save]").ClickAsync();
        await alert.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
        await page.ScreenshotAsync(browser, "roster-alerts");

        await page.Locator("[data-testid=show-acknowledged]").ClickAsync();
        (await alert.Locator("[data-testid=acknowledgement]").InnerTextAsync()).ShouldContain("Acknowledged by officer@example.com");
        await page.Context.CloseAsync();

        await using var db = await browser.App.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.RosterAlertAcknowledged && e.ActorName == "officer@example.com", TestContext.Current.CancellationToken)).ShouldBe(1);
    }

    [Fact]
    public async Task ACampaignIsStarted_AndARemovalRevokesTheNumber()
    {
        var roster = _files.Text("review.csv", Header + "V700,Vera Review,vera.review@example.com,Ops,,+33 6 12 34 56 78,2025-01-01,,active\n");
        await using (var file = File.OpenRead(roster))
        {
            (await browser.App.Services.GetRequiredService<RosterImportService>().ImportAsync(file, "review.csv", false, AuditActor.System, TestContext.Current.CancellationToken))
                .Errors.ShouldBeEmpty();
        }

        var page = await browser.NewPageAsync();
        await page.SignInAsync("officer@example.com", DemoAccounts.Password);
        await page.Locator("[data-nav=roster-reviews]").ClickAsync();
        await page.Locator("[data-testid=campaign-name]").FillAsync("E2E review");
        var due = TimeProvider.System.GetUtcNow().UtcDateTime.Date.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.Locator("[data-testid=campaign-due]").FillAsync(due);
        await page.Locator("[data-testid=campaign-due]").PressAsync("Tab");
        await page.Locator("[data-testid=campaign-start]").ClickAsync();

        var vera = page.Locator("[data-testid=reviews] tr", new PageLocatorOptions { HasTextString = "+33612345678" });
        await vera.WaitForAsync();
        (await vera.InnerTextAsync()).ShouldContain("Compliance");
        await vera.Locator("[data-testid=review-comment]").FillAsync("No longer on the desk");
        await vera.Locator("[data-testid=review-remove]").ClickAsync();
        await vera.Locator("[data-testid=review-outcome]", new LocatorLocatorOptions { HasTextString = "Removed by officer@example.com: No longer on the desk" }).WaitForAsync();
        await page.ScreenshotAsync(browser, "recertification");

        await page.Locator("[data-nav=roster]").ClickAsync();
        var row = page.Locator("[data-testid=roster-table] tr", new PageLocatorOptions { HasTextString = "vera.review@example.com" });
        await row.Locator(".mud-chip", new LocatorLocatorOptions { HasTextString = "Revoked" }).WaitForAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task HumanResources_SeesTheRoster_ButCannotImport()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync("hr@example.com", DemoAccounts.Password);
        await page.Locator("[data-nav=roster]").ClickAsync();
        await page.Locator("[data-testid=roster-export]").WaitForAsync();
        (await page.Locator("[data-testid=roster-choose]").CountAsync()).ShouldBe(0);
        await page.Context.CloseAsync();
    }
}
