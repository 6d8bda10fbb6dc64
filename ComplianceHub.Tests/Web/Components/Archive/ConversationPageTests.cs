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
