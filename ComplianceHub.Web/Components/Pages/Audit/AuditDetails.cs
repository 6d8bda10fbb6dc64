using System.Text;
using System.Text.Json;

namespace ComplianceHub.Web.Components.Pages.Audit;

/// <summary>Renders an audit event's details JSON as one readable line: <c>key: value · key: value</c>.</summary>
internal static class AuditDetails
{
    public static string Summarize(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return "";
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return json;
            }

            var text = new StringBuilder();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (text.Length > 0)
                {
                    text.Append(" · ");
                }

                text.Append(property.Name).Append(": ").Append(Render(property.Value));
            }

            return text.ToString();
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static string Render(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Render)),
        JsonValueKind.String => value.GetString() ?? "",
        _ => value.GetRawText(),
    };
}
