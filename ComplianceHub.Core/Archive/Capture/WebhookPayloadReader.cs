using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ComplianceHub.Core.Archive.Capture;

/// <summary>A webhook payload that cannot be read: what is wrong and where (a JSON path).</summary>
public sealed class WebhookPayloadException(string path, string problem) : Exception($"{path}: {problem}")
{
    public string Path { get; } = path;
}

/// <summary>Which way a captured message went, seen from the business number.</summary>
public enum CaptureDirection
{
    /// <summary>From the customer to the business (<c>messages[]</c>).</summary>
    Inbound,

    /// <summary>From the business, sent in the WhatsApp Business app (<c>smb_message_echoes</c>).</summary>
    Outbound,
}

/// <summary>A media file a captured message refers to; the bytes are fetched from the Graph API later.</summary>
public sealed record CapturedMedia(string MediaId, string MediaType, string FileName, string? Sha256Hex);

/// <summary>One message read from a webhook payload, before it is stored.</summary>
public sealed record CapturedMessage(
    string PhoneNumberId, string? BusinessDisplayNumber, CaptureDirection Direction, string CustomerId, string? CustomerPhoneE164,
    string? CustomerUserId, string? CustomerName, string ExternalId, DateTimeOffset SentAt, string Type, MessageKind Kind, string Body,
    bool IsEdited, string? ReplyToExternalId, string? TargetExternalId, CapturedMedia? Media, string RawJson)
{
    /// <summary>The conversation this message belongs to: the business number and the customer.</summary>
    public string ConversationKey => $"wa:{PhoneNumberId}:{CustomerId}";
}

/// <summary>One delivery status for a message the business sent.</summary>
public sealed record CapturedStatus(
    string PhoneNumberId, string ExternalId, string Status, DateTimeOffset OccurredAt, string? RecipientId, string? ErrorsJson);

/// <summary>Everything one webhook delivery holds.</summary>
public sealed record CapturedPayload(
    IReadOnlyList<CapturedMessage> Messages, IReadOnlyList<CapturedStatus> Statuses, IReadOnlyList<string> Notes);

/// <summary>
/// Reads a Cloud API webhook payload (whatsapp-formats.md §2.2–2.7): every entry, change and array
/// element; every message type, with types it does not know kept whole as <see cref="MessageKind.Unsupported"/>.
/// Pure: no storage, so a payload that cannot be read fails alone with the path of the problem.
/// </summary>
public static class WebhookPayloadReader
{
    public static CapturedPayload Read(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new WebhookPayloadException(e.Path is { Length: > 0 } p ? p : "$", $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}): {e.Message}");
        }

        using (document)
        {
            var messages = new List<CapturedMessage>();
            var statuses = new List<CapturedStatus>();
            var notes = new List<string>();
            var root = document.RootElement;
            RequireKind(root, JsonValueKind.Object, "$");
            var objectType = OptionalString(root, "object", "$");
            if (objectType is not null and not "whatsapp_business_account")
            {
                notes.Add($"$.object is '{objectType}', not whatsapp_business_account; nothing archived");
                return new CapturedPayload(messages, statuses, notes);
            }

            var entries = RequireArray(root, "entry", "$");
            for (var e = 0; e < entries.GetArrayLength(); e++)
            {
                var entryPath = $"$.entry[{e}]";
                var entry = entries[e];
                RequireKind(entry, JsonValueKind.Object, entryPath);
                var changes = RequireArray(entry, "changes", entryPath);
                for (var c = 0; c < changes.GetArrayLength(); c++)
                {
                    ReadChange(changes[c], $"{entryPath}.changes[{c}]", messages, statuses, notes);
                }
            }

            return new CapturedPayload(messages, statuses, notes);
        }
    }

    private static void ReadChange(JsonElement change, string path, List<CapturedMessage> messages, List<CapturedStatus> statuses, List<string> notes)
    {
        RequireKind(change, JsonValueKind.Object, path);
        var field = RequireString(change, "field", path);
        if (field is not ("messages" or "smb_message_echoes"))
        {
            notes.Add($"{path}: field '{field}' is not archived as messages; the payload stays in the inbox");
            return;
        }

        var valuePath = path + ".value";
        var value = RequireProperty(change, "value", path);
        RequireKind(value, JsonValueKind.Object, valuePath);
        var metadata = RequireProperty(value, "metadata", valuePath);
        var phoneNumberId = RequireString(metadata, "phone_number_id", valuePath + ".metadata");
        var displayNumber = OptionalString(metadata, "display_phone_number", valuePath + ".metadata");

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value.TryGetProperty("contacts", out var contacts) && contacts.ValueKind == JsonValueKind.Array)
        {
            foreach (var contact in contacts.EnumerateArray())
            {
                var name = contact.TryGetProperty("profile", out var profile) && profile.ValueKind == JsonValueKind.Object
                    ? OptionalString(profile, "name", valuePath + ".contacts") : null;
                if (name is null)
                {
                    continue;
                }

                foreach (var key in new[] { "wa_id", "user_id" })
                {
                    if (OptionalString(contact, key, valuePath + ".contacts") is { } id)
                    {
                        names[id] = name;
                    }
                }
            }
        }

        if (value.TryGetProperty("messages", out var inbound))
        {
            RequireKind(inbound, JsonValueKind.Array, valuePath + ".messages");
            for (var i = 0; i < inbound.GetArrayLength(); i++)
            {
                messages.Add(ReadMessage(inbound[i], $"{valuePath}.messages[{i}]", phoneNumberId, displayNumber, CaptureDirection.Inbound, names));
            }
        }

        if (value.TryGetProperty("message_echoes", out var echoes))
        {
            RequireKind(echoes, JsonValueKind.Array, valuePath + ".message_echoes");
            for (var i = 0; i < echoes.GetArrayLength(); i++)
            {
                messages.Add(ReadMessage(echoes[i], $"{valuePath}.message_echoes[{i}]", phoneNumberId, displayNumber, CaptureDirection.Outbound, names));
            }
        }

        if (value.TryGetProperty("statuses", out var statusArray))
        {
            RequireKind(statusArray, JsonValueKind.Array, valuePath + ".statuses");
            for (var i = 0; i < statusArray.GetArrayLength(); i++)
            {
                var statusPath = $"{valuePath}.statuses[{i}]";
                var status = statusArray[i];
                RequireKind(status, JsonValueKind.Object, statusPath);
                statuses.Add(new CapturedStatus(
                    phoneNumberId,
                    RequireString(status, "id", statusPath),
                    RequireString(status, "status", statusPath),
                    RequireTimestamp(status, statusPath),
                    OptionalString(status, "recipient_id", statusPath) ?? OptionalString(status, "recipient_user_id", statusPath),
                    status.TryGetProperty("errors", out var errors) ? errors.GetRawText() : null));
            }
        }

        if (value.TryGetProperty("errors", out var valueErrors))
        {
            notes.Add($"{valuePath}.errors: Meta reported {Truncate(valueErrors.GetRawText(), 500)}");
        }
    }

    private static CapturedMessage ReadMessage(
        JsonElement message, string path, string phoneNumberId, string? displayNumber, CaptureDirection direction, Dictionary<string, string> names)
    {
        RequireKind(message, JsonValueKind.Object, path);
        var id = RequireString(message, "id", path);
        var sentAt = RequireTimestamp(message, path);

        // The customer: the sender of an inbound message, the recipient of an echo.
        var (numberField, userField) = direction == CaptureDirection.Inbound ? ("from", "from_user_id") : ("to", "to_user_id");
        var waId = OptionalString(message, numberField, path);
        var userId = OptionalString(message, userField, path);
        var customerId = waId is not null ? Digits(waId, path + "." + numberField) : userId
            ?? throw new WebhookPayloadException(path, $"has neither '{numberField}' nor '{userField}': the customer is unknown");
        var phone = waId is null ? null : "+" + customerId;
        var name = names.GetValueOrDefault(customerId) ?? (userId is null ? null : names.GetValueOrDefault(userId));

        var content = ReadContent(message, path);
        var replyTo = message.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object
            ? OptionalString(context, "id", path + ".context") : null;
        return new CapturedMessage(
            phoneNumberId, displayNumber is null ? null : Digits(displayNumber, path), direction, customerId, phone, userId, name,
            id, sentAt, content.Type, content.Kind, content.Body, content.IsEdited, replyTo, content.Target, content.Media, message.GetRawText());
    }

    private sealed record Content(string Type, MessageKind Kind, string Body, bool IsEdited = false, string? Target = null, CapturedMedia? Media = null);

    private static Content ReadContent(JsonElement message, string path)
    {
        var type = RequireString(message, "type", path);
        var typePath = $"{path}.{type}";
        JsonElement Part() => RequireProperty(message, type, path);
        switch (type)
        {
            case "text":
                return new Content(type, MessageKind.Text, RequireString(Part(), "body", typePath));
            case "image" or "video" or "audio" or "document" or "sticker":
            {
                var media = Part();
                var mediaId = RequireString(media, "id", typePath);
                var mimeType = OptionalString(media, "mime_type", typePath) ?? "application/octet-stream";
                var fileName = OptionalString(media, "filename", typePath) is { Length: > 0 } given
                    ? System.IO.Path.GetFileName(given)
                    : $"{type}-{mediaId}{MediaTypes.ExtensionFor(mimeType)}";
                var sha = Sha256Hex(OptionalString(media, "sha256", typePath), typePath + ".sha256");
                var caption = OptionalString(media, "caption", typePath) ?? "";
                return new Content(type, MessageKind.Media, caption, Media: new CapturedMedia(mediaId, mimeType, fileName, sha));
            }

            case "location":
            {
                var location = Part();
                var latitude = RequireNumber(location, "latitude", typePath);
                var longitude = RequireNumber(location, "longitude", typePath);
                var label = string.Join(", ", new[] { OptionalString(location, "name", typePath), OptionalString(location, "address", typePath) }
                    .Where(s => !string.IsNullOrWhiteSpace(s)));
                var coordinates = string.Create(CultureInfo.InvariantCulture, $"{latitude:0.######}, {longitude:0.######}");
                return new Content(type, MessageKind.Location, label.Length > 0 ? $"{label} ({coordinates})" : coordinates);
            }

            case "contacts":
            {
                var cards = RequireProperty(message, "contacts", path);
                RequireKind(cards, JsonValueKind.Array, path + ".contacts");
                var lines = new List<string>();
                foreach (var card in cards.EnumerateArray())
                {
                    var cardName = card.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.Object ? OptionalString(n, "formatted_name", path) : null;
                    var numbers = card.TryGetProperty("phones", out var phones) && phones.ValueKind == JsonValueKind.Array
                        ? phones.EnumerateArray().Select(p => OptionalString(p, "phone", path)).Where(p => p is not null) : [];
                    lines.Add(string.Join(" ", new[] { cardName }.Concat(numbers).Where(s => !string.IsNullOrWhiteSpace(s))));
                }

                return new Content(type, MessageKind.Contact, string.Join("\n", lines));
            }

            case "interactive":
            {
                var interactive = Part();
                var kind = RequireString(interactive, "type", typePath);
                var body = interactive.TryGetProperty(kind, out var reply) && reply.ValueKind == JsonValueKind.Object
                    ? string.Join(" — ", new[] { OptionalString(reply, "title", typePath), OptionalString(reply, "description", typePath), OptionalString(reply, "body", typePath) }
                        .Where(s => !string.IsNullOrWhiteSpace(s)))
                    : "";
                return new Content(type, MessageKind.Interactive, body);
            }

            case "button":
            {
                var button = Part();
                return new Content(type, MessageKind.Interactive, OptionalString(button, "text", typePath) ?? OptionalString(button, "payload", typePath) ?? "");
            }

            case "reaction":
            {
                var reaction = Part();
                return new Content(type, MessageKind.Reaction, OptionalString(reaction, "emoji", typePath) ?? "",
                    Target: RequireString(reaction, "message_id", typePath));
            }

            case "order":
            {
                var order = Part();
                var items = order.TryGetProperty("product_items", out var products) && products.ValueKind == JsonValueKind.Array
                    ? products.EnumerateArray().Select(p => $"{Scalar(p, "quantity")} × {Scalar(p, "product_retailer_id")} @ {Scalar(p, "item_price")} {Scalar(p, "currency")}".Trim())
                    : [];
                var text = OptionalString(order, "text", typePath);
                return new Content(type, MessageKind.Order, string.Join("\n", new[] { text }.Concat(items).Where(s => !string.IsNullOrWhiteSpace(s))));
            }

            case "system":
            {
                var system = Part();
                return new Content(type, MessageKind.System, OptionalString(system, "body", typePath) ?? OptionalString(system, "type", typePath) ?? "");
            }

            case "edit":
            {
                var edit = Part();
                var original = RequireString(edit, "original_message_id", typePath);
                var inner = RequireProperty(edit, "message", typePath);
                var content = inner.TryGetProperty("type", out _) ? ReadContent(inner, typePath + ".message") : new Content("text", MessageKind.Text, "");
                return content with { Type = type, IsEdited = true, Target = original };
            }

            case "revoke":
                return new Content(type, MessageKind.Deleted, "", Target: RequireString(Part(), "original_message_id", typePath));

            default:
            {
                // "unsupported" and anything newer: kept whole in the raw JSON, described here.
                var description = message.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0
                    ? string.Join("; ", errors.EnumerateArray().Select(x => Scalar(x, "title") is { Length: > 0 } t ? t : Scalar(x, "message")))
                    : "";
                return new Content(type, MessageKind.Unsupported, description.Length > 0 ? $"[{type}] {description}" : $"[{type}]");
            }
        }
    }

    /// <summary>Meta's media hash, which real payloads send as base64 and the docs show as hex (§2.8), as lowercase hex.</summary>
    internal static string? Sha256Hex(string? value, string path)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (value.Length == 64 && value.All(char.IsAsciiHexDigit))
        {
            return value.ToLowerInvariant();
        }

        Span<byte> bytes = stackalloc byte[33];
        if (Convert.TryFromBase64String(value, bytes, out var written) && written == 32)
        {
            return Convert.ToHexStringLower(bytes[..32]);
        }

        throw new WebhookPayloadException(path, $"'{Truncate(value, 80)}' is neither a hex nor a base64 SHA-256");
    }

    private static string Digits(string number, string path)
    {
        var builder = new StringBuilder(number.Length);
        foreach (var ch in number)
        {
            if (char.IsAsciiDigit(ch))
            {
                builder.Append(ch);
            }
            else if (ch is not ('+' or ' ' or '-' or '(' or ')'))
            {
                throw new WebhookPayloadException(path, $"'{Truncate(number, 40)}' is not a phone number");
            }
        }

        return builder.Length is >= 5 and <= 15 ? builder.ToString() : throw new WebhookPayloadException(path, $"'{Truncate(number, 40)}' is not a phone number");
    }

    private static DateTimeOffset RequireTimestamp(JsonElement element, string path)
    {
        var property = RequireProperty(element, "timestamp", path);
        long seconds;
        var ok = property.ValueKind switch
        {
            JsonValueKind.String => long.TryParse(property.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds),
            JsonValueKind.Number => property.TryGetInt64(out seconds),
            _ => (seconds = 0) == 1,
        };
        return ok && seconds is > 0 and < 32503680000
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new WebhookPayloadException(path + ".timestamp", $"'{Truncate(property.GetRawText(), 40)}' is not a Unix time in seconds");
    }

    private static JsonElement RequireProperty(JsonElement element, string name, string path) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new WebhookPayloadException(path, $"'{name}' is missing");

    private static JsonElement RequireArray(JsonElement element, string name, string path)
    {
        var value = RequireProperty(element, name, path);
        RequireKind(value, JsonValueKind.Array, $"{path}.{name}");
        return value;
    }

    private static string RequireString(JsonElement element, string name, string path) =>
        OptionalString(element, name, path) is { Length: > 0 } value ? value : throw new WebhookPayloadException(path, $"'{name}' is missing or empty");

    private static double RequireNumber(JsonElement element, string name, string path)
    {
        var value = RequireProperty(element, name, path);
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => throw new WebhookPayloadException($"{path}.{name}", $"'{Truncate(value.GetRawText(), 40)}' is not a number"),
        };
    }

    private static string? OptionalString(JsonElement element, string name, string path)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new WebhookPayloadException($"{path}.{name}", $"expected a string, found {value.ValueKind.ToString().ToLowerInvariant()}"),
        };
    }

    private static string Scalar(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText()
            : "";

    private static void RequireKind(JsonElement element, JsonValueKind kind, string path)
    {
        if (element.ValueKind != kind)
        {
            throw new WebhookPayloadException(path, $"expected {(kind == JsonValueKind.Array ? "an array" : "an object")}, found {element.ValueKind.ToString().ToLowerInvariant()}");
        }
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length] + "…";
}
