namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// The localised strings WhatsApp writes into exports (whatsapp-formats.md §1.4–1.5), in English,
/// German, French, Spanish and Portuguese, and for notices, deleted messages and iOS media placeholders
/// also Czech, Italian, Russian, Ukrainian, Arabic, Hindi, Indonesian, Japanese, Thai, Vietnamese and
/// European Portuguese. Matching is case-insensitive on text whose directional marks were stripped.
/// For iOS notices these lists confirm what the export's structure says (<see cref="IosNotice"/>); they
/// are never the only test.
/// </summary>
internal static class ExportVocabulary
{
    /// <summary>Bodies of a deleted message (with or without a trailing period).</summary>
    public static readonly string[] Deleted =
    [
        "This message was deleted", "You deleted this message",
        "Diese Nachricht wurde gelöscht", "Du hast diese Nachricht gelöscht",
        "Ce message a été supprimé", "Vous avez supprimé ce message",
        "Se eliminó este mensaje", "Eliminaste este mensaje", "Este mensaje fue eliminado",
        "Esta mensagem foi apagada", "Você apagou esta mensagem", "Apagou esta mensagem",
        "Esta mensagem foi eliminada", "Eliminou esta mensagem",
        "Tato zpráva byla smazána", "Smazali jste tuto zprávu", "Tuto zprávu jste smazali",
        "Questo messaggio è stato eliminato", "Hai eliminato questo messaggio",
        "Данное сообщение удалено", "Это сообщение удалено", "Вы удалили данное сообщение", "Вы удалили это сообщение",
        "Це повідомлення видалено", "Ви видалили це повідомлення",
        "تم حذف هذه الرسالة", "لقد حذفت هذه الرسالة",
        "यह मैसेज डिलीट कर दिया गया था", "आपने यह मैसेज डिलीट किया",
        "Pesan ini telah dihapus", "Anda menghapus pesan ini",
        "このメッセージは削除されました", "メッセージを削除しました",
        "ข้อความนี้ถูกลบแล้ว", "คุณลบข้อความนี้แล้ว",
        "Tin nhắn này đã bị xóa", "Bạn đã xóa tin nhắn này",
    ];

    /// <summary>Android "without media" placeholders.</summary>
    public static readonly string[] MediaOmitted =
    [
        "<Media omitted>", "<Medien ausgeschlossen>", "<Médias omis>", "<Multimedia omitido>",
        "<Archivo omitido>", "<Mídia oculta>", "<Arquivo de mídia oculto>",
    ];

    /// <summary>iOS "without media" placeholders; documents put their name before the phrase.</summary>
    public static readonly string[] IosOmitted =
    [
        "image omitted", "video omitted", "audio omitted", "sticker omitted", "GIF omitted", "document omitted",
        "Bild weggelassen", "Video weggelassen", "Audio weggelassen", "Sticker weggelassen", "GIF weggelassen", "Dokument weggelassen",
        "image absente", "vidéo absente", "audio absent", "autocollant absent", "GIF absent", "document absent",
        "imagen omitida", "video omitido", "audio omitido", "sticker omitido", "GIF omitido", "documento omitido",
        "imagem ocultada", "vídeo ocultado", "áudio ocultado", "figurinha omitida", "GIF ocultado", "documento ocultado",
        "imagem omitida", "vídeo omitido", "áudio omitido", "autocolante omitido",
        "obrázek vynechán", "video vynecháno", "zvuk vynechán", "nálepka vynechána", "GIF vynechán", "dokument vynechán",
        "immagine omessa", "video omesso", "audio omesso", "sticker omesso", "GIF omessa", "documento omesso",
        "изображение отсутствует", "видео отсутствует", "аудио отсутствует", "стикер отсутствует", "GIF отсутствует", "документ отсутствует",
        "зображення пропущено", "відео пропущено", "аудіо пропущено", "стікер пропущено", "GIF пропущено", "документ пропущено",
        "gambar tidak disertakan", "video tidak disertakan", "audio tidak disertakan", "stiker tidak disertakan", "GIF tidak disertakan", "dokumen tidak disertakan",
        "hình ảnh bị bỏ qua", "video bị bỏ qua", "âm thanh bị bỏ qua", "nhãn dán bị bỏ qua", "GIF bị bỏ qua", "tài liệu bị bỏ qua",
    ];

    /// <summary>Calls WhatsApp logs in the chat under the caller's name.</summary>
    public static readonly string[] Calls =
    [
        "Missed voice call", "Missed video call", "Voice call", "Video call", "Missed group voice call", "Missed group video call",
        "Verpasster Sprachanruf", "Verpasster Videoanruf", "Appel vocal manqué", "Appel vidéo manqué",
        "Llamada de voz perdida", "Videollamada perdida", "Chamada de voz perdida", "Chamada de vídeo perdida",
    ];

    /// <summary>iOS contact cards omitted from the export.</summary>
    public static readonly string[] ContactOmitted =
    [
        "Contact card omitted", "Kontaktkarte weggelassen", "Carte de contact absente", "Carte de contact omise",
        "Tarjeta de contacto omitida", "Cartão de contato omitido", "Cartão de contacto omitido",
    ];

    /// <summary>Prefixes inside iOS attachment references: <c>&lt;attached: file&gt;</c>.</summary>
    public static readonly string[] AttachedPrefixes = ["attached:", "Anhang:", "pièce jointe :", "pièce jointe:", "adjunto:", "anexado:"];

    /// <summary>Android attachment suffixes: <c>IMG-….jpg (file attached)</c>.</summary>
    public static readonly string[] FileAttachedSuffixes =
    [
        "(file attached)", "(Datei angehängt)", "(fichier joint)", "(archivo adjunto)", "(archivo adjuntado)",
        "(arquivo anexado)", "(ficheiro anexado)", "(file allegato)", "(bestand bijgevoegd)", "(soubor byl přiložen)",
        "(файл добавлен)",
    ];

    /// <summary>Trailing edit markers, with the angle brackets.</summary>
    public static readonly string[] EditedMarkers =
    [
        "<This message was edited>", "<Diese Nachricht wurde bearbeitet>", "<Ce message a été modifié>",
        "<Este mensaje fue editado>", "<Se editó este mensaje.>", "<Se editó este mensaje>", "<Esta mensagem foi editada>",
    ];

    public static readonly string[] PollPrefixes = ["POLL:", "UMFRAGE:", "SONDAGE :", "SONDAGE:", "ENCUESTA:", "ENQUETE:"];

    public static readonly string[] LocationPrefixes =
    [
        "location:", "Standort:", "position :", "position:", "localisation :", "ubicación:", "localização:", "Live location shared",
    ];

    /// <summary>
    /// Fragments of system notices. On iOS a notice carries the chat's name as author and its body
    /// starts with U+200E; a body matching one of these there is a notice, not a user message.
    /// </summary>
    public static readonly string[] SystemPhrases =
    [
        // English
        "end-to-end encrypted", "security code", "created group", "created this group", "added you", " added ",
        " left", " removed ", "changed the subject", "changed this group's icon", "deleted this group's icon",
        "changed the group description", "joined using this group's invite link", "joined using this group",
        "now an admin", "no longer an admin", "changed their phone number", "changed to", "disappearing messages",
        "business account", "pinned a message", "changed the group settings", "changed this group's settings",
        "is a contact", "blocked this contact", "unblocked this contact", "messages to this group",
        // German
        "ende-zu-ende-verschlüsselt", "sicherheitsnummer", "hat die gruppe", "hinzugefügt", "verlassen", "entfernt",
        "hat den betreff", "geändert", "ist jetzt admin", "selbstlöschende nachrichten",
        // French
        "chiffrés de bout en bout", "code de sécurité", "a créé le groupe", "a ajouté", "est parti", "a retiré",
        "a changé le sujet", "a modifié", "êtes désormais admin", "messages éphémères",
        // Spanish
        "cifrados de extremo a extremo", "código de seguridad", "creó el grupo", "añadió", "salió", "eliminó a",
        "cambió el asunto", "cambió la descripción", "ahora eres admin", "mensajes temporales",
        // Portuguese
        "criptografia de ponta a ponta", "código de segurança", "criou o grupo", "adicionou", "saiu", "removeu",
        "mudou o assunto", "alterou", "agora é admin", "mensagens temporárias",
        // European Portuguese
        "encriptadas ponto a ponto", "ponto a ponto",
        // Czech
        "koncově šifrovan", "bezpečnostní kód", "vytvořil", "přidal", "odešel", "odešla", "odebral", "změnil", "mizející zprávy",
        // Italian
        "crittografa", "crittografia end-to-end", "codice di sicurezza", "ha creato il gruppo", "ha aggiunto", "è uscito", "è uscita",
        "ha rimosso", "ha cambiato", "messaggi effimeri",
        // Russian
        "сквозным шифрованием", "шифрован", "код безопасности", "создал", "добавил", "вышел", "вышла", "удалил", "изменил",
        "исчезающие сообщения",
        // Ukrainian
        "наскрізним шифруванням", "шифруванн", "код безпеки", "створив", "створила", "додав", "вийшов", "вийшла", "видалив", "змінив",
        "зникаючі повідомлення",
        // Arabic
        "مشفرة", "التشفير", "رمز الأمان", "أنشأ", "أضاف", "غادر", "أزال", "الرسائل المؤقتة",
        // Hindi
        "एन्क्रिप्ट", "सुरक्षा कोड", "ग्रुप बनाया", "को जोड़ा", "छोड़ दिया", "को हटाया",
        // Indonesian
        "terenkripsi", "kode keamanan", "membuat grup", "menambahkan", "keluar", "mengeluarkan", "pesan sementara",
        // Japanese
        "暗号化", "セキュリティコード", "グループを作成", "を追加しました", "退出しました", "を削除しました", "消えるメッセージ",
        // Thai
        "เข้ารหัส", "รหัสความปลอดภัย", "สร้างกลุ่ม", "ได้เพิ่ม", "ออกจากกลุ่ม", "ได้ลบ",
        // Vietnamese
        "mã hóa đầu cuối", "được mã hóa", "mã bảo mật", "đã tạo nhóm", "đã thêm", "đã rời", "đã xóa",
    ];

    /// <summary>Notices that only groups have (creation, members joining or leaving, the subject).</summary>
    public static readonly string[] GroupPhrases =
    [
        "created group", "created this group", " added ", "added you", " left", " removed ", "changed the subject",
        "changed this group's", "this group's invite link", "changed the group",
        "hat die gruppe", "hinzugefügt", "entfernt", "den betreff",
        "a créé le groupe", "a ajouté", "est parti", "a retiré", "le sujet",
        "creó el grupo", "añadió", "salió", "eliminó a", "el asunto",
        "criou o grupo", "adicionou", "saiu", "removeu", "o assunto",
    ];

}
