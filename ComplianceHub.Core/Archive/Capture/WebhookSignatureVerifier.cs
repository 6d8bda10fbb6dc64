using System.Security.Cryptography;
using System.Text;

namespace ComplianceHub.Core.Archive.Capture;

public enum WebhookSignatureResult
{
    Valid,
    Missing,
    WrongPrefix,
    Malformed,
    Mismatch,
}

/// <summary>
/// Checks Meta's <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c>: HMAC-SHA256 of the exact raw body bytes
/// keyed with the app secret, compared in constant time (whatsapp-formats.md §2.3).
/// </summary>
public static class WebhookSignatureVerifier
{
    public const string HeaderName = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    public static WebhookSignatureResult Verify(ReadOnlySpan<byte> body, string? header, string appSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(appSecret);
        if (string.IsNullOrEmpty(header))
        {
            return WebhookSignatureResult.Missing;
        }

        if (!header.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return WebhookSignatureResult.WrongPrefix;
        }

        var hex = header.AsSpan(Prefix.Length);
        Span<byte> claimed = stackalloc byte[32];
        if (hex.Length != 64 || Convert.FromHexString(hex, claimed, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
        {
            return WebhookSignatureResult.Malformed;
        }

        Span<byte> actual = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body, actual);
        return CryptographicOperations.FixedTimeEquals(actual, claimed) ? WebhookSignatureResult.Valid : WebhookSignatureResult.Mismatch;
    }

    /// <summary>The header value Meta would send for <paramref name="body"/> (fake servers, tests, benchmarks).</summary>
    public static string Sign(ReadOnlySpan<byte> body, string appSecret) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));
}
