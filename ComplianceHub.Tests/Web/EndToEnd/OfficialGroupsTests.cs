using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Roster;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ComplianceHub.Tests.Web.EndToEnd;

/// <summary>Official groups in the browser: registering one, onboarding its participants by CSV, flags from the demo group, and a manager's review.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OfficialGroupsTests(BrowserFixture browser) : IDisposable
{
    private const string Header = "group,phone,type,employee_id,name,company,role,relationship_owner_email,joined_on,left_on\n";
    private readonly ExportFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnOfficerRegistersAGroup_OnboardsItsParticipantsByCsv_AndRecordsALeaving()
    {
        var faulty = _files.Text("iberia.csv", Header
            + "Iberia,+44 7700 900111,employee,E1001,,,,,2026-11-02,\n"
            + "Iberia Clients,+34 600 987 654,external,,Lucía Fernández,Banco Sol,Treasurer,,2026-11-02,\n");
        var fixedFile = _files.Text("iberia-fixed.csv", Header
            + "Iberia Clients,+44 7700 900111,employee,E1001,,,,,2026-11-02,\n"
            + "Iberia Clients,+34 600 987 654,external,,Lucía Fernández,Banco Sol,Treasurer,employee@example.com,2026-11-02,\n");

        var page = await browser.NewPageAsync();
        await page.SignInAsync("officer@example.com", DemoAccounts.Password);
        await page.Locator("[data-nav=roster-groups]").ClickAsync();
        await page.Locator("[data-testid=group-new]").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await dialog.Locator("[data-testid=group-name]").FillAsync("Iberia Clients");
        await dialog.Locator("[data-testid=group-purpose]").FillAsync("Quotes for Spanish institutional clients");
        await page.ChooseAsync(dialog.Locator("[data-testid=group-owner]"), "Emma Employee (E1001)");
        await page.ChooseAsync(dialog.Locator("[data-testid=group-conversation]"), "Lucía Fernández (direct chat)");
        await dialog.Locator("[data-testid=group-invite]").FillAsync("https://chat.whatsapp.com/not-a-link");
        await dialog.Locator("[data-testid=group-save]").ClickAsync();
        (await dialog.Locator("[data-testid=dialog-error]").InnerTextAsync()).ShouldStartWith("'https://chat.whatsapp.com/not-a-link' is not a WhatsApp invite link");
        await dialog.Locator("[data-testid=group-invite]").FillAsync("https://chat.whatsapp.com/IbErIaClIeNtS2026");
        await dialog.Locator("[data-testid=group-save]").ClickAsync();
        var row = page.Locator("[data-testid=groups-table] tr", new PageLocatorOptions { HasTextString = "Iberia Clients" });
        await row.WaitForAsync();
        (await row.InnerTextAsync()).ShouldContain("Lucía Fernández");

        // A faulty participants file is refused row by row; the corrected one is imported.
        await page.Locator("input[type=file]").Last.SetInputFilesAsync(faulty);
        var errors = page.Locator("[data-testid=participants-errors] tbody tr");
        await errors.First.WaitForAsync();
        (await errors.AllInnerTextsAsync()).Select(r => string.Join(' ', r.Split('\t', StringSplitOptions.TrimEntries).Take(2))).ShouldBe(["2 group", "3 relationship_owner_email"]);
        await page.Locator("input[type=file]").Last.SetInputFilesAsync(fixedFile);
        (await page.Locator("[data-testid=participants-check-ok]").InnerTextAsync()).ShouldContain("2 row(s), 2 participant(s) in 1 group(s), 1 external contact(s)");
        await page.Locator("[data-testid=participants-import]").ClickAsync();
        await row.Locator("[data-testid=group-counts]", new LocatorLocatorOptions { HasTextString = "1 employee(s), 1 external" }).WaitForAsync();

        // The group's page lists both; Emma leaves.
        await row.Locator("[data-testid=group-link]").ClickAsync();
        var members = page.Locator("[data-testid=members-table] tbody tr");
        await members.Nth(1).WaitForAsync();
        (await members.AllInnerTextsAsync()).ShouldSatisfyAllConditions(
            r => r.ShouldContain(t => t.Contains("Emma Employee", StringComparison.Ordinal) && t.Contains("+447700900111", StringComparison.Ordinal)),
            r => r.ShouldContain(t => t.Contains("Lucía Fernández", StringComparison.Ordinal) && t.Contains("external", StringComparison.Ordinal)));
        var emma = page.Locator("[data-testid=members-table] tr", new PageLocatorOptions { HasTextString = "Emma Employee" });
        await emma.Locator("[data-testid=member-leave]").ClickAsync();
        var today = TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await emma.Locator("[data-testid=leave-date]").FillAsync(today);
        await emma.Locator("[data-testid=leave-date]").PressAsync("Tab");
        await emma.Locator("[data-testid=leave-reason]").FillAsync("Handed the clients to the Madrid desk");
        await emma.Locator("[data-testid=leave-save]").ClickAsync();
        await emma.Locator("[data-testid=member-left]", new LocatorLocatorOptions { HasTextString = today }).WaitForAsync();
        await page.ScreenshotAsync(browser, "official-group");

        await page.Locator("[data-nav=roster-contacts]").ClickAsync();
        var lucia = page.Locator("[data-testid=contacts-table] tr", new PageLocatorOptions { HasTextString = "Lucía Fernández" });
        await lucia.WaitForAsync();
        (await lucia.InnerTextAsync()).ShouldContain("Iberia Clients");
        (await lucia.InnerTextAsync()).ShouldContain("Treasurer · Banco Sol");
        await page.Context.CloseAsync();

        await using var db = await browser.App.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.GroupParticipantsImported && e.ActorName == "officer@example.com", Ct)).ShouldBe(1);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.GroupMembershipChanged && e.Details!.Contains("Handed the clients to the Madrid desk"), Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task TheDemoGroup_FlagsTheClientWhoJoinedWithoutBeingListed()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync("officer@example.com", DemoAccounts.Password);
        await page.Locator("[data-nav=roster-alerts]").ClickAsync();
        await page.Locator("[data-testid=scan-now]").ClickAsync();
        var joined = page.Locator("[data-testid=alert][data-alert-kind=group-change]", new PageLocatorOptions { HasTextString = "+447700900456" });
        await joined.WaitForAsync();
        (await joined.InnerTextAsync()).ShouldContain("+44 7700 900456 (+447700900456) joined official group \"Rates Desk\" on 2026-10-05 and is not a listed participant.");
        var unknown = page.Locator("[data-testid=alert][data-alert-kind=unknown-sender]", new PageLocatorOptions { HasTextString = "in official group \"Rates Desk\"" });
        (await unknown.InnerTextAsync()).ShouldContain("from +44 7700 900456 (+447700900456), who is not on the roster");
        await page.ScreenshotAsync(browser, "roster-group-alerts");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AManager_DecidesTheirTeamsReviews_FromMyCompliance()
    {
        var due = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(21);
        await browser.App.Services.GetRequiredService<RecertificationService>().StartAsync("Manager review E2E", due, AuditActor.System, Ct);

        var page = await browser.NewPageAsync();
        await page.SignInAsync("employee@example.com", DemoAccounts.Password);
        await page.Locator("[data-nav=my-compliance]").ClickAsync();
        (await page.Locator("[data-testid=my-numbers]").InnerTextAsync()).ShouldContain("+447700900111");

        var rows = page.Locator("[data-testid=reviews] tr", new PageLocatorOptions { HasTextString = "Manager review E2E" });
        var raj = rows.Filter(new LocatorFilterOptions { HasTextString = "+447700900222" }).Filter(new LocatorFilterOptions { HasTextString = "Authorization" });
        await raj.Locator("[data-testid=review-confirm]").ClickAsync();
        await raj.Locator("[data-testid=review-outcome]", new LocatorLocatorOptions { HasTextString = "Confirmed by employee@example.com" }).WaitForAsync();

        var olivia = rows.Filter(new LocatorFilterOptions { HasTextString = "Olivia Officer" });
        (await olivia.Locator("[data-testid=review-subject]").InnerTextAsync()).ShouldContain("Participant of Rates Desk");
        await olivia.Locator("[data-testid=review-comment]").FillAsync("Compliance reads the group from the archive");
        await olivia.Locator("[data-testid=review-remove]").ClickAsync();
        await olivia.Locator("[data-testid=review-outcome]", new LocatorLocatorOptions { HasTextString = "Removed by employee@example.com" }).WaitForAsync();
        await page.ScreenshotAsync(browser, "my-compliance-reviews");
        await page.Context.CloseAsync();

        await using var db = await browser.App.CreateDbContextAsync();
        var stay = await db.GroupMembers.Where(m => m.PhoneE164 == "+447700900100").SingleAsync(Ct);
        stay.LeftOn.ShouldBe(DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime));
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.RecertificationDecided && e.ActorName == "employee@example.com", Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task HumanResources_DownloadsTheRosterAndParticipantsCsv_AndAnEmployeeCannot()
    {
        var page = await browser.NewPageAsync();
        await page.SignInAsync("hr@example.com", DemoAccounts.Password);
        var roster = await page.EvaluateAsync<string>("fetch('roster/export').then(r => r.text())");
        roster.ShouldStartWith("employee_id,name,email,department,manager_email,phone,authorized_from,authorized_until,status\r\n");
        var participants = await page.EvaluateAsync<string>("fetch('roster/groups/export').then(r => r.text())");
        participants.ShouldStartWith("group,phone,type,employee_id,name,company,role,relationship_owner_email,joined_on,left_on\r\n");
        participants.ShouldContain("Rates Desk,\"'+447700900111\",employee,E1001,Emma Employee,,,,"); // kept from running as a formula
        await page.Context.CloseAsync();

        var employee = await browser.NewPageAsync();
        await employee.SignInAsync("employee@example.com", DemoAccounts.Password);
        (await employee.EvaluateAsync<string>("fetch('roster/groups/export').then(r => r.url)")).ShouldContain("/Account/AccessDenied");
        await employee.GotoAsync(browser.App.BaseUrl + "/roster/groups");
        await employee.Locator("[data-testid=access-denied]").WaitForAsync();
        await employee.Context.CloseAsync();
    }
}
