namespace ComplianceHub.Core.Demo;

/// <summary>The demo's messaging policy: a sample text of the kind a regulated firm publishes, not legal advice.</summary>
internal static class DemoPolicy
{
    public const string Title = "WhatsApp business use policy";

    public const string Text = """
        # WhatsApp business use policy

        This policy says when and how you may use WhatsApp for the firm's business. It applies to every employee
        whose role involves talking to clients, counterparties or colleagues about the firm's business. Read it to
        the end and sign it in **My compliance**; until you do, your WhatsApp numbers cannot be used for business.

        ## 1. Which numbers you may use

        - Use **only the numbers listed against your name on the roster** of authorized users. You can see them in
          My compliance under *Authorized numbers*.
        - A firm device with the WhatsApp Business app is captured automatically. A personal device approved for
          business use must have its business chats exported to the archive at least **once a week**.
        - Never use WhatsApp for business from a number that is not on the roster, including a second SIM, a
          family member's phone or WhatsApp Web on an unmanaged computer.
        - Business conversations with clients take place in the **official group chats** the firm has registered,
          or one-to-one from an authorized number. Do not create new groups for clients without compliance approval.

        ## 2. What must not be discussed on WhatsApp

        - Orders and instructions that the firm's procedures say must be given on a recorded line or in the order
          management system.
        - Inside information, or any information about a client's positions or orders, with anyone not entitled to it.
        - Passwords, one-time codes, account numbers or personal data beyond what the conversation strictly needs.
        - Anything you would not be content to see read out to a regulator or in court.

        If a client raises one of these, move the conversation to an approved channel and say so in the chat.

        ## 3. What the archive captures

        The firm keeps a complete record of business messages, as its regulators require (SEC Rule 17a-4,
        FINRA Rules 3110 and 4511, MiFID II Article 16(7)):

        1. every message sent and received, with its time, sender and recipients;
        2. edits and deletions, which are kept alongside the original: **deleting a message does not remove it
           from the record**;
        3. photos, documents, voice notes and other attachments;
        4. who joined and left each official group.

        Records are kept for at least seven years, longer under a legal hold, and may be reviewed by compliance,
        internal audit and regulators.

        ## 4. Personal devices

        - Keep the device's operating system and WhatsApp up to date, protected by a passcode or biometric lock.
        - Turn off *disappearing messages* in every business chat. Do not use view-once media for business.
        - Report a lost or stolen device to compliance **the same day**, so that its number can be suspended.
        - When you leave the firm or change role, compliance will ask you to export your business chats one last
          time before your authorization ends.

        ## 5. If something goes wrong

        Tell your manager and compliance at once if business was discussed on an unauthorized number, a message
        went to the wrong person, or you are unsure whether a conversation is allowed. Reporting promptly is always
        better than a record that is missing.

        Breaches of this policy may lead to disciplinary action and, where the law requires it, reports to a regulator.
        """;
}
