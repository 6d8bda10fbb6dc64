using Bunit;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Transcripts;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Components.Pages.Archive;
using Microsoft.EntityFrameworkCore;
using TestContext = Xunit.TestContext;

namespace ComplianceHub.Tests.Web.Components.Archive;

public sealed class ConversationPageTests : ComponentTestContext
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AConversation_OpensAtItsEnd_SaysWhoIsNotOnTheRoster_AndAMessagesProvenanceIsItsChainRecord()
    {
        // Arrange
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, Ct);
        await using var db = await Host.CreateDbContextAsync();
        var desk = await db.Conversations.Where(c => c.Title == "Rates Desk").Select(c => c.Id).SingleAsync(Ct);
        var messages = await db.ChatMessages.Where(m => m.ConversationId == desk).OrderBy(m => m.SearchKey)
            .Select(m => new { m.Id, m.Body, m.Hash, m.Kind }).ToListAsync(Ct);
        SignInAs("officer@example.com", Roles.ComplianceOfficer);

        // Act
        var cut = RenderWithProviders<ConversationPage>(p => p.Add(c => c.ConversationId, desk));

        // Assert: the newest message is shown, the roster names the desk's numbers, and opening a message shows its chain record.
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=message]").ShouldNotBeEmpty());
        cut.FindAll("[data-testid=message]").Select(m => long.Parse(m.GetAttribute("data-message-id")!, System.Globalization.CultureInfo.InvariantCulture))
            .ShouldContain(messages[^1].Id);
        cut.Find("[data-testid=participants]").TextContent.ShouldContain("+44 7700 900456 (+447700900456, not on the roster)");
        var first = cut.FindAll("[data-testid=message]")[0];
        var firstId = long.Parse(first.GetAttribute("data-message-id")!, System.Globalization.CultureInfo.InvariantCulture);
        await cut.InvokeAsync(() => first.Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=message-detail]").TextContent.ShouldContain(messages.Single(m => m.Id == firstId).Hash));
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.ConversationOpened && e.SubjectId == desk.ToString(System.Globalization.CultureInfo.InvariantCulture), Ct))
            .ShouldBe(1);
    }

    [Fact]
    public async Task LinesTheImporterWasUnsureOf_AreFlagged_WithWhyInTheirDetails()
    {
        // Arrange: an iOS group exported in Greek, which no phrase list knows: its notices are read from the export's structure.
        using var files = new ExportFiles();
        var chat = "[14/03/2024, 09:00:00] Rates Desk: \u200EΤα μηνύματα και οι κλήσεις είναι κρυπτογραφημένα από άκρο σε άκρο.\r\n" +
                   "[15/03/2024, 09:00:00] Alex Kim: Καλημέρα\r\n" +
                   "[15/03/2024, 09:02:00] Nadia: Προσφορά 4.12";
        var path = files.Zip("WhatsApp Chat - Rates Desk.zip", "_chat.txt", chat);
        var result = await Host.Get<ComplianceHub.Core.Archive.Ingestion.ExportImportService>().ImportAsync(
            path, "WhatsApp Chat - Rates Desk.zip", new("UTC", "officer@example.com"), AuditActor.System, ct: Ct);
        SignInAs("officer@example.com", Roles.ComplianceOfficer);

        // Act
        var cut = RenderWithProviders<ConversationPage>(p => p.Add(c => c.ConversationId, result.ConversationId));

        // Assert: the notice is shown as a notice, flagged; the people's messages are not.
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=message]").Count.ShouldBe(3));
        var flags = cut.FindAll("[data-testid=kind-uncertain]");
        flags.Count.ShouldBe(1);
        flags[0].ParentElement!.ClassList.ShouldContain("ch-system");
        flags[0].GetAttribute("title").ShouldBe(TranscriptText.UncertainNotice);
        await cut.InvokeAsync(() => cut.Find(".ch-system").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=message-detail]").TextContent.ShouldContain("System (uncertain: read as a WhatsApp notice"));
    }

    [Fact]
    public void AMessageCapturedLiveAndFoundInAnExport_ShowsBothSources()
    {
        var message = new TranscriptMessage(7, 7, DateTimeOffset.UnixEpoch, 1, "Ana Gómez", "+447700900123", "Morning",
            ComplianceHub.Core.Archive.MessageKind.Text, false, false, ComplianceHub.Core.Archive.MessageSource.Webhook, true, "wamid.a",
            null, null, 3, 1, "h", "p", null, null, null, null, [], []);
        var provenance = new MessageProvenance("{}", [], [new ExportSighting(4, "WhatsApp Chat with Ana.txt", 12, "02/03/2026, 09:00", "Europe/London", "Ana (Acme)")]);

        var bubble = Render<MessageBubble>(p => p.Add(b => b.Message, message));
        var panel = Render<ProvenancePanel>(p => p.Add(b => b.Message, message).Add(b => b.Provenance, provenance));

        bubble.Find("[data-testid=also-exported]").TextContent.ShouldBe("+ export");
        panel.Markup.ShouldContain("Live capture (Cloud API webhook), and an export (below)");
        var row = panel.Find("[data-testid=export-sources]").TextContent;
        row.ShouldContain("batch #4");
        row.ShouldContain("line 12 of WhatsApp Chat with Ana.txt");
        row.ShouldContain("as Ana (Acme)");
        panel.Find("[data-testid=export-sources] a").GetAttribute("href").ShouldBe("archive/imports/4/original");
    }

    [Fact]
    public async Task AConversationThatDoesNotExist_SaysSo()
    {
        SignInAs("auditor@example.com", Roles.Auditor);

        var cut = RenderWithProviders<ConversationPage>(p => p.Add(c => c.ConversationId, 424242));

        cut.WaitForAssertion(() => cut.Markup.ShouldContain("No such conversation"));
    }

    [Fact]
    public void LoadedTranscript_KeepsAtMostItsLimit_AndTheEndItDropsCanBeLoadedAgain()
    {
        static TranscriptMessage Message(long key) => new(key, key, DateTimeOffset.UnixEpoch.AddSeconds(key), null, null, null, "x",
            ComplianceHub.Core.Archive.MessageKind.Text, false, false, ComplianceHub.Core.Archive.MessageSource.Export, false, null, null, null, null, key, "", "", null, null, null, null, [], []);
        var transcript = new LoadedTranscript();
        transcript.Show(new TranscriptWindow([.. Enumerable.Range(1000, 300).Select(i => Message(i))], HasOlder: true, HasNewer: false, AnchorMessageId: 1100));

        transcript.AddOlder(new TranscriptWindow([.. Enumerable.Range(800, 200).Select(i => Message(i))], HasOlder: true, HasNewer: false, null));

        transcript.Messages.Count.ShouldBe(LoadedTranscript.MaxShown);
        (transcript.Messages[0].SearchKey, transcript.Messages[^1].SearchKey).ShouldBe((800L, 1199L));
        (transcript.HasOlder, transcript.HasNewer).ShouldBe((true, true));
        (transcript.OlderThan, transcript.NewerThan).ShouldBe((800L, 1199L));
        transcript.TakeScrollTarget().ShouldBe(1100);
        transcript.TakeScrollTarget().ShouldBeNull();
    }
}
