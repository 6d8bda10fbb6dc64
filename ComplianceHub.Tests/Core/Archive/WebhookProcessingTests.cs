using System.Text;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Search;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static ComplianceHub.Tests.TestSupport.WebhookPayloads;

namespace ComplianceHub.Tests.Core.Archive;

public abstract class WebhookProcessingTests(DatabaseProvider provider)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Dictionary<string, string?> CaptureSettings(string? graphBaseUrl = null) => new()
    {
        ["WhatsApp:AppSecret"] = "processing-test-secret",
        ["WhatsApp:VerifyToken"] = "processing-test-token",
        ["WhatsApp:AccessToken"] = FakeGraphApi.Token,
        ["WhatsApp:GraphApiBaseUrl"] = graphBaseUrl ?? "http://127.0.0.1:9/v23.0",
        ["WhatsApp:MediaMaxAttempts"] = "3",
        ["WhatsApp:BusinessNumbers:0:PhoneNumberId"] = PhoneNumberId,
        ["WhatsApp:BusinessNumbers:0:DisplayPhoneNumber"] = "+1 555 078 3881",
        ["WhatsApp:BusinessNumbers:0:Label"] = "Sales desk",
        ["WhatsApp:BusinessNumbers:0:CustodianEmail"] = "Officer@Example.com",
    };

    private Task<TestHost> StartAsync() => TestHost.StartAsync(provider, CaptureSettings());

    private static async Task<WebhookProcessingResult> DeliverAsync(TestHost host, params string[] payloads)
    {
        foreach (var payload in payloads)
        {
            await host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(payload), "127.0.0.1", Ct);
        }

        return await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
    }

    private static async Task<List<ChatMessage>> MessagesAsync(TestHost host)
    {
        await using var db = await host.CreateDbContextAsync();
        return await db.ChatMessages.Include(m => m.Attachments).OrderBy(m => m.Id).ToListAsync(Ct);
    }

    [Fact]
    public async Task EveryMessageType_IsArchivedWithItsKindBodyAndLinks()
    {
        await using var host = await StartAsync();
        var payload = Inbound(
            Text("wamid.text", T0, "Can you confirm the 50 lots at 167.20?"),
            Message("wamid.image", T0.AddSeconds(1), "image", new JsonObject
            {
                ["caption"] = "signed term sheet", ["mime_type"] = "image/jpeg", ["id"] = "MEDIA-IMG",
                ["sha256"] = "n6mSYH7mXDx0EBjvL4NVqEYpXAk7Hjq0jB2BYfMdpgQ=",
            }),
            Message("wamid.video", T0.AddSeconds(2), "video", new JsonObject { ["mime_type"] = "video/mp4", ["id"] = "MEDIA-VID", ["sha256"] = new string('a', 64) }),
            Message("wamid.audio", T0.AddSeconds(3), "audio", new JsonObject { ["mime_type"] = "audio/ogg; codecs=opus", ["id"] = "MEDIA-AUD", ["voice"] = true }),
            Message("wamid.document", T0.AddSeconds(4), "document", new JsonObject
            {
                ["caption"] = "Q1 statement", ["filename"] = "../statement.pdf", ["mime_type"] = "application/pdf", ["id"] = "MEDIA-DOC",
            }),
            Message("wamid.sticker", T0.AddSeconds(5), "sticker", new JsonObject { ["mime_type"] = "image/webp", ["id"] = "MEDIA-STK", ["animated"] = false }),
            Message("wamid.location", T0.AddSeconds(6), "location", new JsonObject
            {
                ["latitude"] = 51.5138, ["longitude"] = -0.0984, ["name"] = "Head office", ["address"] = "1 Poultry, London",
            }),
            Message("wamid.contacts", T0.AddSeconds(7), "contacts", null).Also(m => m["contacts"] = new JsonArray(new JsonObject
            {
                ["name"] = new JsonObject { ["formatted_name"] = "John Smith", ["first_name"] = "John" },
                ["phones"] = new JsonArray(new JsonObject { ["phone"] = "+1 (650) 555-1234", ["wa_id"] = "16505551234", ["type"] = "WORK" }),
            })),
            Message("wamid.button-reply", T0.AddSeconds(8), "interactive", new JsonObject
            {
                ["type"] = "button_reply", ["button_reply"] = new JsonObject { ["id"] = "confirm", ["title"] = "Confirm order" },
            }),
            Message("wamid.list-reply", T0.AddSeconds(9), "interactive", new JsonObject
            {
                ["type"] = "list_reply", ["list_reply"] = new JsonObject { ["id"] = "slot-2", ["title"] = "Tuesday 10:00", ["description"] = "Call with desk" },
            }),
            Message("wamid.button", T0.AddSeconds(10), "button", new JsonObject { ["payload"] = "STOP", ["text"] = "Unsubscribe" }),
            Message("wamid.reaction", T0.AddSeconds(11), "reaction", new JsonObject { ["message_id"] = "wamid.text", ["emoji"] = "👍" }),
            Text("wamid.reply", T0.AddSeconds(12), "Yes, confirmed").Also(m => m["context"] = new JsonObject { ["from"] = BusinessDisplayNumber, ["id"] = "wamid.business-question" }),
            Message("wamid.order", T0.AddSeconds(13), "order", new JsonObject
            {
                ["catalog_id"] = "CAT1", ["text"] = "Please ship today",
                ["product_items"] = new JsonArray(new JsonObject { ["product_retailer_id"] = "SKU-9", ["quantity"] = "2", ["item_price"] = "10.5", ["currency"] = "GBP" }),
            }),
            Message("wamid.system", T0.AddSeconds(14), "system", new JsonObject { ["body"] = "User A changed from 447700900123 to 447700900999", ["type"] = "user_changed_number" }),
            Message("wamid.unsupported", T0.AddSeconds(15), "unsupported", null).Also(m => m["errors"] = new JsonArray(new JsonObject
            {
                ["code"] = 131051, ["title"] = "Message type unknown", ["message"] = "Message type unknown",
            })),
            Message("wamid.future", T0.AddSeconds(16), "poll_vote", new JsonObject { ["poll_id"] = "P1", ["option"] = "B" }));

        var result = await DeliverAsync(host, payload);

        result.ShouldBe(new WebhookProcessingResult(1, 0, 17, 0, 0, 5));
        var messages = await MessagesAsync(host);
        messages.Select(m => (m.ExternalId, m.Kind, m.Body)).ShouldBe(
        [
            ("wamid.text", MessageKind.Text, "Can you confirm the 50 lots at 167.20?"),
            ("wamid.image", MessageKind.Media, "signed term sheet"),
            ("wamid.video", MessageKind.Media, ""),
            ("wamid.audio", MessageKind.Media, ""),
            ("wamid.document", MessageKind.Media, "Q1 statement"),
            ("wamid.sticker", MessageKind.Media, ""),
            ("wamid.location", MessageKind.Location, "Head office, 1 Poultry, London (51.5138, -0.0984)"),
            ("wamid.contacts", MessageKind.Contact, "John Smith +1 (650) 555-1234"),
            ("wamid.button-reply", MessageKind.Interactive, "Confirm order"),
            ("wamid.list-reply", MessageKind.Interactive, "Tuesday 10:00 — Call with desk"),
            ("wamid.button", MessageKind.Interactive, "Unsubscribe"),
            ("wamid.reaction", MessageKind.Reaction, "👍"),
            ("wamid.reply", MessageKind.Text, "Yes, confirmed"),
            ("wamid.order", MessageKind.Order, "Please ship today\n2 × SKU-9 @ 10.5 GBP"),
            ("wamid.system", MessageKind.System, "User A changed from 447700900123 to 447700900999"),
            ("wamid.unsupported", MessageKind.Unsupported, "[unsupported] Message type unknown"),
            ("wamid.future", MessageKind.Unsupported, "[poll_vote]"),
        ]);
        messages.ShouldAllBe(m => m.Source == MessageSource.Webhook && m.WebhookDeliveryId != null && m.RawJson != null);
        messages.Single(m => m.ExternalId == "wamid.future").RawJson!.ShouldContain("\"poll_id\":\"P1\"");
        messages.Single(m => m.ExternalId == "wamid.reaction").TargetExternalId.ShouldBe("wamid.text");
        messages.Single(m => m.ExternalId == "wamid.reply").ReplyToExternalId.ShouldBe("wamid.business-question");
        messages.Single(m => m.ExternalId == "wamid.text").SentAt.ShouldBe(T0);
        messages.Single(m => m.ExternalId == "wamid.system").ParticipantId.ShouldBeNull();

        // Media: Meta's base64 hash kept as hex, file names made safe, bytes queued for download.
        var image = messages.Single(m => m.ExternalId == "wamid.image").Attachments.Single();
        image.Status.ShouldBe(AttachmentStatus.Remote);
        image.MediaType.ShouldBe("image/jpeg");
        image.Sha256.ShouldBe(Convert.ToHexStringLower(Convert.FromBase64String("n6mSYH7mXDx0EBjvL4NVqEYpXAk7Hjq0jB2BYfMdpgQ=")));
        messages.Single(m => m.ExternalId == "wamid.document").Attachments.Single().FileName.ShouldBe("statement.pdf");
        messages.Single(m => m.ExternalId == "wamid.audio").Attachments.Single().MediaType.ShouldBe("audio/ogg");

        await using var db = await host.CreateDbContextAsync();
        var conversation = await db.Conversations.Include(c => c.Custodians).SingleAsync(Ct);
        conversation.Title.ShouldBe(CustomerName);
        conversation.ExternalKey.ShouldBe($"wa:{PhoneNumberId}:{CustomerWaId}");
        conversation.BusinessPhoneNumberId.ShouldBe(PhoneNumberId);
        conversation.Custodians.Single().Email.ShouldBe("officer@example.com");
        var participant = await db.ChatParticipants.SingleAsync(Ct);
        (participant.DisplayName, participant.PhoneE164).ShouldBe((CustomerName, "+447700900123"));
        (await db.MediaDownloads.CountAsync(Ct)).ShouldBe(5);
        (await db.WebhookDeliveries.SingleAsync(Ct)).Status.ShouldBe(WebhookDeliveryStatus.Processed);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.WebhookDeliveriesProcessed, Ct)).ShouldBe(1);

        // Searchable at once, and covered by the conversation's hash chain.
        var hits = (await host.SearchAsync("confirm")).Select(h => h.MessageId).ToList();
        hits.ShouldBe([messages.Single(m => m.ExternalId == "wamid.button-reply").Id, messages.Single(m => m.ExternalId == "wamid.text").Id], ignoreOrder: true);
        (await host.Get<ArchiveChainVerifier>().VerifyAsync(Ct)).ShouldAllBe(r => r.IsIntact);
    }

    [Fact]
    public async Task MessagesGoingBackInTime_InOneLongTransaction_GetUniqueTimeOrderedKeys_AndAreAllSearchable()
    {
        // One message a second for longer than the key allocator remembers, then messages dated back
        // into seconds it has already used (a clock set back, a late redelivery): keys stay unique,
        // follow sent time, and every message is indexed.
        await using var host = await StartAsync();
        var onTime = Enumerable.Range(0, 5_000).Select(i => Text($"wamid.order.{i}", T0.AddSeconds(i), $"order check {i}"));
        var late = Enumerable.Range(0, 200).Select(i => Text($"wamid.late.{i}", T0.AddSeconds(10 + i), $"order check late {i}"));

        var result = await DeliverAsync(host, Inbound([.. onTime, .. late]));

        result.Messages.ShouldBe(5_200);
        await using var db = await host.CreateDbContextAsync();
        var stored = await db.ChatMessages.Select(m => new { m.SearchKey, m.SentAt }).ToListAsync(Ct);
        stored.Select(m => m.SearchKey).Distinct().Count().ShouldBe(5_200);
        stored.OrderBy(m => m.SearchKey).Select(m => m.SentAt).ShouldBeInOrder(SortDirection.Ascending);
        stored.ShouldAllBe(m => SearchKeys.SecondOf(m.SearchKey) == m.SentAt.ToUnixTimeSeconds());
        var criteria = new MessageSearchCriteria { Text = "\"order check\"" };
        var page = await host.Get<MessageSearchService>().SearchAsync(criteria, AuditActor.System, 10, ct: Ct);
        (await host.Get<MessageSearchService>().CountAsync(criteria, Ct)).Count.ShouldBe(5_200);
        page.Hits[0].SentAt.ShouldBe(T0.AddSeconds(4_999));
    }

    [Fact]
    public async Task RedeliveredAndRepeatedMessages_AreStoredOnce()
    {
        await using var host = await StartAsync();
        var first = Inbound(Text("wamid.1", T0, "first"), Text("wamid.2", T0.AddSeconds(5), "second"), Text("wamid.1", T0, "first"));

        var result = await DeliverAsync(host, first, first);
        var again = await DeliverAsync(host, first, Inbound(Text("wamid.3", T0.AddSeconds(9), "third")));

        result.ShouldBe(new WebhookProcessingResult(2, 0, 2, 4, 0, 0));
        again.ShouldBe(new WebhookProcessingResult(2, 0, 1, 3, 0, 0));
        (await MessagesAsync(host)).Select(m => m.ExternalId).ShouldBe(["wamid.1", "wamid.2", "wamid.3"]);
        await using var db = await host.CreateDbContextAsync();
        (await db.WebhookDeliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Processed, Ct)).ShouldBe(4);
    }

    [Fact]
    public async Task StatusesBeforeTheirMessage_BecomeItsDeliveryHistory_Once()
    {
        await using var host = await StartAsync();
        var failed = new JsonArray(new JsonObject
        {
            ["code"] = 131047, ["title"] = "Re-engagement message", ["message"] = "Re-engagement message",
            ["error_data"] = new JsonObject { ["details"] = "More than 24 hours have passed since the recipient last replied." },
        });

        await DeliverAsync(host,
            Statuses(Status("wamid.out-1", "delivered", T0.AddSeconds(3)), Status("wamid.out-1", "sent", T0.AddSeconds(1))),
            Statuses(Status("wamid.out-1", "read", T0.AddSeconds(60)), Status("wamid.out-1", "delivered", T0.AddSeconds(3))),
            Statuses(Status("wamid.out-2", "failed", T0.AddSeconds(2), failed)));
        var result = await DeliverAsync(host, Echoes(Echo("wamid.out-1", T0, "text", new JsonObject { ["body"] = "Your trade is booked" })));

        result.Messages.ShouldBe(1);
        await using var db = await host.CreateDbContextAsync();
        var history = await db.MessageStatusEvents.Where(s => s.ExternalId == "wamid.out-1").OrderBy(s => s.OccurredAt).ToListAsync(Ct);
        history.Select(s => s.Status).ShouldBe(["sent", "delivered", "read"]);
        history.ShouldAllBe(s => s.RecipientId == CustomerWaId && s.PhoneNumberId == PhoneNumberId);
        var failure = await db.MessageStatusEvents.SingleAsync(s => s.ExternalId == "wamid.out-2", Ct);
        failure.Status.ShouldBe("failed");
        failure.ErrorsJson.ShouldNotBeNull().ShouldContain("131047");

        // The echo is the business's own message, sent by the business number's participant.
        var echo = (await MessagesAsync(host)).Single();
        echo.Body.ShouldBe("Your trade is booked");
        var sender = await db.ChatParticipants.SingleAsync(p => p.Id == echo.ParticipantId, Ct);
        (sender.DisplayName, sender.PhoneE164).ShouldBe(("Sales desk", "+" + BusinessDisplayNumber));
        (await db.Conversations.SingleAsync(Ct)).ExternalKey.ShouldBe($"wa:{PhoneNumberId}:{CustomerWaId}");
    }

    [Fact]
    public async Task EditsAndRevokes_AddLinkedRecords_AndTheOriginalStays_InAnyOrder()
    {
        await using var host = await StartAsync();
        var edit = Echoes(Echo("wamid.edit-1", T0.AddMinutes(2), "edit", new JsonObject
        {
            ["original_message_id"] = "wamid.orig",
            ["message"] = new JsonObject { ["type"] = "text", ["text"] = new JsonObject { ["body"] = "Price is 101.50 (corrected)" } },
        }));

        // The edit arrives before the message it corrects.
        await DeliverAsync(host, edit);
        await DeliverAsync(host,
            Echoes(Echo("wamid.orig", T0, "text", new JsonObject { ["body"] = "Price is 110.50" })),
            Echoes(Echo("wamid.revoke-1", T0.AddMinutes(5), "revoke", new JsonObject { ["original_message_id"] = "wamid.orig" })),
            edit);

        var messages = await MessagesAsync(host);
        messages.Select(m => (m.ExternalId, m.Kind, m.Body, m.IsEdited, m.TargetExternalId)).ShouldBe(
        [
            ("wamid.edit-1", MessageKind.Text, "Price is 101.50 (corrected)", true, "wamid.orig"),
            ("wamid.orig", MessageKind.Text, "Price is 110.50", false, null),
            ("wamid.revoke-1", MessageKind.Deleted, "", false, "wamid.orig"),
        ]);
        (await host.Get<ArchiveChainVerifier>().VerifyAsync(Ct)).ShouldAllBe(r => r.IsIntact);
    }

    [Fact]
    public async Task AnUnreadablePayload_FailsAlone_WithWhereAndWhy_AndCanBeRetried()
    {
        await using var host = await StartAsync();
        var good = Inbound(Text("wamid.ok", T0, "fine"));
        var noId = Inbound(Text("wamid.x", T0, "x")).Replace("\"id\":\"wamid.x\",", "", StringComparison.Ordinal);

        var result = await DeliverAsync(host, good, "{ not json", noId);

        result.ShouldBe(new WebhookProcessingResult(3, 2, 1, 0, 0, 0));
        await using var db = await host.CreateDbContextAsync();
        var failed = await db.WebhookDeliveries.Where(d => d.Status == WebhookDeliveryStatus.Failed).OrderBy(d => d.Id).ToListAsync(Ct);
        failed.Count.ShouldBe(2);
        failed[0].Error.ShouldNotBeNull().ShouldContain("not valid JSON");
        failed[1].Error.ShouldBe("$.entry[0].changes[0].value.messages[0]: 'id' is missing or empty");
        failed[1].Body.ShouldBe(noId);
        (await MessagesAsync(host)).Single().ExternalId.ShouldBe("wamid.ok");
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.WebhookDeliveryFailed, Ct)).ShouldBe(2);

        var admin = new AuditActor("admin-id", "admin@example.com", "10.0.0.1");
        (await host.Get<WebhookProcessor>().RetryAsync(failed[1].Id, admin, Ct)).ShouldBeTrue();
        (await host.Get<WebhookProcessor>().RetryAsync(failed[1].Id, admin, Ct)).ShouldBeFalse();
        var retried = await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);

        retried.ShouldBe(new WebhookProcessingResult(1, 1, 0, 0, 0, 0));
        await using var after = await host.CreateDbContextAsync();
        (await after.WebhookDeliveries.SingleAsync(d => d.Id == failed[1].Id, Ct)).Attempts.ShouldBe(2);
        (await after.AuditEvents.SingleAsync(e => e.Type == AuditEventType.WebhookDeliveryRetried, Ct)).ActorName.ShouldBe("admin@example.com");
    }

    [Fact]
    public async Task AnExportOfACapturedChat_AddsOnlyWhatTheWebhookDidNotCapture()
    {
        await using var host = await StartAsync();
        // 09:00 and 09:01 UTC; London is on GMT in early March.
        await DeliverAsync(host, Inbound(Text("wamid.a", T0.AddSeconds(12), "Morning, any update on the order?"), Text("wamid.b", T0.AddSeconds(75), "Thanks")));
        using var files = new ExportFiles();
        var export = files.Text($"WhatsApp Chat with {CustomerName}.txt", $"""
            02/03/2026, 09:00 - {CustomerName}: Morning, any update on the order?
            02/03/2026, 09:00 - Sales desk: Shipping today
            02/03/2026, 09:01 - {CustomerName}: Thanks
            """);

        var result = await host.Get<ExportImportService>().ImportAsync(
            export, Path.GetFileName(export), new ImportOptions("Europe/London", "officer@example.com"),
            new AuditActor("officer-id", "officer@example.com", null), ct: Ct);

        (result.MessagesAdded, result.MessagesAlreadyPresent, result.MessagesLinkedToCaptured).ShouldBe((1, 2, 2));
        var messages = await MessagesAsync(host);
        messages.Select(m => (m.Source, m.Body)).ShouldBe(
        [
            (MessageSource.Webhook, "Morning, any update on the order?"),
            (MessageSource.Webhook, "Thanks"),
            (MessageSource.Export, "Shipping today"),
        ]);
        messages.Select(m => m.ConversationId).Distinct().Count().ShouldBe(1);
        (await host.Get<ArchiveChainVerifier>().VerifyAsync(Ct)).ShouldAllBe(r => r.IsIntact);
    }

    [Fact]
    public async Task AnExportNamingPeopleItsOwnWay_LinksEachCapturedMessageToItsLine_BySenderToo_AndKeepsBothSources()
    {
        await using var host = await StartAsync();
        await DeliverAsync(host,
            Inbound(Text("wamid.a", T0.AddSeconds(12), "Morning, any update on the order?")),
            Echoes(Echo("wamid.e", T0.AddSeconds(40), "text", new JsonObject { ["body"] = "Shipping today" })),
            Inbound(Text("wamid.b", T0.AddSeconds(75), "ok")));
        using var files = new ExportFiles();
        // The custodian's phone names the customer "Ana (Acme)" and the desk by the custodian's own name.
        var export = files.Text($"WhatsApp Chat with {CustomerName}.txt", """
            02/03/2026, 09:00 - Ana (Acme): Morning, any update on the order?
            02/03/2026, 09:00 - Alex Kim: Shipping today
            02/03/2026, 09:01 - Alex Kim: ok
            02/03/2026, 09:01 - Ana (Acme): ok
            02/03/2026, 09:02 - Ana (Acme): Great
            """);
        var officer = new AuditActor("officer-id", "officer@example.com", null);
        var options = new ImportOptions("Europe/London", "officer@example.com");

        var result = await host.Get<ExportImportService>().ImportAsync(export, Path.GetFileName(export), options, officer, ct: Ct);

        // Alex's "ok" has the same minute and text as Ana's captured one, but Alex is the desk: a message of its own.
        (result.MessagesAdded, result.MessagesAlreadyPresent, result.MessagesLinkedToCaptured).ShouldBe((2, 3, 3));
        await using var db = await host.CreateDbContextAsync();
        var messages = await db.ChatMessages.OrderBy(m => m.Id).ToListAsync(Ct);
        messages.Select(m => (m.Source, m.Body)).ShouldBe(
        [
            (MessageSource.Webhook, "Morning, any update on the order?"),
            (MessageSource.Webhook, "Shipping today"),
            (MessageSource.Webhook, "ok"),
            (MessageSource.Export, "ok"),
            (MessageSource.Export, "Great"),
        ]);
        // The export's names were matched to the captured people, so its new messages are theirs too.
        (messages[3].ParticipantId, messages[4].ParticipantId).ShouldBe((messages[1].ParticipantId, messages[0].ParticipantId));
        (await db.ChatParticipants.CountAsync(Ct)).ShouldBe(2);
        var sources = await db.MessageExportSources.OrderBy(s => s.LineNumber).ToListAsync(Ct);
        sources.Select(s => (s.MessageId, s.LineNumber, s.Author, s.LocalTimestampText)).ShouldBe(
        [
            (messages[0].Id, 1, "Ana (Acme)", "02/03/2026, 09:00"),
            (messages[1].Id, 2, "Alex Kim", "02/03/2026, 09:00"),
            (messages[2].Id, 4, "Ana (Acme)", "02/03/2026, 09:01"),
        ]);
        sources.ShouldAllBe(s => s.ImportBatchId == result.BatchId && s.TimeZoneId == "Europe/London");

        // Each source's provenance is shown with the one message.
        var transcripts = host.Get<ComplianceHub.Core.Transcripts.TranscriptService>();
        var provenance = await transcripts.ProvenanceAsync(messages[0].ConversationId, messages[0].Id, officer, Ct);
        provenance!.RawJson.ShouldNotBeNull();
        provenance.Exports.Single().ShouldBe(new ComplianceHub.Core.Transcripts.ExportSighting(
            result.BatchId, Path.GetFileName(export), 1, "02/03/2026, 09:00", "Europe/London", "Ana (Acme)"));
        var window = await transcripts.AroundAsync(messages[0].ConversationId, null, null, ct: Ct);
        window.Messages.Select(m => (m.Body, m.AlsoExported)).ShouldBe(
            [("Morning, any update on the order?", true), ("Shipping today", true), ("ok", false), ("ok", true), ("Great", false)]);

        // The same export again: every line is known, as a message or as a second source.
        var again = await host.Get<ExportImportService>().ImportAsync(export, Path.GetFileName(export), options, officer, ct: Ct);
        (again.MessagesAdded, again.MessagesAlreadyPresent, again.MessagesLinkedToCaptured).ShouldBe((0, 5, 0));
        (await db.MessageExportSources.CountAsync(Ct)).ShouldBe(3);
        await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"MessageExportSources\"", Ct));

        // Capture goes on after the import appended to the chat: the next delivery, alone, chains after the export's messages.
        var next = await DeliverAsync(host, Inbound(Text("wamid.c", T0.AddMinutes(5), "Thanks again")));
        (next.Messages, next.Failed).ShouldBe((1, 0));
        (await db.ChatMessages.CountAsync(Ct)).ShouldBe(6);
        (await host.Get<ArchiveChainVerifier>().VerifyAsync(Ct)).ShouldAllBe(r => r.IsIntact);
    }
}

public sealed class SqliteWebhookProcessingTests() : WebhookProcessingTests(DatabaseProvider.Sqlite);

public sealed class PostgresWebhookProcessingTests() : WebhookProcessingTests(DatabaseProvider.Postgres);

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject node, Action<JsonObject> change)
    {
        change(node);
        return node;
    }
}
