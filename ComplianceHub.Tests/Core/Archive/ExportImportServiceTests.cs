using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Core.Archive;

public abstract class ExportImportServiceTests(DatabaseProvider provider) : IDisposable
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.1.2.3");
    private readonly ExportFiles _files = new();

    public void Dispose() => _files.Dispose();

    private const string TradingDesk = """
        18/03/2022, 08:59 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.
        18/03/2022, 09:00 - Alex Kim created group "Trading Desk"
        18/03/2022, 09:01 - Alex Kim: Morning all, Bund futures opening soft
        18/03/2022, 09:02 - +44 7700 900123: Copy. Client wants 50 lots at 167.20
        limit good for the day
        18/03/2022, 09:03 - Sam Patel: IMG-20220318-WA0001.jpg (file attached)
        chart from this morning
        18/03/2022, 09:04 - Alex Kim: This message was deleted
        18/03/2022, 09:05 - Sam Patel: Filled at 167.18 <This message was edited>
        """;

    private static ImportOptions London => new("Europe/London", "alex.kim@example.com");

    [Fact]
    public async Task Import_AndroidText_StoresConversationParticipantsAndMessagesInFileOrder()
    {
        await using var host = await TestHost.StartAsync(provider);
        var path = _files.Text("WhatsApp Chat with Trading Desk.txt", TradingDesk);

        var result = await host.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat with Trading Desk.txt", London, Officer, ct: TestContext.Current.CancellationToken);

        result.ChatTitle.ShouldBe("Trading Desk");
        result.MessagesInFile.ShouldBe(7);
        result.MessagesAdded.ShouldBe(7);
        result.AttachmentsMissing.ShouldBe(1);
        await using var db = await host.CreateDbContextAsync();
        var conversation = await db.Conversations.Include(c => c.Custodians).SingleAsync(TestContext.Current.CancellationToken);
        conversation.Kind.ShouldBe(ConversationKind.Group);
        conversation.Custodians.Single().Email.ShouldBe("alex.kim@example.com");
        var messages = await db.ChatMessages.Include(m => m.Attachments).OrderBy(m => m.ChainSequence).ToListAsync(TestContext.Current.CancellationToken);
        messages.Select(m => m.Kind).ShouldBe([MessageKind.System, MessageKind.System, MessageKind.Text, MessageKind.Text, MessageKind.Media, MessageKind.Deleted, MessageKind.Text]);
        messages[3].Body.ShouldBe("Copy. Client wants 50 lots at 167.20\nlimit good for the day");
        messages[3].LineNumber.ShouldBe(4);
        messages[3].LocalTimestampText.ShouldBe("18/03/2022, 09:02");
        messages[3].SentAt.ShouldBe(new DateTimeOffset(2022, 3, 18, 9, 2, 0, TimeSpan.Zero)); // GMT in March before BST
        messages[3].Source.ShouldBe(MessageSource.Export);
        messages[4].Attachments.Single().Status.ShouldBe(AttachmentStatus.Missing);
        messages[4].Attachments.Single().FileName.ShouldBe("IMG-20220318-WA0001.jpg");
        messages[6].IsEdited.ShouldBeTrue();
        messages[6].Body.ShouldBe("Filled at 167.18");
        var participants = await db.ChatParticipants.OrderBy(p => p.DisplayName).ToListAsync(TestContext.Current.CancellationToken);
        participants.Select(p => p.DisplayName).ShouldBe(["+44 7700 900123", "Alex Kim", "Sam Patel"]);
        participants[0].PhoneE164.ShouldBe("+447700900123");
    }

    [Fact]
    public async Task Import_KeepsTheOriginalByteForByte_AndAuditsTheBatch()
    {
        await using var host = await TestHost.StartAsync(provider);
        var path = _files.Text("WhatsApp Chat with Trading Desk.txt", TradingDesk);

        var result = await host.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat with Trading Desk.txt", London, Officer, ct: TestContext.Current.CancellationToken);

        var expectedSha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken)));
        await using var db = await host.CreateDbContextAsync();
        var batch = await db.ImportBatches.SingleAsync(TestContext.Current.CancellationToken);
        batch.Id.ShouldBe(result.BatchId);
        batch.OriginalSha256.ShouldBe(expectedSha);
        batch.TimeZoneId.ShouldBe("Europe/London");
        batch.DetectedFormat.ShouldBe("Android d/m/y, 24h");
        batch.MessagesAdded.ShouldBe(7);
        batch.SystemMessages.ShouldBe(2);
        await using (var original = await host.Get<IBlobStore>().OpenReadAsync(expectedSha, TestContext.Current.CancellationToken))
        {
            original.ShouldNotBeNull();
            using var copy = new MemoryStream();
            await original.CopyToAsync(copy, TestContext.Current.CancellationToken);
            copy.ToArray().ShouldBe(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
        }

        var imported = await db.AuditEvents.SingleAsync(e => e.Type == AuditEventType.ExportImported, TestContext.Current.CancellationToken);
        imported.ActorName.ShouldBe("officer@example.com");
        imported.SubjectId.ShouldBe(result.BatchId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        imported.Details!.ShouldContain(expectedSha);
    }

    [Fact]
    public async Task Import_IosZipWithMedia_StoresAttachmentsInTheBlobStoreAndLinksThem()
    {
        await using var host = await TestHost.StartAsync(provider);
        var photo = RandomNumberGenerator.GetBytes(4096);
        var chat = "[27/03/2022, 21:41:35] Maria Silva: \u200ENachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt.\r\n" +
                   "[27/03/2022, 21:41:55] Maria Silva: \u200E<attached: 00000035-PHOTO-2022-03-27-21-41-55.jpg>\r\n" +
                   "[27/03/2022, 21:42:10] Joe Bloggs: Nice. Contract attached\r\n" +
                   "[27/03/2022, 21:43:00] Joe Bloggs: Contract.pdf \u200E<attached: 00000036-Contract.pdf>\r\n";
        var path = _files.Zip("WhatsApp Chat - Maria Silva.zip", "_chat.txt", chat, ("00000035-PHOTO-2022-03-27-21-41-55.jpg", photo));

        var result = await host.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat - Maria Silva.zip", new ImportOptions("Europe/Lisbon"), Officer, ct: TestContext.Current.CancellationToken);

        result.ChatTitle.ShouldBe("Maria Silva");
        (await host.Get<ArchiveQueryService>().ListConversationsAsync(TestContext.Current.CancellationToken)).Single().Kind.ShouldBe(ConversationKind.Direct);
        result.AttachmentsStored.ShouldBe(1);
        result.AttachmentsMissing.ShouldBe(1);
        result.Warnings.ShouldContain(w => w.Contains("00000036-Contract.pdf", StringComparison.Ordinal));
        await using var db = await host.CreateDbContextAsync();
        var attachments = await db.ChatAttachments.OrderBy(a => a.MessageId).ToListAsync(TestContext.Current.CancellationToken);
        attachments[0].Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(photo)));
        attachments[0].Length.ShouldBe(4096);
        attachments[0].MediaType.ShouldBe("image/jpeg");
        (await host.Get<IBlobStore>().ExistsAsync(attachments[0].Sha256!, TestContext.Current.CancellationToken)).ShouldBeTrue();
        attachments[1].Status.ShouldBe(AttachmentStatus.Missing);
        (await db.ChatMessages.FirstAsync(TestContext.Current.CancellationToken)).Kind.ShouldBe(MessageKind.System);
    }

    [Fact]
    public async Task Import_AndroidZipWithMedia_LinksTheFilesAndTheirCaptions()
    {
        await using var host = await TestHost.StartAsync(provider);
        var voice = RandomNumberGenerator.GetBytes(1500);
        var chat = "02/04/2024, 10:00 - Jan: PTT-20240402-WA0001.opus (file attached)\n" +
                   "02/04/2024, 10:01 - Jan: DOC-20240402-WA0002.pdf (file attached)\nterm sheet v2\n" +
                   "02/04/2024, 10:02 - Eva: Jan Novak.vcf (file attached)";
        var path = _files.Zip("WhatsApp Chat with Jan.zip", "WhatsApp Chat with Jan.txt", chat,
            ("PTT-20240402-WA0001.opus", voice), ("DOC-20240402-WA0002.pdf", "%PDF-1.7 synthetic"u8.ToArray()), ("Jan Novak.vcf", "BEGIN:VCARD\nEND:VCARD"u8.ToArray()));

        var result = await host.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat with Jan.zip", new ImportOptions("Europe/Prague"), Officer, ct: TestContext.Current.CancellationToken);

        result.ChatTitle.ShouldBe("Jan");
        result.AttachmentsStored.ShouldBe(3);
        result.AttachmentsMissing.ShouldBe(0);
        await using var db = await host.CreateDbContextAsync();
        var messages = await db.ChatMessages.Include(m => m.Attachments).OrderBy(m => m.ChainSequence).ToListAsync(TestContext.Current.CancellationToken);
        messages.Select(m => m.Kind).ShouldBe([MessageKind.Media, MessageKind.Media, MessageKind.Contact]);
        messages[0].Attachments.Single().MediaType.ShouldBe("audio/ogg");
        messages[0].Attachments.Single().Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(voice)));
        messages[1].Body.ShouldEndWith("\nterm sheet v2");
        messages[2].Attachments.Single().MediaType.ShouldBe("text/vcard");
    }

    [Theory]
    [InlineData("cs", "soubor byl přiložen")]
    [InlineData("ru", "файл добавлен")]
    [InlineData("nl", "bestand bijgevoegd")]
    [InlineData("pl", "plik załączony")]
    public async Task Import_AndroidZipInAnotherLanguage_LinksItsFiles(string language, string marker)
    {
        await using var host = await TestHost.StartAsync(provider);
        var photo = RandomNumberGenerator.GetBytes(900);
        var chat = $"02.04.24 10:00 - Jan: IMG-20240402-WA0001.jpg ({marker})\nfoto\n" +
                   $"02.04.24 10:01 - Eva: PTT-20240402-WA0002.opus ({marker})\n" +
                   "02.04.24 10:02 - Jan: ok";
        var path = _files.Zip($"chat-{language}.zip", "WhatsApp Chat with Jan.txt", chat,
            ("IMG-20240402-WA0001.jpg", photo), ("PTT-20240402-WA0002.opus", RandomNumberGenerator.GetBytes(700)));

        var result = await host.Get<ExportImportService>().ImportAsync(path, $"chat-{language}.zip", new ImportOptions("Europe/Prague"), Officer, ct: TestContext.Current.CancellationToken);

        (result.AttachmentsStored, result.AttachmentsMissing).ShouldBe((2, 0));
        await using var db = await host.CreateDbContextAsync();
        var messages = await db.ChatMessages.Include(m => m.Attachments).OrderBy(m => m.ChainSequence).ToListAsync(TestContext.Current.CancellationToken);
        messages.Select(m => m.Kind).ShouldBe([MessageKind.Media, MessageKind.Media, MessageKind.Text]);
        messages[0].Attachments.Single().Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(photo)));
        messages[0].Body.ShouldEndWith("\nfoto");
    }

    [Theory]
    [InlineData("utf-16LE")]
    [InlineData("utf-16BE")]
    public async Task Import_Utf16ExportWithByteOrderMark_IsReadLikeUtf8_AndKeptByteForByte(string encodingName)
    {
        // Arrange: the same chat re-saved as UTF-16 by a desktop tool.
        await using var host = await TestHost.StartAsync(provider);
        var encoding = System.Text.Encoding.GetEncoding(encodingName);
        var path = _files.Text("WhatsApp Chat with Trading Desk.txt", TradingDesk, encoding);

        // Act
        var preview = await host.Get<ExportImportService>().PreviewAsync(path, "WhatsApp Chat with Trading Desk.txt", London, TestContext.Current.CancellationToken);
        var result = await host.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat with Trading Desk.txt", London, Officer, ct: TestContext.Current.CancellationToken);

        // Assert
        preview.Authors.ShouldContain("Alex Kim");
        result.MessagesInFile.ShouldBe(preview.Messages);
        await using var db = await host.CreateDbContextAsync();
        var bodies = await db.ChatMessages.OrderBy(m => m.ChainSequence).Select(m => m.Body).ToListAsync(TestContext.Current.CancellationToken);
        bodies.ShouldContain("Copy. Client wants 50 lots at 167.20\nlimit good for the day");
        var batch = await db.ImportBatches.SingleAsync(TestContext.Current.CancellationToken);
        batch.OriginalSha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken))));
    }

    [Fact]
    public async Task Import_BareChatTextFromAnIosZip_TakesItsTitleFromTheChat()
    {
        await using var host = await TestHost.StartAsync(provider);
        var chat = "[18/03/2022, 14:56:00] Trading Desk: \u200EMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.\n" +
                   "[18/03/2022, 14:57:00] Alex Kim: Morning\n[18/03/2022, 14:58:00] Sam Patel: Hi";
        var path = _files.Text("_chat.txt", chat);

        var preview = await host.Get<ExportImportService>().PreviewAsync(path, "_chat.txt", London, TestContext.Current.CancellationToken);
        var result = await host.Get<ExportImportService>().ImportAsync(path, "_chat.txt", London, Officer, ct: TestContext.Current.CancellationToken);

        (preview.ChatTitle, result.ChatTitle).ShouldBe(("Trading Desk", "Trading Desk"));
        await using var db = await host.CreateDbContextAsync();
        (await db.Conversations.SingleAsync(TestContext.Current.CancellationToken)).Title.ShouldBe("Trading Desk");
    }

    [Fact]
    public async Task Import_SameFileTwice_AddsNothingTheSecondTime()
    {
        await using var host = await TestHost.StartAsync(provider);
        var path = _files.Text("WhatsApp Chat with Trading Desk.txt", TradingDesk);
        var imports = host.Get<ExportImportService>();
        await imports.ImportAsync(path, "WhatsApp Chat with Trading Desk.txt", London, Officer, ct: TestContext.Current.CancellationToken);

        var again = await imports.ImportAsync(path, "WhatsApp Chat with Trading Desk.txt", London, Officer, ct: TestContext.Current.CancellationToken);

        again.MessagesAdded.ShouldBe(0);
        again.MessagesAlreadyPresent.ShouldBe(7);
        await using var db = await host.CreateDbContextAsync();
        (await db.ChatMessages.CountAsync(TestContext.Current.CancellationToken)).ShouldBe(7);
        (await db.Conversations.CountAsync(TestContext.Current.CancellationToken)).ShouldBe(1);
        (await db.ImportBatches.CountAsync(TestContext.Current.CancellationToken)).ShouldBe(2);
    }

    [Fact]
    public async Task Import_OverlappingLaterExport_AddsOnlyTheNewMessages_AndTheChainStaysIntact()
    {
        await using var host = await TestHost.StartAsync(provider);
        var imports = host.Get<ExportImportService>();
        var first = _files.Text("WhatsApp Chat with Trading Desk.txt", TradingDesk);
        await imports.ImportAsync(first, "WhatsApp Chat with Trading Desk.txt", London, Officer, ct: TestContext.Current.CancellationToken);
        var later = TradingDesk.Split('\n').Skip(5) // the later export starts mid-chat (the cap dropped the start)
            .Append("18/03/2022, 09:05 - Alex Kim: ok")
            .Append("18/03/2022, 09:05 - Alex Kim: ok")
            .Append("19/03/2022, 08:00 - Sam Patel: Morning");
        var second = _files.Text("later/WhatsApp Chat with Trading Desk.txt".Replace('/', '-'), string.Join('\n', later));

        var result = await imports.ImportAsync(second, "WhatsApp Chat with Trading Desk.txt", London, Officer, ct: TestContext.Current.CancellationToken);

        result.MessagesAlreadyPresent.ShouldBe(3);
        result.MessagesAdded.ShouldBe(3); // two identical "ok" in one minute are two messages
        var verified = (await host.Get<ArchiveChainVerifier>().VerifyAsync(TestContext.Current.CancellationToken)).Single();
        verified.IsIntact.ShouldBeTrue(verified.Problem);
        verified.RecordsChecked.ShouldBe(10);
    }

    [Fact]
    public async Task Import_LineThatCannotBePlaced_StoresNothing_RemovesTheOriginal_AndAuditsTheRejection()
    {
        await using var host = await TestHost.StartAsync(provider);
        var broken = TradingDesk + "\n31/02/2022, 09:06 - Sam Patel: impossible date";
        var path = _files.Text("WhatsApp Chat with Trading Desk.txt", broken);

        var ex = await Should.ThrowAsync<ExportFormatException>(() =>
            host.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat with Trading Desk.txt", London, Officer, ct: TestContext.Current.CancellationToken));

        ex.LineNumber.ShouldBe(10);
        ex.Message.ShouldContain("'31/02/2022, 09:06' is not a valid date");
        await using var db = await host.CreateDbContextAsync();
        (await db.ChatMessages.CountAsync(TestContext.Current.CancellationToken)).ShouldBe(0);
        (await db.Conversations.CountAsync(TestContext.Current.CancellationToken)).ShouldBe(0);
        (await db.ImportBatches.CountAsync(TestContext.Current.CancellationToken)).ShouldBe(0);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(broken)));
        (await host.Get<IBlobStore>().ExistsAsync(sha, TestContext.Current.CancellationToken)).ShouldBeFalse();
        var rejected = await db.AuditEvents.SingleAsync(e => e.Type == AuditEventType.ExportRejected, TestContext.Current.CancellationToken);
        rejected.Details!.ShouldContain("line 10");
    }

    [Fact]
    public async Task Import_ALineLongerThanAnyMessage_IsRefusedNamingIt_AndStoresNothing()
    {
        await using var host = await TestHost.StartAsync(provider);
        var path = _files.Text("WhatsApp Chat with Trading Desk.txt", TradingDesk + "\n18/03/2022, 09:07 - Sam Patel: " + new string('x', WhatsAppExportParser.MaxLineBytes + 10));

        var ex = await Should.ThrowAsync<ExportFormatException>(() =>
            host.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat with Trading Desk.txt", London, Officer, ct: TestContext.Current.CancellationToken));

        ex.LineNumber.ShouldBe(10);
        ex.Message.ShouldContain("longer than 1,048,576 bytes");
        await using var db = await host.CreateDbContextAsync();
        (await db.ChatMessages.CountAsync(TestContext.Current.CancellationToken)).ShouldBe(0);
    }

    [Fact]
    public async Task Import_AMessageRunningPastAnyMessagesLength_IsRefusedNamingWhereItStarts()
    {
        await using var host = await TestHost.StartAsync(provider);
        var lines = string.Concat(Enumerable.Repeat("\nno header on this continuation line, " + new string('y', 200), 5000));
        var path = _files.Text("WhatsApp Chat with Trading Desk.txt", TradingDesk + "\n18/03/2022, 09:07 - Sam Patel: a start" + lines);

        var ex = await Should.ThrowAsync<ExportFormatException>(() =>
            host.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat with Trading Desk.txt", London, Officer, ct: TestContext.Current.CancellationToken));

        ex.LineNumber.ShouldBe(10);
        ex.Message.ShouldContain("runs past 1,048,576 characters");
        await using var db = await host.CreateDbContextAsync();
        (await db.ChatMessages.CountAsync(TestContext.Current.CancellationToken)).ShouldBe(0);
    }

    [Fact]
    public async Task Import_UnknownTimeZone_IsRefusedBeforeAnythingIsRead()
    {
        await using var host = await TestHost.StartAsync(provider);
        var path = _files.Text("WhatsApp Chat with Trading Desk.txt", TradingDesk);

        var ex = await Should.ThrowAsync<ComplianceRuleException>(() =>
            host.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat with Trading Desk.txt", new ImportOptions("Mars/Olympus"), Officer, ct: TestContext.Current.CancellationToken));

        ex.Message.ShouldContain("'Mars/Olympus' is not a known IANA time zone");
    }

    [Fact]
    public async Task Import_AcrossDaylightSavingChanges_FlagsTimesThatDidNotExistOrHappenedTwice()
    {
        await using var host = await TestHost.StartAsync(provider);
        var chat = "31/03/2024, 01:59 - Anna: before\n31/03/2024, 02:30 - Anna: in the gap\n31/03/2024, 03:00 - Anna: after\n" +
                   "27/10/2024, 02:30 - Anna: twice\n27/10/2024, 03:30 - Anna: after fall back";
        var path = _files.Text("WhatsApp Chat with Anna.txt", chat);

        var result = await host.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat with Anna.txt", new ImportOptions("Europe/Berlin"), Officer, ct: TestContext.Current.CancellationToken);

        await using var db = await host.CreateDbContextAsync();
        var messages = await db.ChatMessages.OrderBy(m => m.ChainSequence).ToListAsync(TestContext.Current.CancellationToken);
        messages.Select(m => m.TimestampFlag).ShouldBe([TimestampFlag.Exact, TimestampFlag.Nonexistent, TimestampFlag.Exact, TimestampFlag.Ambiguous, TimestampFlag.Exact]);
        messages[0].SentAt.ShouldBe(new DateTimeOffset(2024, 3, 31, 0, 59, 0, TimeSpan.Zero));
        messages[1].SentAt.ShouldBe(new DateTimeOffset(2024, 3, 31, 1, 30, 0, TimeSpan.Zero)); // read at CET (+1), before the gap
        messages[2].SentAt.ShouldBe(new DateTimeOffset(2024, 3, 31, 1, 0, 0, TimeSpan.Zero)); // CEST (+2)
        messages[3].SentAt.ShouldBe(new DateTimeOffset(2024, 10, 27, 0, 30, 0, TimeSpan.Zero)); // first occurrence, CEST
        messages[4].SentAt.ShouldBe(new DateTimeOffset(2024, 10, 27, 2, 30, 0, TimeSpan.Zero)); // CET
        result.Warnings.ShouldContain(w => w.StartsWith("line 2: 31/03/2024, 02:30 did not exist in Europe/Berlin", StringComparison.Ordinal));
        result.Warnings.ShouldContain(w => w.StartsWith("line 4: 27/10/2024, 02:30 happened twice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Import_MessagesAreSearchableAsSoonAsTheyAreStored()
    {
        await using var host = await TestHost.StartAsync(provider);
        var path = _files.Text("WhatsApp Chat with Trading Desk.txt", TradingDesk);

        await host.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat with Trading Desk.txt", London, Officer, ct: TestContext.Current.CancellationToken);

        var hits = await host.SearchAsync("lots");
        hits.Count.ShouldBe(1);
        hits[0].Body.ShouldStartWith("Copy. Client wants 50 lots");
        (await host.SearchAsync("Bund futures")).Count.ShouldBe(1);
        (await host.SearchAsync("nonexistentword")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Import_IosGroupInALanguageNoListKnows_StoresNoticesAsNotices_Flagged_AndTheGroupsNameIsNoParticipant()
    {
        await using var host = await TestHost.StartAsync(provider);
        // Greek: in no phrase list, so only the export's structure tells the notices (the group's name never speaks itself).
        var chat = "[14/03/2024, 09:00:00] Rates Desk: \u200EΤα μηνύματα και οι κλήσεις είναι κρυπτογραφημένα από άκρο σε άκρο.\r\n" +
                   "[15/03/2024, 09:00:00] Alex Kim: Καλημέρα\r\n" +
                   "[15/03/2024, 09:02:00] Nadia: Καλημέρα σε όλους\r\n" +
                   "\u200E[16/03/2024, 10:00:00] Rates Desk: \u200EΟ κωδικός ασφαλείας της Nadia άλλαξε. \u200EΠατήστε για περισσότερα.\r\n" +
                   "[16/03/2024, 10:05:00] Nadia: Προσφορά 4.12";
        var path = _files.Zip("WhatsApp Chat - Rates Desk.zip", "_chat.txt", chat);

        var result = await host.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat - Rates Desk.zip", London, Officer, ct: TestContext.Current.CancellationToken);

        result.Warnings.ShouldContain(w => w.StartsWith("2 line(s) could not be told for certain", StringComparison.Ordinal) && w.Contains("line 1, 4", StringComparison.Ordinal));
        await using var db = await host.CreateDbContextAsync();
        var messages = await db.ChatMessages.OrderBy(m => m.ChainSequence).ToListAsync(TestContext.Current.CancellationToken);
        messages.Select(m => (m.Kind, m.KindUncertain)).ShouldBe(
            [(MessageKind.System, true), (MessageKind.Text, false), (MessageKind.Text, false), (MessageKind.System, true), (MessageKind.Text, false)]);
        messages.Where(m => m.Kind == MessageKind.System).ShouldAllBe(m => m.ParticipantId == null);
        (await db.ChatParticipants.Select(p => p.DisplayName).OrderBy(n => n).ToListAsync(TestContext.Current.CancellationToken)).ShouldBe(["Alex Kim", "Nadia"]);
        (await db.Conversations.SingleAsync(TestContext.Current.CancellationToken)).Kind.ShouldBe(ConversationKind.Group);
        var summary = (await host.Get<ArchiveQueryService>().ListConversationsAsync(TestContext.Current.CancellationToken)).Single();
        (summary.Messages, summary.FirstMessageAt).ShouldBe((3, new DateTimeOffset(2024, 3, 15, 9, 0, 0, TimeSpan.Zero)));
        (await host.Get<ArchiveChainVerifier>().VerifyAsync(TestContext.Current.CancellationToken)).Single().IsIntact.ShouldBeTrue();

        // The flag is part of the record: clearing it afterwards breaks the chain.
        await host.ExecuteSqlAsync(provider == DatabaseProvider.Sqlite ? "DROP TRIGGER ChatMessages_NoUpdate;" : "ALTER TABLE \"ChatMessages\" DISABLE TRIGGER USER;");
        await host.ExecuteSqlAsync(provider == DatabaseProvider.Sqlite
            ? "UPDATE \"ChatMessages\" SET \"KindUncertain\" = 0 WHERE \"ChainSequence\" = 4"
            : "UPDATE \"ChatMessages\" SET \"KindUncertain\" = FALSE WHERE \"ChainSequence\" = 4");
        var verified = (await host.Get<ArchiveChainVerifier>().VerifyAsync(TestContext.Current.CancellationToken)).Single();
        verified.IsIntact.ShouldBeFalse();
        verified.BrokenRecord!.ShouldContain("position 4");
    }

    [Fact]
    public async Task Verify_AfterAMessageBodyIsAlteredInTheDatabase_NamesTheMessage()
    {
        await using var host = await TestHost.StartAsync(provider);
        var path = _files.Text("WhatsApp Chat with Trading Desk.txt", TradingDesk);
        await host.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat with Trading Desk.txt", London, Officer, ct: TestContext.Current.CancellationToken);
        await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync("UPDATE \"ChatMessages\" SET \"Body\" = 'x'"));
        await host.ExecuteSqlAsync(provider == DatabaseProvider.Sqlite
            ? "DROP TRIGGER ChatMessages_NoUpdate;"
            : "ALTER TABLE \"ChatMessages\" DISABLE TRIGGER USER;");

        await host.ExecuteSqlAsync("UPDATE \"ChatMessages\" SET \"Body\" = 'Client wants 5 lots' WHERE \"ChainSequence\" = 4");

        var result = (await host.Get<ArchiveChainVerifier>().VerifyAsync(TestContext.Current.CancellationToken)).Single();
        result.IsIntact.ShouldBeFalse();
        result.BrokenRecord!.ShouldContain("position 4");
        result.Problem.ShouldBe("its content does not match its hash");
    }

    [Fact]
    public async Task Preview_ReportsWhatTheFileHolds_AndStoresNothing()
    {
        await using var host = await TestHost.StartAsync(provider);
        var path = _files.Text("WhatsApp Chat with Trading Desk.txt", TradingDesk);

        var preview = await host.Get<ExportImportService>().PreviewAsync(path, "WhatsApp Chat with Trading Desk.txt", London, TestContext.Current.CancellationToken);

        preview.Format.ShouldBe("Android d/m/y, 24h");
        preview.Messages.ShouldBe(7);
        preview.SystemMessages.ShouldBe(2);
        preview.Authors.ShouldBe(["+44 7700 900123", "Alex Kim", "Sam Patel"]);
        preview.First.ShouldBe(new DateTime(2022, 3, 18, 9, 1, 0));
        preview.Last.ShouldBe(new DateTime(2022, 3, 18, 9, 5, 0));
        preview.MissingAttachments.ShouldBe(["IMG-20220318-WA0001.jpg"]);
        await using var db = await host.CreateDbContextAsync();
        (await db.ChatMessages.CountAsync(TestContext.Current.CancellationToken)).ShouldBe(0);
        Directory.Exists(host.Storage.BlobDirectory).ShouldBeFalse();
    }

    [Fact]
    public async Task ListConversations_AfterImport_ShowsFiguresPerConversation()
    {
        await using var host = await TestHost.StartAsync(provider);
        var path = _files.Text("WhatsApp Chat with Trading Desk.txt", TradingDesk);
        await host.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat with Trading Desk.txt", London, Officer, ct: TestContext.Current.CancellationToken);

        var conversation = (await host.Get<ArchiveQueryService>().ListConversationsAsync(TestContext.Current.CancellationToken)).Single();

        conversation.Title.ShouldBe("Trading Desk");
        conversation.Kind.ShouldBe(ConversationKind.Group);
        conversation.Custodians.ShouldBe(["alex.kim@example.com"]);
        conversation.Participants.ShouldBe(3);
        // The encryption and group-created notices are WhatsApp's, not messages: five messages, from 09:01.
        conversation.Messages.ShouldBe(5);
        conversation.FirstMessageAt.ShouldBe(new DateTimeOffset(2022, 3, 18, 9, 1, 0, TimeSpan.Zero));
        conversation.LastMessageAt.ShouldBe(new DateTimeOffset(2022, 3, 18, 9, 5, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Preview_ChatAtWhatsAppsExportCap_WarnsThatTheEarliestMessagesAreMissing()
    {
        await using var host = await TestHost.StartAsync(provider);
        var lines = Enumerable.Range(0, 39_000).Select(i =>
            $"{new DateTime(2025, 1, 1).AddMinutes(i):dd/MM/yyyy, HH:mm} - {(i % 2 == 0 ? "Ann" : "Ben")}: message {i}");
        var path = _files.Text("WhatsApp Chat with Ann.txt", string.Join('\n', lines));

        var preview = await host.Get<ExportImportService>().PreviewAsync(path, "WhatsApp Chat with Ann.txt", new ImportOptions("UTC"), TestContext.Current.CancellationToken);

        preview.Messages.ShouldBe(39_000);
        preview.Warnings.ShouldContain(w => w.Contains("at WhatsApp's export limit of about 40,000 without media", StringComparison.Ordinal));
    }
}

public sealed class SqliteExportImportServiceTests() : ExportImportServiceTests(DatabaseProvider.Sqlite);

public sealed class PostgresExportImportServiceTests() : ExportImportServiceTests(DatabaseProvider.Postgres);
