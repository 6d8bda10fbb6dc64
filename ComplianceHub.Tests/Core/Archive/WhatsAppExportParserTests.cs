using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Archive.Ingestion;

namespace ComplianceHub.Tests.Core.Archive;

public sealed class WhatsAppExportParserTests
{
    private static (ExportLayout Layout, List<ParsedMessage> Messages) Parse(string text, DateOrder? order = null)
    {
        var layout = WhatsAppExportParser.DetectLayout(new StringReader(text), order);
        return (layout, WhatsAppExportParser.ReadMessages(new StringReader(text), layout).ToList());
    }

    /// <summary>One row per header shape in whatsapp-formats.md §1.2: two lines, the expected order and first message.</summary>
    public static TheoryData<string, string, DateOrder, string, string, string> HeaderVariants => new()
    {
        { "Android EN-GB", "18/03/2022, 14:56 - Alex K: Hello\n19/03/2022, 09:05 - Sam: Hi", DateOrder.DayMonthYear, "2022-03-18 14:56:00", "Alex K", "Hello" },
        { "Android US 12h NNBSP", "1/4/23, 7:02\u202FPM - Person 2: hi\n1/15/23, 8:00\u202FAM - Person 1: yo", DateOrder.MonthDayYear, "2023-01-04 19:02:00", "Person 2", "hi" },
        { "Android IN lowercase", "09/10/2023, 11:11\u202Fam - +44 7123 456789: hi\n25/10/2023, 12:05\u202Fpm - Bob: x", DateOrder.DayMonthYear, "2023-10-09 11:11:00", "+44 7123 456789", "hi" },
        { "Android CZ", "18.03.22 14:56 - Alex: ahoj\n19.03.22 08:00 - Eva: cau", DateOrder.DayMonthYear, "2022-03-18 14:56:00", "Alex", "ahoj" },
        { "Android DE dashes", "18-03-2022 14:56 - Alex: hallo\n19-03-2022 08:00 - Eva: tag", DateOrder.DayMonthYear, "2022-03-18 14:56:00", "Alex", "hallo" },
        { "Android RU", "18.03.2022, 14:56 - Саша: привет\n19.03.2022, 08:00 - Ева: да", DateOrder.DayMonthYear, "2022-03-18 14:56:00", "Саша", "привет" },
        { "Android ES p. m. NBSP", "20/6/2017 8:28 p.\u00A0m. - Ana: hola\n21/6/2017 9:00 a.\u00A0m. - Luis: hey", DateOrder.DayMonthYear, "2017-06-20 20:28:00", "Ana", "hola" },
        { "Android ES 12h, hour after midnight as 00", "20/6/2017, 00:08 a.\u202Fm. - Ana: hola\n20/6/2017, 00:15 p.\u202Fm. - Luis: hey", DateOrder.DayMonthYear, "2017-06-20 00:08:00", "Ana", "hola" },
        { "Android ES a. m. NNBSP inside", "20/6/2017, 12:28 a.\u202Fm. - Ana: hola\n21/6/2017, 9:00 p.\u202Fm. - Luis: hey", DateOrder.DayMonthYear, "2017-06-20 00:28:00", "Ana", "hola" },
        { "Android Finnish klo", "13.6.2018 klo 21.25.15 - Aino: moi\n14.6.2018 klo 08.00.00 - Eero: hei", DateOrder.DayMonthYear, "2018-06-13 21:25:15", "Aino", "moi" },
        { "iOS EN US", "[3/27/22, 21:41:35] Maria: hi\n[3/28/22, 08:00:00] Joe: x", DateOrder.MonthDayYear, "2022-03-27 21:41:35", "Maria", "hi" },
        { "iOS FR no comma", "[27/03/2022 21:41:35] Marie: salut\n[28/03/2022 08:00:00] Luc: oui", DateOrder.DayMonthYear, "2022-03-27 21:41:35", "Marie", "salut" },
        { "iOS Indonesian dots", "[27/3/22 21.41.35] Budi: halo\n[28/3/22 08.00.00] Sari: ya", DateOrder.DayMonthYear, "2022-03-27 21:41:35", "Budi", "halo" },
        { "iOS Vietnamese time first", "[21:41:35, 27/3/22] Lan: chào\n[08:00:00, 28/3/22] Minh: ừ", DateOrder.DayMonthYear, "2022-03-27 21:41:35", "Lan", "chào" },
        { "iOS Arabic RLM", "[\u200F27\u200F/3\u200F/2022\u060C 21:41:35] أحمد: مرحبا\n[\u200F28\u200F/3\u200F/2022\u060C 08:00:00] سارة: أهلا", DateOrder.DayMonthYear, "2022-03-27 21:41:35", "أحمد", "مرحبا" },
        { "iOS Arabic-Indic digits", "[٢٧/٣/٢٠٢٢، ٩:٤١:٣٥\u00A0م] أحمد: مرحبا\n[٢٨/٣/٢٠٢٢، ٨:٠٠:٠٠\u00A0ص] سارة: أهلا", DateOrder.DayMonthYear, "2022-03-27 21:41:35", "أحمد", "مرحبا" },
        { "iOS Buddhist", "[27/3/2565 BE, 21:41:35] Somchai: hi\n[28/3/2565 BE, 08:00:00] Mali: ok", DateOrder.DayMonthYear, "2022-03-27 21:41:35", "Somchai", "hi" },
        { "iOS Japanese era", "[3/27/R4, 21:41:35] Taro: hi\n[3/28/R4, 08:00:00] Hanako: ok", DateOrder.MonthDayYear, "2022-03-27 21:41:35", "Taro", "hi" },
        { "iOS zh y/m/d", "[2024/10/31 15:50:46] 李: 你好\n[2024/11/01 08:00:00] 王: 好", DateOrder.YearMonthDay, "2024-10-31 15:50:46", "李", "你好" },
        { "iOS 12h NNBSP", "[14/10/2021, 3:34:09\u202FPM] Amy: hi\n[15/10/2021, 9:00:00\u202FAM] Ben: ok", DateOrder.DayMonthYear, "2021-10-14 15:34:09", "Amy", "hi" },
        { "Colon terminator", "13.06.18 21.25.15: a: m\n14.06.18 08.00.00: b: n", DateOrder.DayMonthYear, "2018-06-13 21:25:15", "a", "m" },
        { "Croatian spaced dots", "13. 6. 2018. 21:25:15 - a: m\n14. 6. 2018. 08:00:00 - b: n", DateOrder.DayMonthYear, "2018-06-13 21:25:15", "a", "m" },
        { "Android with BOM and LRM", "\uFEFF18/03/2022, 14:56 - \u202A+49 151 2345678\u202C: Hallo\n\u200E19/03/2022, 09:05 - Sam: \u200E<Media omitted>", DateOrder.DayMonthYear, "2022-03-18 14:56:00", "+49 151 2345678", "Hallo" },
    };

    [Theory]
    [MemberData(nameof(HeaderVariants))]
    public void Parse_EachHeaderVariant_ReadsOrderTimeAuthorAndBody(string variant, string text, DateOrder order, string firstLocal, string author, string body)
    {
        var (layout, messages) = Parse(text);

        layout.DateOrder.ShouldBe(order, variant);
        messages.Count.ShouldBe(2, variant);
        messages[0].LocalTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture).ShouldBe(firstLocal, variant);
        messages[0].Author.ShouldBe(author, variant);
        messages[0].Body.ShouldBe(body, variant);
        messages[0].Kind.ShouldBe(MessageKind.Text, variant);
        messages.Select(m => m.Position).ShouldBe([1, 2]);
    }

    [Fact]
    public void Parse_TwelveHourClockCountingFromZero_ReadsNoonAsHourZeroPm()
    {
        var (_, messages) = Parse("20/6/2017, 00:08 a.\u202Fm. - Ana: hola\n20/6/2017, 00:15 p.\u202Fm. - Luis: hey\n20/6/2017, 11:59 p.\u202Fm. - Ana: bye");

        messages.Select(m => m.LocalTime.TimeOfDay).ShouldBe([new TimeSpan(0, 8, 0), new TimeSpan(12, 15, 0), new TimeSpan(23, 59, 0)]);
    }

    [Theory]
    [InlineData("18/03/2022, 09:00 - Alex Kim created group \"Trading Desk\"\n18/03/2022, 09:01 - Alex Kim: hi\n19/03/2022, 10:00 - Sam changed the subject from \"Trading Desk\" to \"Rates Desk\"\n19/03/2022, 10:01 - Sam: ok", "Rates Desk")]
    [InlineData("[18/03/2022, 14:56:00] Trading Desk: \u200EMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.\n[18/03/2022, 14:57:00] Alex Kim: Morning", "Trading Desk")]
    [InlineData("18/03/2022, 09:00 - Alex Kim hat die Gruppe „Handel“ erstellt\n18/03/2022, 09:01 - Alex Kim: hallo\n18/03/2022, 09:02 - Alex Kim hat den Betreff zu “Zinsen” geändert", "Zinsen")]
    [InlineData("18/03/2022, 09:00 - Alex Kim hat die Gruppe „Handel“ erstellt\n18/03/2022, 09:01 - Alex Kim: hallo", "Handel")]
    [InlineData("18/03/2022, 09:00 - Alex Kim a créé le groupe « Taux »\n18/03/2022, 09:01 - Alex Kim: salut", "Taux")]
    [InlineData("18/03/2022, 09:00 - Alex Kim: hi\n18/03/2022, 09:01 - Sam: hello", null)]
    public void ExportTitle_FromABareChatText_IsTheGroupsNewestNameOrTheChatNameIosWrites(string text, string? title)
    {
        var (_, messages) = Parse(text);

        ExportTitle.FromMessages(messages).ShouldBe(title);
    }

    [Fact]
    public void Parse_PhoneNumberAuthor_IsNormalizedToE164()
    {
        var (_, messages) = Parse("18/03/2022, 14:56 - \u202A+44 7123 456789\u202C: hi\n18/03/2022, 14:57 - ~\u202FMax Mustermann: hallo\n19/03/2022, 14:57 - Bob 2: x");

        messages[0].AuthorPhone.ShouldBe("+447123456789");
        messages[1].Author.ShouldBe("~\u202FMax Mustermann");
        messages[1].AuthorPhone.ShouldBeNull();
        messages[2].AuthorPhone.ShouldBeNull();
    }

    [Fact]
    public void Parse_AndroidExportWithMultilineMessage_JoinsContinuationLines()
    {
        var text = "18/03/2022, 14:56 - Alex: first line\nsecond line\n\n18/03/2022 is a date in text\n19/03/2022, 09:05 - Sam: next";

        var (_, messages) = Parse(text);

        messages.Count.ShouldBe(2);
        messages[0].Body.ShouldBe("first line\nsecond line\n\n18/03/2022 is a date in text");
        messages[0].LineNumber.ShouldBe(1);
        messages[0].LineCount.ShouldBe(4);
        messages[1].LineNumber.ShouldBe(5);
    }

    [Fact]
    public void Parse_LineInAnotherPlatformsHeaderShape_IsBodyText()
    {
        // A pasted iOS line inside an Android chat continues the previous message.
        var (_, messages) = Parse("18/03/2022, 14:56 - Alex: look\n[18/03/2022, 14:00:00] Sam: pasted\n19/03/2022, 09:05 - Sam: ok");

        messages.Count.ShouldBe(2);
        messages[0].Body.ShouldBe("look\n[18/03/2022, 14:00:00] Sam: pasted");
    }

    [Fact]
    public void Parse_CrLfAndCrLineEndings_AreAllLineBreaks()
    {
        var (_, messages) = Parse("[27/03/2022, 21:41:35] A: one\r\ntwo\r[28/03/2022, 08:00:00] B: three\r\n");

        messages.Select(m => m.Body).ShouldBe(["one\ntwo", "three"]);
    }

    [Theory]
    [InlineData("18/03/2022, 14:56 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.")]
    [InlineData("18/03/2022, 14:56 - Alex created group \"Desk\"")]
    [InlineData("18/03/2022, 14:56 - Alex added Sam")]
    [InlineData("18/03/2022, 14:56 - Sam joined using this group's invite link")]
    [InlineData("18/03/2022, 14:56 - Alex changed the subject from \"Q3: plan\" to \"Q4: plan\"")]
    [InlineData("18/03/2022, 14:56 - Alex hat die Gruppe \"Handel\" erstellt")]
    public void Parse_AndroidNotice_IsASystemMessageWithoutAuthor(string line)
    {
        var (_, messages) = Parse(line + "\n19/03/2022, 09:05 - Sam: hi");

        messages[0].Kind.ShouldBe(MessageKind.System);
        messages[0].Author.ShouldBeNull();
        messages[1].Kind.ShouldBe(MessageKind.Text);
    }

    [Fact]
    public void Parse_IosNoticeWithChatNameAsAuthor_IsASystemMessage()
    {
        var text = "[27/03/2022, 21:41:35] Trading Desk: \u200EMessages and calls are end-to-end encrypted. No one outside of this chat can read them.\n" +
                   "[27/03/2022, 21:42:00] Trading Desk: \u200EMaria added Joe\n" +
                   "[27/03/2022, 21:43:00] Maria: I added Joe to the desk\n" +
                   "[27/03/2022, 21:44:00] Joe: \u200Eimage omitted";

        var (_, messages) = Parse(text);

        messages.Select(m => m.Kind).ShouldBe([MessageKind.System, MessageKind.System, MessageKind.Text, MessageKind.Media]);
        messages[0].Author.ShouldBe("Trading Desk");
        messages[1].Body.ShouldBe("Maria added Joe");
    }

    public static TheoryData<string, MessageKind, string?, bool> Bodies => new()
    {
        { "<Media omitted>", MessageKind.Media, null, false },
        { "<Medien ausgeschlossen>", MessageKind.Media, null, false },
        { "<Médias omis>", MessageKind.Media, null, false },
        { "\u200Eimage omitted", MessageKind.Media, null, false },
        { "\u200EBild weggelassen", MessageKind.Media, null, false },
        { "Resume.pdf • \u200E2 pages \u200Edocument omitted", MessageKind.Media, null, false },
        { "\u200EContact card omitted", MessageKind.Contact, null, false },
        { "\u200E<attached: 00000035-PHOTO-2022-03-27-21-41-55.jpg>", MessageKind.Media, "00000035-PHOTO-2022-03-27-21-41-55.jpg", false },
        { "Some file.txt \u200E<attached: 00000046-Some file.txt>", MessageKind.Media, "00000046-Some file.txt", false },
        { "2015-08-04-PHOTO-00004762.jpg <\u200Eattached>", MessageKind.Media, "2015-08-04-PHOTO-00004762.jpg", false },
        { "IMG-20220323-WA0002.jpg (file attached)\nthe caption", MessageKind.Media, "IMG-20220323-WA0002.jpg", false },
        { "PTT-20220323-WA0003.opus (Datei angehängt)", MessageKind.Media, "PTT-20220323-WA0003.opus", false },
        { "DOC-20220323-WA0004.pdf (fichier joint)", MessageKind.Media, "DOC-20220323-WA0004.pdf", false },
        { "VID-20220323-WA0005.mp4 (archivo adjunto)", MessageKind.Media, "VID-20220323-WA0005.mp4", false },
        { "STK-20220323-WA0006.webp (arquivo anexado)", MessageKind.Media, "STK-20220323-WA0006.webp", false },
        { "Alex Kim.vcf (file attached)", MessageKind.Contact, "Alex Kim.vcf", false },
        { "IMG-20240402-WA0007.jpg (soubor byl přiložen)", MessageKind.Media, "IMG-20240402-WA0007.jpg", false },
        { "PTT-20240402-WA0008.opus (файл добавлен)\nголосовое", MessageKind.Media, "PTT-20240402-WA0008.opus", false },
        { "DOC-20240402-WA0009.pdf (bestand bijgevoegd)", MessageKind.Media, "DOC-20240402-WA0009.pdf", false },
        { "Jan Novák.vcf (soubor byl přiložen)", MessageKind.Contact, "Jan Novák.vcf", false },
        { "\u200EVID-20240402-WA0010.mp4 (plik załączony)", MessageKind.Media, "VID-20240402-WA0010.mp4", false },
        { "STK-20240402-WA0011.webp (ملف مرفق)", MessageKind.Media, "STK-20240402-WA0011.webp", false },
        { "IMG-20240402-WA0012.jpg (was 3 MB, see 2.1)", MessageKind.Text, null, false },
        { "report.pdf (sent yesterday)", MessageKind.Text, null, false },
        { "This message was deleted", MessageKind.Deleted, null, false },
        { "\u200EYou deleted this message.", MessageKind.Deleted, null, false },
        { "Diese Nachricht wurde gelöscht", MessageKind.Deleted, null, false },
        { "Ce message a été supprimé", MessageKind.Deleted, null, false },
        { "Se eliminó este mensaje", MessageKind.Deleted, null, false },
        { "Esta mensagem foi apagada", MessageKind.Deleted, null, false },
        { "POLL:\nLunch?\nOPTION: Pizza (2 votes)\nOPTION: Sushi (1 vote)", MessageKind.Poll, null, false },
        { "UMFRAGE:\nMittag?\nOPTION: Pizza (2 Stimmen)", MessageKind.Poll, null, false },
        { "location: https://maps.google.com/?q=51.5074,-0.1278", MessageKind.Location, null, false },
        { "\u200ELocation: https://maps.google.com/?q=51.5074,-0.1278", MessageKind.Location, null, false },
        { "Standort: https://maps.google.com/?q=52.52,13.40", MessageKind.Location, null, false },
        { "Blue Bottle\nLondon, UK\nhttps://foursquare.com/v/4b0588", MessageKind.Location, null, false },
        { "null", MessageKind.Media, null, false },
        { "Price moved, call me <This message was edited>", MessageKind.Text, null, true },
        { "Preis ist gestiegen <Diese Nachricht wurde bearbeitet>", MessageKind.Text, null, true },
        { "Le prix a bougé <Ce message a été modifié>", MessageKind.Text, null, true },
        { "The file was omitted from the report", MessageKind.Text, null, false },
        { "I deleted this message from my notes", MessageKind.Text, null, false },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Parse_SpecialBodies_AreClassified(string body, MessageKind kind, string? file, bool edited)
    {
        var (_, messages) = Parse($"18/03/2022, 14:56 - Alex: {body}\n19/03/2022, 09:05 - Sam: end");

        messages[0].Kind.ShouldBe(kind);
        messages[0].AttachmentFileName.ShouldBe(file);
        messages[0].IsEdited.ShouldBe(edited);
        if (edited)
        {
            messages[0].Body.ShouldNotContain("<");
        }
    }

    [Fact]
    public void DetectLayout_NoNumberOver12_InfersFromDecreasingFirstNumber_AndFlagsAmbiguity()
    {
        // 10/1 → 2/2 → 5/2: the first number falls within a year, so it is the day.
        var (layout, messages) = Parse("10/1/2023, 10:00 - A: x\n2/2/2023, 10:00 - B: y\n5/2/2023, 10:00 - A: z");

        layout.DateOrder.ShouldBe(DateOrder.DayMonthYear);
        layout.DateOrderAmbiguous.ShouldBeTrue();
        messages[1].LocalTime.ShouldBe(new DateTime(2023, 2, 2, 10, 0, 0));
    }

    [Fact]
    public void DetectLayout_NoNumberOver12_SecondNumberChangingMore_MeansMonthFirst()
    {
        var (layout, _) = Parse("1/2/2023, 10:00 - A: x\n1/5/2023, 10:00 - B: y\n1/9/2023, 10:00 - A: z");

        layout.DateOrder.ShouldBe(DateOrder.MonthDayYear);
        layout.DateOrderAmbiguous.ShouldBeTrue();
    }

    [Fact]
    public void DetectLayout_Override_WinsOverInference()
    {
        var (layout, messages) = Parse("1/2/2023, 10:00 - A: x\n1/5/2023, 10:00 - B: y", DateOrder.DayMonthYear);

        layout.DateOrder.ShouldBe(DateOrder.DayMonthYear);
        layout.DateOrderOverridden.ShouldBeTrue();
        layout.DateOrderAmbiguous.ShouldBeFalse();
        messages[1].LocalTime.ShouldBe(new DateTime(2023, 5, 1, 10, 0, 0));
    }

    [Theory]
    [InlineData("Hello there\n18/03/2022, 14:56 - A: x", 1, "not a WhatsApp chat export")]
    [InlineData("", 0, "no WhatsApp messages")]
    [InlineData("\n\n\n", 0, "no WhatsApp messages")]
    [InlineData("13/05/2022, 14:56 - A: x\n05/13/2022, 14:56 - B: y", 2, "neither as day/month nor as month/day")]
    public void DetectLayout_NotAnExport_SaysWhereAndWhy(string text, int line, string reason)
    {
        var ex = Should.Throw<ExportFormatException>(() => WhatsAppExportParser.DetectLayout(new StringReader(text)));

        ex.LineNumber.ShouldBe(line);
        ex.Message.ShouldContain(reason);
    }

    [Theory]
    [InlineData("18/03/2022, 14:56 - A: x\n31/02/2022, 10:00 - B: y", 2, "'31/02/2022, 10:00' is not a valid date")]
    [InlineData("18/03/2022, 14:56 - A: x\n19/03/2022, 25:00 - B: y", 2, "not a valid date and time")]
    [InlineData("[18/03/2022, 1:56:00 PM] A: x\n[19/03/2022, 13:00:00 PM] B: y", 2, "hour 13")]
    public void ReadMessages_HeaderThatCannotBePlaced_NamesTheLine(string text, int line, string reason)
    {
        var layout = WhatsAppExportParser.DetectLayout(new StringReader(text));

        var ex = Should.Throw<ExportFormatException>(() => WhatsAppExportParser.ReadMessages(new StringReader(text), layout).ToList());

        ex.LineNumber.ShouldBe(line);
        ex.Message.ShouldContain(reason);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")]
    public void DetectLayout_FromBytes_AgreesWithTheReaderAcrossBufferBoundaries(string newline)
    {
        // Long enough to cross several 64 KB reads, with multi-line bodies and a contradiction near the end.
        var text = new System.Text.StringBuilder("\uFEFF");
        for (var i = 0; i < 6000; i++)
        {
            var day = (i % 12) + 1;
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{day:00}/03/2022, 10:{i % 60:00} - Alex: message {i} with some padding text").Append(newline);
            if (i % 10 == 0)
            {
                text.Append("a continuation line").Append(newline);
            }
        }

        text.Append("13/05/2022, 10:00 - Alex: day first").Append(newline).Append("05/14/2022, 10:00 - Sam: month first");
        var input = text.ToString();

        var fromReader = Should.Throw<ExportFormatException>(() => WhatsAppExportParser.DetectLayout(new StringReader(input)));
        var fromBytes = Should.Throw<ExportFormatException>(() =>
            WhatsAppExportParser.DetectLayout(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(input))));

        fromBytes.LineNumber.ShouldBe(fromReader.LineNumber);
        fromBytes.LineNumber.ShouldBe(6602);
        var valid = input[..input.LastIndexOf("05/14", StringComparison.Ordinal)];
        WhatsAppExportParser.DetectLayout(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(valid)))
            .ShouldBe(WhatsAppExportParser.DetectLayout(new StringReader(valid)));
    }
}
