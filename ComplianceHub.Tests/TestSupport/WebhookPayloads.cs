using System.Text.Json;
using System.Text.Json.Nodes;

namespace ComplianceHub.Tests.TestSupport;

/// <summary>
/// Cloud API webhook payloads shaped like Meta's (whatsapp-formats.md §2.2–2.7): an envelope around
/// inbound messages, echoes or statuses for one business number.
/// </summary>
public static class WebhookPayloads
{
    public const string PhoneNumberId = "106540352242922";
    public const string BusinessDisplayNumber = "15550783881";
    public const string CustomerWaId = "447700900123";
    public const string CustomerName = "Ana Gómez";

    /// <summary>Unix seconds as Meta sends them (a string).</summary>
    public static string At(DateTimeOffset instant) => instant.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string Inbound(params JsonObject[] messages) => InboundFrom(CustomerName, CustomerWaId, messages);

    /// <summary>Inbound messages whose contacts entry names <paramref name="name"/> for <paramref name="waId"/>.</summary>
    public static string InboundFrom(string name, string waId, params JsonObject[] messages) => Envelope("messages", new JsonObject
    {
        ["messaging_product"] = "whatsapp",
        ["metadata"] = Metadata(),
        ["contacts"] = new JsonArray(new JsonObject { ["profile"] = new JsonObject { ["name"] = name }, ["wa_id"] = waId }),
        ["messages"] = new JsonArray(messages.Select(m => (JsonNode)m).ToArray()),
    });

    public static string Echoes(params JsonObject[] echoes) => Envelope("smb_message_echoes", new JsonObject
    {
        ["messaging_product"] = "whatsapp",
        ["metadata"] = Metadata(),
        ["message_echoes"] = new JsonArray(echoes.Select(m => (JsonNode)m).ToArray()),
    });

    public static string Statuses(params JsonObject[] statuses) => Envelope("messages", new JsonObject
    {
        ["messaging_product"] = "whatsapp",
        ["metadata"] = Metadata(),
        ["statuses"] = new JsonArray(statuses.Select(m => (JsonNode)m).ToArray()),
    });

    /// <summary>An inbound message of <paramref name="type"/> with its type object.</summary>
    public static JsonObject Message(string id, DateTimeOffset at, string type, JsonNode? content, string from = CustomerWaId)
    {
        var message = new JsonObject { ["from"] = from, ["id"] = id, ["timestamp"] = At(at), ["type"] = type };
        if (content is not null)
        {
            message[type] = content;
        }

        return message;
    }

    public static JsonObject Text(string id, DateTimeOffset at, string body) => Message(id, at, "text", new JsonObject { ["body"] = body });

    /// <summary>A message the business sent from the WhatsApp Business app (Coexistence echo).</summary>
    public static JsonObject Echo(string id, DateTimeOffset at, string type, JsonNode content) => new()
    {
        ["from"] = BusinessDisplayNumber,
        ["to"] = CustomerWaId,
        ["id"] = id,
        ["timestamp"] = At(at),
        ["type"] = type,
        [type] = content,
    };

    public static JsonObject Status(string id, string status, DateTimeOffset at, JsonArray? errors = null)
    {
        var node = new JsonObject
        {
            ["id"] = id,
            ["status"] = status,
            ["timestamp"] = At(at),
            ["recipient_id"] = CustomerWaId,
            ["conversation"] = new JsonObject { ["id"] = "CONVERSATION_ID", ["origin"] = new JsonObject { ["type"] = "service" } },
            ["pricing"] = new JsonObject { ["billable"] = true, ["pricing_model"] = "PMP", ["category"] = "service" },
        };
        if (errors is not null)
        {
            node["errors"] = errors;
        }

        return node;
    }

    public static JsonNode Parse(string json) => JsonNode.Parse(json)!;

    private static JsonObject Metadata() => new() { ["display_phone_number"] = BusinessDisplayNumber, ["phone_number_id"] = PhoneNumberId };

    private static string Envelope(string field, JsonObject value) => new JsonObject
    {
        ["object"] = "whatsapp_business_account",
        ["entry"] = new JsonArray(new JsonObject
        {
            ["id"] = "102290129340398",
            ["changes"] = new JsonArray(new JsonObject { ["value"] = value, ["field"] = field }),
        }),
    }.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default });
}
