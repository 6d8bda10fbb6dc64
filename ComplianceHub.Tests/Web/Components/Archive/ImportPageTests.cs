using Bunit;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Identity;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Components.Pages.Archive;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using TestContext = Xunit.TestContext;

namespace ComplianceHub.Tests.Web.Components.Archive;

public sealed class ImportPageTests : ComponentTestContext
{
    private const string Chat = """
        01/03/2026, 09:00 - Alex Kim: Morning, prices at ten
        01/03/2026, 09:02 - Sam Patel: Copy
        02/03/2026, 17:45 - Alex Kim: Filled 40 at 12.00
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<IRenderedComponent<ImportPage>> OpenWithTimeZoneAsync(string zone)
    {
        SignInAs("officer@example.com", Roles.ComplianceOfficer);
        var cut = RenderWithProviders<ImportPage>();
        var timeZone = cut.FindComponents<MudAutocomplete<string>>().Single(c => c.Instance.Label == "Time zone of the phone");
        await cut.InvokeAsync(() => timeZone.Instance.ValueChanged.InvokeAsync(zone));
        return cut;
    }

    [Fact]
    public async Task AnExport_IsPreviewedFirst_ThenImportedWhole_AndShowsInTheHistory()
    {
        // Arrange
        var cut = await OpenWithTimeZoneAsync("Europe/London");

        // Act: choose the file, read the preview, import.
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(Chat, "WhatsApp Chat with Rates Desk.txt"));
        cut.WaitForAssertion(() => cut.Find("[data-testid=preview-messages]").TextContent.ShouldStartWith("3 (0 system)"));
        cut.Find("[data-testid=preview-chat]").TextContent.ShouldBe("Rates Desk");
        await using (var before = await Host.CreateDbContextAsync())
        {
            (await before.ChatMessages.CountAsync(Ct)).ShouldBe(0); // the preview stores nothing
        }

        await cut.InvokeAsync(() => cut.Find("[data-testid=import-all]").Click());

        // Assert
        cut.WaitForAssertion(() => cut.Find("[data-testid=import-result]").TextContent.ShouldContain("3 new message(s)"), TimeSpan.FromSeconds(10));
        await using var db = await Host.CreateDbContextAsync();
        var conversation = await db.Conversations.SingleAsync(Ct);
        conversation.Title.ShouldBe("Rates Desk");
        (await db.ChatMessages.CountAsync(m => m.ConversationId == conversation.Id, Ct)).ShouldBe(3);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.ExportImported, Ct)).ShouldBe(1);
        cut.WaitForAssertion(() => cut.Markup.ShouldContain("WhatsApp Chat with Rates Desk.txt"));
    }

    [Fact]
    public async Task AFileThatIsNotAnExport_IsRefusedAtThePreview_AndNothingIsStored()
    {
        var cut = await OpenWithTimeZoneAsync("UTC");

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("Dear all,\nplease find the minutes attached.\n", "minutes.txt"));

        cut.WaitForAssertion(() => cut.Find("[data-testid=import-error]").TextContent.ShouldEndWith("Nothing from this file was stored."));
        cut.Find("[data-testid=import-all]").HasAttribute("disabled").ShouldBeTrue();
        await using var db = await Host.CreateDbContextAsync();
        (await db.ChatMessages.CountAsync(Ct)).ShouldBe(0);
        (await db.ImportBatches.CountAsync(Ct)).ShouldBe(0);
    }
}
