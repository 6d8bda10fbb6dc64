using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Transcripts;
using ComplianceHub.Tests.Core.Archive;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static ComplianceHub.Tests.TestSupport.WebhookPayloads;

namespace ComplianceHub.Tests.Core.Transcripts;

/// <summary>Reading a conversation as a transcript, on both providers: windows, paging, links between messages, provenance and audit.</summary>
public abstract class TranscriptServiceTests(DatabaseProvider provider) : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 2, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.1.2.3");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ExportFiles _files = new();

    public void Dispose()
    {
        _files.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>An export of <paramref name="count"/> messages, one a minute from <see cref="Start"/>, body "message N".</summary>
    private async Task<long> ImportChatAsync(TestHost host, int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var at = Start.AddMinutes(i);
            text.Append(CultureInfo.InvariantCulture, $"{at:dd/MM/yyyy, HH:mm} - {(i % 2 == 0 ? "Alex Kim" : "Sam Patel")}: message {i}\n");
        }

        var result = await host.Get<ExportImportService>().ImportAsync(
            _files.Text("WhatsApp Chat with Desk.txt", text.ToString()), "WhatsApp Chat with Desk.txt", new ImportOptions("UTC"), Officer, ct: Ct);
        return result.ConversationId;
    }

    [Fact]
    public async Task AWindowAroundAMessage_ThenOlderAndNewerPages_CoverTheConversationOnceInTimeOrder()
    {
        await using var host = await TestHost.StartAsync(provider);
        var conversation = await ImportChatAsync(host, 250);
        var transcripts = host.Get<TranscriptService>();
        await using var db = await host.CreateDbContextAsync();
        var middle = await db.ChatMessages.SingleAsync(m => m.Body == "message 125", Ct);

        var window = await transcripts.AroundAsync(conversation, middle.Id, null, 50, Ct);

        window.AnchorMessageId.ShouldBe(middle.Id);
        window.Messages.Count.ShouldBe(50);
        window.Messages[25].Body.ShouldBe("message 125");
        (window.HasOlder, window.HasNewer).ShouldBe((true, true));

        var all = window.Messages.ToList();
        var older = window;
        while (older.HasOlder)
        {
            older = await transcripts.OlderAsync(conversation, all[0].SearchKey, 50, Ct);
            all.InsertRange(0, older.Messages);
        }

        var newer = window;
        while (newer.HasNewer)
        {
            newer = await transcripts.NewerAsync(conversation, all[^1].SearchKey, 50, Ct);
            all.AddRange(newer.Messages);
        }

        all.Select(m => m.Body).ShouldBe(Enumerable.Range(0, 250).Select(i => $"message {i}"));
        all.Select(m => m.Sender).Take(2).ShouldBe(["Alex Kim", "Sam Patel"]);
    }

    [Fact]
    public async Task WithoutAStartingPoint_TheLatestMessagesShow_AndADateJumpsToTheFirstMessageFromThen()
    {
        await using var host = await TestHost.StartAsync(provider);
        var conversation = await ImportChatAsync(host, 120);
        var transcripts = host.Get<TranscriptService>();

        var latest = await transcripts.AroundAsync(conversation, null, null, 40, Ct);
        latest.Messages.Select(m => m.Body).ShouldBe(Enumerable.Range(80, 40).Select(i => $"message {i}"));
        (latest.HasOlder, latest.HasNewer, latest.AnchorMessageId).ShouldBe((true, false, null));

        var jump = await transcripts.AroundAsync(conversation, null, Start.AddMinutes(99).AddSeconds(30), 40, Ct);
        jump.Messages.Single(m => m.Id == jump.AnchorMessageId).Body.ShouldBe("message 100");

        var afterTheEnd = await transcripts.AroundAsync(conversation, null, Start.AddDays(30), 40, Ct);
        afterTheEnd.Messages.Single(m => m.Id == afterTheEnd.AnchorMessageId).Body.ShouldBe("message 119");
    }

    [Fact]
    public async Task RepliesReactionsAndDeletions_ShowWhatTheyReferTo_AndDeliveryHistoryAndPayloadAreTheProvenance()
    {
        await using var host = await TestHost.StartAsync(provider, WebhookProcessingTests.CaptureSettings());
        foreach (var payload in new[]
        {
            Echoes(Echo("wamid.question", Start, "text", new JsonObject { ["body"] = "Shall we book 40 at 12.00?" })),
            Inbound(Text("wamid.answer", Start.AddMinutes(1), "Yes please").Also(m => m["context"] = new JsonObject { ["from"] = BusinessDisplayNumber, ["id"] = "wamid.question" })),
            Inbound(Message("wamid.like", Start.AddMinutes(2), "reaction", new JsonObject { ["message_id"] = "wamid.question", ["emoji"] = "👍" })),
            Echoes(Echo("wamid.unsend", Start.AddMinutes(3), "revoke", new JsonObject { ["original_message_id"] = "wamid.question" })),
            Statuses(Status("wamid.question", "read", Start.AddSeconds(50)), Status("wamid.question", "delivered", Start.AddSeconds(5))),
        })
        {
            await host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(payload), "127.0.0.1", Ct);
        }

        await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
        await using var db = await host.CreateDbContextAsync();
        var conversation = await db.Conversations.SingleAsync(Ct);
        var transcripts = host.Get<TranscriptService>();

        // The customer's number is on the roster (as an employee's, for the test): the header says whose it is.
        await host.OnboardAsync("E7,Ana G. Roster,ana@example.com,,,+447700900123,2025-01-01,,active\n");
        (await transcripts.OpenAsync(conversation.Id, Officer, Ct))!.Participants.Single(p => p.PhoneE164 == "+447700900123").RosterPerson.ShouldBe("Ana G. Roster (E7)");

        var messages = (await transcripts.AroundAsync(conversation.Id, null, null, 50, Ct)).Messages;

        var question = messages.Single(m => m.ExternalId == "wamid.question");
        question.Body.ShouldBe("Shall we book 40 at 12.00?");
        question.Reactions.Select(r => (r.Emoji, r.Sender)).ShouldBe([("👍", CustomerName)]);
        question.Reactions[0].SenderId.ShouldNotBeNull();
        messages.Single(m => m.ExternalId == "wamid.answer").ReplyTo.ShouldBe(new QuotedMessage(question.Id, question.Sender, question.Body));
        var deletion = messages.Single(m => m.ExternalId == "wamid.unsend");
        (deletion.Kind, deletion.Target?.Body).ShouldBe((MessageKind.Deleted, "Shall we book 40 at 12.00?"));

        var provenance = await transcripts.ProvenanceAsync(conversation.Id, question.Id, Officer, Ct);
        provenance.ShouldNotBeNull();
        provenance.Deliveries.Select(d => (d.Status, d.OccurredAt)).ShouldBe([("delivered", Start.AddSeconds(5)), ("read", Start.AddSeconds(50))]);
        provenance.RawJson.ShouldNotBeNull().ShouldContain("Shall we book 40 at 12.00?");
        (await transcripts.ProvenanceAsync(conversation.Id + 1, question.Id, Officer, Ct)).ShouldBeNull();
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.MessageDetailsViewed && e.SubjectId == question.Id.ToString(CultureInfo.InvariantCulture), Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task OpeningAConversationAndAnAttachment_IsAudited_AndUnknownOnesAreNot()
    {
        await using var host = await TestHost.StartAsync(provider);
        var photo = new byte[] { 0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4 };
        var chat = "03/02/2025, 09:00 - Alex Kim: IMG-0001.png (file attached)\nchart\n03/02/2025, 09:01 - Alex Kim: DOC-0002.pdf (file attached)\n";
        var import = await host.Get<ExportImportService>().ImportAsync(
            _files.Zip("WhatsApp Chat with Desk.zip", "WhatsApp Chat with Desk.txt", chat, ("IMG-0001.png", photo)), "WhatsApp Chat with Desk.zip",
            new ImportOptions("UTC"), Officer, ct: Ct);
        var transcripts = host.Get<TranscriptService>();

        var header = await transcripts.OpenAsync(import.ConversationId, Officer, Ct);
        header.ShouldNotBeNull();
        (header.Title, header.Messages, header.FirstMessageAt).ShouldBe(("Desk", 2, Start));
        header.Participants.Single().ShouldBe(new TranscriptParticipant(header.Participants[0].Id, "Alex Kim", null, null));
        (await transcripts.OpenAsync(import.ConversationId + 100, Officer, Ct)).ShouldBeNull();

        var messages = (await transcripts.AroundAsync(import.ConversationId, null, null, 10, Ct)).Messages;
        var stored = messages.SelectMany(m => m.Attachments).Single(a => a.FileName == "IMG-0001.png");
        var missing = messages.SelectMany(m => m.Attachments).Single(a => a.FileName == "DOC-0002.pdf");
        (stored.IsImage, missing.Status).ShouldBe((true, AttachmentStatus.Missing));

        var opened = await transcripts.OpenAttachmentAsync(stored.Id, inline: false, Officer, Ct);
        opened.ShouldNotBeNull();
        await using (var content = opened.Value.Content)
        using (var copy = new MemoryStream())
        {
            await content.CopyToAsync(copy, Ct);
            copy.ToArray().ShouldBe(photo);
        }

        (await transcripts.OpenAttachmentAsync(missing.Id, inline: false, Officer, Ct)).ShouldBeNull();

        await using var db = await host.CreateDbContextAsync();
        var events = await db.AuditEvents.Where(e => e.Type == AuditEventType.ConversationOpened || e.Type == AuditEventType.AttachmentOpened)
            .OrderBy(e => e.Id).ToListAsync(Ct);
        events.Select(e => (e.Type, e.SubjectType, e.ActorName)).ShouldBe(
        [
            (AuditEventType.ConversationOpened, "Conversation", "officer@example.com"),
            (AuditEventType.AttachmentOpened, "Attachment", "officer@example.com"),
        ]);
        events[1].Details.ShouldNotBeNull().ShouldContain("\"view\":\"download\"");
    }
}

public sealed class SqliteTranscriptServiceTests() : TranscriptServiceTests(DatabaseProvider.Sqlite);

public sealed class PostgresTranscriptServiceTests() : TranscriptServiceTests(DatabaseProvider.Postgres);
