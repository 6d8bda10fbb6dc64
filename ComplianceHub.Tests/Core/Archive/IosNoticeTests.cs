using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Archive.Ingestion;

namespace ComplianceHub.Tests.Core.Archive;

/// <summary>
/// iOS exports from phones set to languages beyond the first five: the encryption and security-code notices
/// are notices, never messages or authors, whether or not the phrase lists know the language.
/// </summary>
public sealed class IosNoticeTests
{
    /// <summary>
    /// One iOS phone language: how its header writes a date and time, its encryption notice, its "security code
    /// changed" notice (with {0} for the contact) and "tap to learn more" tail, and its image placeholder.
    /// </summary>
    public sealed record Language(
        string Code, Func<DateTime, string> Header, string Encryption, string SecurityCode, string TapToLearnMore, string ImageOmitted)
    {
        public override string ToString() => Code;
    }

    private static string Dmy(DateTime t, char separator = '/', string between = ", ") =>
        $"[{t:dd}{separator}{t:MM}{separator}{t:yy}{between}{t:HH:mm:ss}]";

    public static TheoryData<Language> Languages => new()
    {
        new Language("cs", t => Dmy(t, '.', " "),
            "Zprávy a hovory jsou koncově šifrované. Nikdo mimo tento chat, dokonce ani WhatsApp, si je nemůže přečíst ani poslechnout.",
            "Váš bezpečnostní kód s uživatelem {0} se změnil.", "Klepnutím zobrazíte více informací.", "obrázek vynechán"),
        new Language("it", t => Dmy(t),
            "I messaggi e le chiamate sono crittografati end-to-end. Nessuno al di fuori di questa chat, nemmeno WhatsApp, può leggerli o ascoltarli.",
            "Il tuo codice di sicurezza con {0} è cambiato.", "Tocca per saperne di più.", "immagine omessa"),
        new Language("ru", t => $"[{t:dd.MM.yyyy}, {t:HH:mm:ss}]",
            "Сообщения и звонки защищены сквозным шифрованием. Никто вне этого чата, даже WhatsApp, не может прочитать или прослушать их.",
            "Ваш код безопасности для {0} изменился.", "Нажмите, чтобы узнать подробнее.", "изображение отсутствует"),
        new Language("uk", t => $"[{t:dd.MM.yy}, {t:HH:mm:ss}]",
            "Повідомлення та дзвінки захищені наскрізним шифруванням. Ніхто поза цим чатом, навіть WhatsApp, не може їх прочитати або прослухати.",
            "Ваш код безпеки з {0} змінився.", "Торкніться, щоб дізнатися більше.", "зображення пропущено"),
        new Language("ar", t => $"[\u200F{t:dd}\u200F/{t:MM}\u200F/{t:yyyy}\u060C {t:HH:mm:ss}]",
            "الرسائل والمكالمات مشفرة تمامًا بين الطرفين. لا أحد خارج هذه الدردشة، ولا حتى واتساب، يمكنه قراءتها أو الاستماع إليها.",
            "تغيّر رمز الأمان الخاص بك مع {0}.", "انقر لمعرفة المزيد.", "الصورة مستبعدة"),
        new Language("hi", t => $"[{t:dd/MM/yy}, {t.ToString("h:mm:ss", System.Globalization.CultureInfo.InvariantCulture)} {(t.Hour < 12 ? "am" : "pm")}]",
            "मैसेज और कॉल एंड-टू-एंड एन्क्रिप्टेड हैं. इस चैट के बाहर कोई भी, WhatsApp भी, उन्हें पढ़ या सुन नहीं सकता.",
            "{0} के साथ आपका सुरक्षा कोड बदल गया है.", "ज़्यादा जानने के लिए टैप करें.", "इमेज छोड़ी गई"),
        new Language("id", t => $"[{t:dd/MM/yy} {t:HH.mm.ss}]",
            "Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya.",
            "Kode keamanan Anda dengan {0} telah berubah.", "Ketuk untuk info selengkapnya.", "gambar tidak disertakan"),
        new Language("ja", t => $"[{t:yyyy/MM/dd} {t:HH:mm:ss}]",
            "メッセージと通話はエンドツーエンドで暗号化されています。このチャットの外部の人は、WhatsAppでさえも、それらを読んだり聞いたりすることはできません。",
            "{0}とのセキュリティコードが変更されました。", "タップして詳細を表示。", "画像は含まれていません"),
        new Language("th", t => $"[{t:dd/MM}/{t.Year + 543} BE, {t:HH:mm:ss}]",
            "ข้อความและการโทรได้รับการเข้ารหัสตั้งแต่ต้นทางถึงปลายทาง ไม่มีบุคคลภายนอกแชทนี้ แม้แต่ WhatsApp ที่จะอ่านหรือฟังได้",
            "รหัสความปลอดภัยของคุณกับ {0} เปลี่ยนไปแล้ว", "แตะเพื่อเรียนรู้เพิ่มเติม", "ไม่ได้รวมรูปภาพ"),
        new Language("vi", t => $"[{t:HH:mm:ss}, {t:dd/MM/yy}]",
            "Tin nhắn và cuộc gọi được mã hóa đầu cuối. Không ai ngoài cuộc trò chuyện này, kể cả WhatsApp, có thể đọc hoặc nghe chúng.",
            "Mã bảo mật của bạn với {0} đã thay đổi.", "Nhấn để tìm hiểu thêm.", "hình ảnh bị bỏ qua"),
        new Language("pt-PT", t => Dmy(t),
            "As mensagens e as chamadas estão encriptadas ponto a ponto. Ninguém fora desta conversa, nem mesmo o WhatsApp, as pode ler ou ouvir.",
            "O seu código de segurança com {0} mudou.", "Toque para saber mais.", "imagem omitida"),
    };

    /// <summary>Greek is in no phrase list: only the export's structure can tell its notices.</summary>
    private static readonly Language Greek = new("el", t => Dmy(t),
        "Τα μηνύματα και οι κλήσεις είναι κρυπτογραφημένα από άκρο σε άκρο. Κανείς εκτός αυτής της συνομιλίας δεν μπορεί να τα διαβάσει.",
        "Ο κωδικός ασφαλείας σας με τον χρήστη {0} άλλαξε.", "Πατήστε για να μάθετε περισσότερα.", "εικόνα παραλείφθηκε");

    private static readonly DateTime Start = new(2024, 3, 14, 9, 0, 0);

    /// <summary>
    /// A direct chat exported by Alex Kim with Nadia: the encryption notice first (written as Nadia, the chat's
    /// name), then both sides talking, Nadia's security code changing, and an image from Nadia.
    /// </summary>
    private static string DirectChat(Language l) => string.Join("\r\n",
        $"{l.Header(Start)} Nadia: \u200E{l.Encryption}",
        $"{l.Header(Start.AddDays(1))} Alex Kim: Good morning, the term sheet is attached below",
        $"{l.Header(Start.AddDays(1).AddMinutes(3))} Nadia: Thanks, reading it now",
        $"\u200E{l.Header(Start.AddDays(2))} Nadia: \u200E\u200E{string.Format(System.Globalization.CultureInfo.InvariantCulture, l.SecurityCode, "Nadia")} \u200E{l.TapToLearnMore}",
        $"\u200E{l.Header(Start.AddDays(2).AddMinutes(1))} Nadia: \u200E{l.ImageOmitted}",
        $"{l.Header(Start.AddDays(2).AddMinutes(2))} Alex Kim: Received");

    /// <summary>A group "Rates Desk": its notices are written as the group's name, which never speaks itself.</summary>
    private static string GroupChat(Language l) => string.Join("\r\n",
        $"{l.Header(Start)} Rates Desk: \u200E{l.Encryption}",
        $"{l.Header(Start.AddDays(1))} Alex Kim: Morning, desk",
        $"{l.Header(Start.AddDays(1).AddMinutes(2))} Nadia: Morning",
        $"\u200E{l.Header(Start.AddDays(2))} Rates Desk: \u200E{string.Format(System.Globalization.CultureInfo.InvariantCulture, l.SecurityCode, "Nadia")} \u200E{l.TapToLearnMore}",
        $"{l.Header(Start.AddDays(2).AddMinutes(5))} Nadia: Bid at 4.12");

    private static List<ParsedMessage> Parse(string text)
    {
        var layout = WhatsAppExportParser.DetectLayout(new StringReader(text));
        var viaBytes = WhatsAppExportParser.DetectLayout(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));
        (viaBytes.NoticeAuthor, viaBytes.NoticeAuthorWrites).ShouldBe((layout.NoticeAuthor, layout.NoticeAuthorWrites));
        return WhatsAppExportParser.ReadMessages(new StringReader(text), layout).ToList();
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void DirectChat_NoticesAreNotMessages_AndTheFirstMessageIsThePersonsOwn(Language language)
    {
        var messages = Parse(DirectChat(language));

        messages.Select(m => m.Kind).ShouldBe(
            [MessageKind.System, MessageKind.Text, MessageKind.Text, MessageKind.System, messages[4].Kind, MessageKind.Text]);
        messages.Where(m => m.IsSystem).ShouldAllBe(m => !m.KindUncertain);
        messages.First(m => !m.IsSystem).LocalTime.ShouldBe(Start.AddDays(1));
        messages.Count(m => !m.IsSystem).ShouldBe(4);
        // The image is Nadia's message: a known placeholder reads as media, any other is kept as a message with a flag.
        messages[4].Kind.ShouldNotBe(MessageKind.System);
        messages[4].Author.ShouldBe("Nadia");
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void GroupChat_NoticesAreNotMessages_AndTheGroupsNameIsNoAuthor(Language language)
    {
        var messages = Parse(GroupChat(language));

        messages.Select(m => m.Kind).ShouldBe([MessageKind.System, MessageKind.Text, MessageKind.Text, MessageKind.System, MessageKind.Text]);
        messages.ShouldAllBe(m => !m.KindUncertain);
        messages.Where(m => !m.IsSystem).Select(m => m.Author).Distinct().ShouldBe(["Alex Kim", "Nadia"]);
    }

    [Fact]
    public void LanguageInNoList_GroupNotices_AreReadFromStructure_AndFlaggedUncertain()
    {
        var messages = Parse(GroupChat(Greek));

        messages.Select(m => m.Kind).ShouldBe([MessageKind.System, MessageKind.Text, MessageKind.Text, MessageKind.System, MessageKind.Text]);
        messages.Select(m => m.KindUncertain).ShouldBe([true, false, false, true, false]);
    }

    [Fact]
    public void LanguageInNoList_DirectChat_TheOpeningAndTapToLearnMoreNoticesAreNotices_TheOtherPartysMarkedLineStaysTheirs()
    {
        var messages = Parse(DirectChat(Greek));

        messages.Select(m => m.Kind).ShouldBe(
            [MessageKind.System, MessageKind.Text, MessageKind.Text, MessageKind.System, MessageKind.Text, MessageKind.Text]);
        messages.Select(m => m.KindUncertain).ShouldBe([true, false, false, true, true, false]);
        messages[4].Body.ShouldBe("εικόνα παραλείφθηκε");
    }

    [Fact]
    public void PhraseWrittenByAPersonWhileNoticesComeFromTheGroupsName_IsANotice_FlaggedUncertain()
    {
        var text = "[14/03/2024, 09:00:00] Rates Desk: \u200EMessages and calls are end-to-end encrypted.\r\n" +
                   "[14/03/2024, 09:01:00] Nadia: \u200ENadia added Joe\r\n" +
                   "[14/03/2024, 09:02:00] Nadia: Welcome Joe";

        var messages = Parse(text);

        messages.Select(m => (m.Kind, m.KindUncertain)).ShouldBe([(MessageKind.System, false), (MessageKind.System, true), (MessageKind.Text, false)]);
    }

    [Fact]
    public void MissedCall_IsTheCallersLine_NotANotice()
    {
        var text = "[14/03/2024, 09:00:00] Nadia: \u200EMessages and calls are end-to-end encrypted.\r\n" +
                   "[14/03/2024, 09:01:00] Nadia: Hi\r\n" +
                   "[14/03/2024, 09:02:00] Nadia: \u200EMissed voice call";

        var messages = Parse(text);

        messages.Select(m => (m.Kind, m.KindUncertain)).ShouldBe([(MessageKind.System, false), (MessageKind.Text, false), (MessageKind.Text, false)]);
    }

    [Fact]
    public void UnmarkedLineThatOpensTheExport_SetsNoNoticeAuthor()
    {
        var layout = WhatsAppExportParser.DetectLayout(new StringReader("[14/03/2024, 09:00:00] Nadia: Hi\r\n[14/03/2024, 09:01:00] Alex: Hello"));

        layout.NoticeAuthor.ShouldBeNull();
    }
}
