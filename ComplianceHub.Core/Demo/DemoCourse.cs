using ComplianceHub.Core.Training;

namespace ComplianceHub.Core.Demo;

/// <summary>The demo's course on the messaging policy: three short pages and a five-question quiz.</summary>
internal static class DemoCourse
{
    public static CourseDraft Draft { get; } = new(
        "WhatsApp business use: the essentials",
        "Fifteen minutes on what the firm's WhatsApp business use policy asks of you, and why regulators care. Pass the quiz (80 %) to complete it; it is retaken every year.",
        ValidityMonths: 12, IsRequired: false, PassMark: 80, MaxAttempts: 3);

    public static IReadOnlyList<(string Title, string Content)> Pages { get; } =
    [
        ("Why the firm keeps every business message", """
            Regulators require the firm to keep **every business communication**, whatever the channel: SEC Rule 17a-4 and
            FINRA Rule 4511 in the United States, MiFID II Article 16(7) in Europe. Since 2021, firms have paid well over
            two billion dollars in fines for business conducted on personal messaging apps that were not archived.

            WhatsApp is allowed here **only** because every business conversation on it reaches the archive.
            """),
        ("Which numbers, which chats", """
            - Use only the numbers on the **roster** against your name (see *My compliance*).
            - Talk to clients in the firm's **official groups**, or one-to-one from an authorized number.
            - Personal devices approved for business: export your business chats to the archive every week.
            - Never move a business conversation to an unauthorized number, SMS, Signal or a disappearing chat.
            """),
        ("When something goes wrong", """
            1. A lost or stolen phone: tell compliance **the same day**, so its number can be suspended.
            2. A message to the wrong person, or business on an unauthorized number: tell your manager and compliance at once.
            3. Deleting a message does not remove it from the record: the archive keeps the original and the deletion.
            """),
    ];

    public static IReadOnlyList<QuestionDraft> Questions { get; } =
    [
        new("Which numbers may you use for business on WhatsApp?", ["Any number I own", "Only the numbers on the roster against my name", "A colleague's number, if mine is broken"], [1]),
        new("Which of these must you report to compliance the same day? (choose all that apply)",
            ["A lost or stolen phone", "A business message sent from an unauthorized number", "Changing my WhatsApp profile photo"], [0, 1]),
        new("You delete a business message you sent by mistake. What happens to the record?", ["It is removed from the archive", "The archive keeps the original and the deletion"], [1]),
        new("Where do client orders go?", ["Any WhatsApp chat with the client", "The recorded line or the order management system"], [1]),
        new("Why may the firm use WhatsApp for business at all?", ["Because every business conversation on it is archived", "Because WhatsApp is end-to-end encrypted", "Because clients prefer it"], [0]),
    ];
}
