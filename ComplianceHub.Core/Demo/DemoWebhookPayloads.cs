using System.Globalization;

namespace ComplianceHub.Core.Demo;

/// <summary>Synthetic Cloud API webhook payloads for the demo business number; no real people or numbers.</summary>
internal static class DemoWebhookPayloads
{
    /// <summary>The demo business number's <c>phone_number_id</c>, as configured in appsettings.Development.json.</summary>
    public const string PhoneNumberId = "109000000000001";

    private const string BusinessNumber = "442079460000";
    private const string Customer = "447700900456";

    public static IReadOnlyList<string> All(DateTimeOffset now)
    {
        var start = now.AddHours(-3);
        string At(int minutes) => start.AddMinutes(minutes).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return
        [
            Envelope("messages", $$$$$"""
                "contacts":[{"profile":{"name":"Priya Raman"},"wa_id":"{{{{{Customer}}}}}"}],
                "messages":[{"from":"{{{{{Customer}}}}}","id":"wamid.DEMO.1","timestamp":"{{{{{At(0)}}}}}","type":"text","text":{"body":"Hi, can you confirm my order of 40 units went through?"}}]
                """),
            Envelope("smb_message_echoes", $$$$$"""
                "message_echoes":[{"from":"{{{{{BusinessNumber}}}}}","to":"{{{{{Customer}}}}}","id":"wamid.DEMO.2","timestamp":"{{{{{At(4)}}}}}","type":"text","text":{"body":"Yes, confirmed: 40 units at 12.50 each, shipping Thursday."}}]
                """),
            Envelope("messages", $$$$$"""
                "statuses":[{"id":"wamid.DEMO.2","status":"delivered","timestamp":"{{{{{At(4)}}}}}","recipient_id":"{{{{{Customer}}}}}"},
                            {"id":"wamid.DEMO.2","status":"read","timestamp":"{{{{{At(6)}}}}}","recipient_id":"{{{{{Customer}}}}}"}]
                """),
            Envelope("smb_message_echoes", $$$$$"""
                "message_echoes":[{"from":"{{{{{BusinessNumber}}}}}","to":"{{{{{Customer}}}}}","id":"wamid.DEMO.3","timestamp":"{{{{{At(7)}}}}}","type":"edit",
                  "edit":{"original_message_id":"wamid.DEMO.2","message":{"type":"text","text":{"body":"Yes, confirmed: 40 units at 12.00 each, shipping Thursday."}}}}]
                """),
            Envelope("messages", $$$$$"""
                "contacts":[{"profile":{"name":"Priya Raman"},"wa_id":"{{{{{Customer}}}}}"}],
                "messages":[{"from":"{{{{{Customer}}}}}","id":"wamid.DEMO.4","timestamp":"{{{{{At(9)}}}}}","type":"reaction","reaction":{"message_id":"wamid.DEMO.3","emoji":"👍"}},
                            {"from":"{{{{{Customer}}}}}","id":"wamid.DEMO.5","timestamp":"{{{{{At(10)}}}}}","type":"text","context":{"from":"{{{{{BusinessNumber}}}}}","id":"wamid.DEMO.3"},"text":{"body":"Great, thank you. Please send the invoice to accounts."}}]
                """),
        ];
    }

    private static string Envelope(string field, string value) =>
        $$$$$"""{"object":"whatsapp_business_account","entry":[{"id":"209000000000001","changes":[{"field":"{{{{{field}}}}}","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"{{{{{BusinessNumber}}}}}","phone_number_id":"{{{{{PhoneNumberId}}}}}"},{{{{{value}}}}}}}]}]}""";
}
