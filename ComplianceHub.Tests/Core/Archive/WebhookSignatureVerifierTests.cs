using System.Text;
using ComplianceHub.Core.Archive.Capture;

namespace ComplianceHub.Tests.Core.Archive;

public sealed class WebhookSignatureVerifierTests
{
    private const string Secret = "test-app-secret";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"object":"whatsapp_business_account","entry":[]}""");

    [Fact]
    public void Verify_SignatureOfTheRawBody_IsValid() =>
        WebhookSignatureVerifier.Verify(Body, WebhookSignatureVerifier.Sign(Body, Secret), Secret).ShouldBe(WebhookSignatureResult.Valid);

    [Fact]
    public void Verify_KnownVector_MatchesHmacSha256Hex()
    {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog") from RFC 4231-style published vectors.
        var body = Encoding.UTF8.GetBytes("The quick brown fox jumps over the lazy dog");

        WebhookSignatureVerifier.Sign(body, "key").ShouldBe("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }

    [Theory]
    [InlineData(null, WebhookSignatureResult.Missing)]
    [InlineData("", WebhookSignatureResult.Missing)]
    [InlineData("sha1=abcdef", WebhookSignatureResult.WrongPrefix)]
    [InlineData("sha256=not-hex", WebhookSignatureResult.Malformed)]
    [InlineData("sha256=00", WebhookSignatureResult.Malformed)]
    public void Verify_MissingOrMalformedHeader_IsRefused(string? header, WebhookSignatureResult expected) =>
        WebhookSignatureVerifier.Verify(Body, header, Secret).ShouldBe(expected);

    [Fact]
    public void Verify_WrongSecretOrTamperedBody_IsAMismatch()
    {
        var signature = WebhookSignatureVerifier.Sign(Body, Secret);
        var tampered = Body.ToArray();
        tampered[^3] ^= 1;

        WebhookSignatureVerifier.Verify(Body, signature, "another-secret").ShouldBe(WebhookSignatureResult.Mismatch);
        WebhookSignatureVerifier.Verify(tampered, signature, Secret).ShouldBe(WebhookSignatureResult.Mismatch);
    }
}
