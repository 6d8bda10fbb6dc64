using System.ComponentModel.DataAnnotations;

namespace ComplianceHub.Core.Archive.Capture;

/// <summary>
/// WhatsApp Cloud API capture settings, bound from the configuration section <c>WhatsApp</c>
/// (environment variables such as <c>WhatsApp__AppSecret</c>). Secrets never live in the repository.
/// </summary>
public sealed class WhatsAppOptions
{
    public const string SectionName = "WhatsApp";

    /// <summary>The Meta app secret: the key of every webhook's <c>X-Hub-Signature-256</c>.</summary>
    public string? AppSecret { get; set; }

    /// <summary>The string Meta echoes in the verification handshake.</summary>
    public string? VerifyToken { get; set; }

    /// <summary>Graph API token for fetching media.</summary>
    public string? AccessToken { get; set; }

    [Url]
    public string GraphApiBaseUrl { get; set; } = "https://graph.facebook.com/v23.0";

    /// <summary>Largest webhook body accepted; Meta batches up to 1,000 updates per delivery.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The firm's business numbers and the custodian each belongs to.</summary>
    public List<WhatsAppBusinessNumber> BusinessNumbers { get; set; } = [];

    /// <summary>True when the webhook can accept deliveries at all.</summary>
    public bool IsConfigured => !string.IsNullOrEmpty(AppSecret) && !string.IsNullOrEmpty(VerifyToken);
}

public sealed class WhatsAppBusinessNumber
{
    /// <summary>Meta's <c>phone_number_id</c>, as it appears in webhook metadata.</summary>
    [Required]
    public string PhoneNumberId { get; set; } = "";

    public string? DisplayPhoneNumber { get; set; }

    /// <summary>The employee whose number this is.</summary>
    public string? CustodianEmail { get; set; }
}
