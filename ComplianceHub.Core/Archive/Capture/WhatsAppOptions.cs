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

    /// <summary>A configured number silent for longer than this raises a warning on the dashboard (a broken capture must be noticed).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan SilenceWarningAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Attempts at downloading one media file before it is marked failed (media ids expire after about 7 days).</summary>
    [Range(1, 50)]
    public int MediaMaxAttempts { get; set; } = 8;

    public WhatsAppBusinessNumber? FindNumber(string phoneNumberId) =>
        BusinessNumbers.FirstOrDefault(n => string.Equals(n.PhoneNumberId, phoneNumberId, StringComparison.Ordinal));

    /// <summary>The business numbers' display numbers in E.164 (Meta writes them without the plus).</summary>
    public IReadOnlySet<string> BusinessPhonesE164() =>
        BusinessNumbers
            .Select(b => Common.PhoneNumberNormalizer.TryNormalize(b.DisplayPhoneNumber?.StartsWith('+') == true ? b.DisplayPhoneNumber : "+" + b.DisplayPhoneNumber))
            .OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>True when the webhook can accept deliveries at all.</summary>
    public bool IsConfigured => !string.IsNullOrEmpty(AppSecret) && !string.IsNullOrEmpty(VerifyToken);
}

public sealed class WhatsAppBusinessNumber
{
    /// <summary>Meta's <c>phone_number_id</c>, as it appears in webhook metadata.</summary>
    [Required]
    public string PhoneNumberId { get; set; } = "";

    public string? DisplayPhoneNumber { get; set; }

    /// <summary>How the number is shown in transcripts and on the operator page ("Sales desk").</summary>
    public string? Label { get; set; }

    /// <summary>The employee whose number this is.</summary>
    public string? CustodianEmail { get; set; }
}
