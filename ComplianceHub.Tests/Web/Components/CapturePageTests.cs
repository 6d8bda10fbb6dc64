using System.Text;
using Bunit;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Identity;
using ComplianceHub.Tests.Core.Archive;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Components.Pages.Administration;
using ComplianceHub.Web.Components.Pages.Home;
using Microsoft.EntityFrameworkCore;
using static ComplianceHub.Tests.TestSupport.WebhookPayloads;
using TestContext = Xunit.TestContext;

namespace ComplianceHub.Tests.Web.Components;

public sealed class CapturePageTests : ComponentTestContext
{
    protected override IReadOnlyDictionary<string, string?>? HostSettings => WebhookProcessingTests.CaptureSettings();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task CaptureAsync(params string[] payloads)
    {
        foreach (var payload in payloads)
        {
            await Host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(payload), "127.0.0.1", Ct);
        }

        await Host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
    }

    [Fact]
    public async Task CapturePage_ShowsEachNumbersActivity_AndRetriesAFailedPayload()
    {
        var now = Host.Clock.GetUtcNow();
        await CaptureAsync(Inbound(Text("wamid.1", now.AddHours(-2), "hello"), Text("wamid.2", now.AddDays(-1), "earlier")), "{\"object\":");
        Host.Get<WebhookRefusals>().Refuse("signature mismatch", "198.51.100.7");
        Host.Get<WebhookRefusals>().Refuse("signature mismatch", "198.51.100.7"); // counted in memory, shown by the page as one row
        SignInAs("admin@example.com", Roles.Administrator);

        var cut = RenderWithProviders<CapturePage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=numbers-table]").TextContent.ShouldContain("Sales desk"));
        cut.Find("[data-testid=number-last]").TextContent.ShouldContain(Formats(now.AddHours(-2)));
        cut.FindAll("[data-testid=number-silent]").ShouldBeEmpty();
        cut.Find("[data-testid=card-failed-value]").TextContent.ShouldBe("1");
        cut.Find("[data-testid=failed-error]").TextContent.ShouldContain("not valid JSON");
        cut.Find("[data-testid=card-rejections-value]").TextContent.ShouldBe("2");
        cut.Find("[data-testid=rejection-count]").TextContent.ShouldBe("2");
        cut.Find("[data-testid=rejection-reason]").TextContent.ShouldBe("signature mismatch");

        await cut.Find("[data-testid=retry-delivery]").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        cut.WaitForAssertion(() => cut.Find("[data-testid=no-failed]").ShouldNotBeNull());
        cut.Find("[data-testid=card-backlog-value]").TextContent.ShouldBe("1");
        await using var db = await Host.CreateDbContextAsync();
        var retried = await db.AuditEvents.SingleAsync(e => e.Type == AuditEventType.WebhookDeliveryRetried, Ct);
        retried.ActorName.ShouldBe("admin@example.com");
    }

    [Fact]
    public async Task Dashboard_WarnsCompliance_WhenAConfiguredNumberHasGoneSilent()
    {
        var now = Host.Clock.GetUtcNow();
        await CaptureAsync(Inbound(Text("wamid.old", now.AddDays(-3), "three days ago")));
        SignInAs("officer@example.com", Roles.ComplianceOfficer);

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=silent-number]").TextContent.ShouldContain("Sales desk has captured nothing since " + Formats(now.AddDays(-3))));
    }

    [Fact]
    public async Task Dashboard_ShowsNoWarning_WhileTheNumberIsBusy()
    {
        await CaptureAsync(Inbound(Text("wamid.new", Host.Clock.GetUtcNow().AddMinutes(-10), "just now")));
        SignInAs("officer@example.com", Roles.ComplianceOfficer);

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=card-archive]").ShouldNotBeNull());
        cut.FindAll("[data-testid=silent-numbers]").ShouldBeEmpty();
    }

    [Fact]
    public async Task Dashboard_KeepsTheWarningFromStaffOutsideCompliance()
    {
        await CaptureAsync(Inbound(Text("wamid.old", Host.Clock.GetUtcNow().AddDays(-3), "three days ago")));
        SignInAs("employee@example.com", Roles.Employee);

        var cut = RenderWithProviders<DashboardPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=card-my-compliance]").ShouldNotBeNull());
        cut.FindAll("[data-testid=silent-numbers]").ShouldBeEmpty();
    }

    private static string Formats(DateTimeOffset value) => ComplianceHub.Web.Components.Shared.Formats.Utc(value);
}
