using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace ComplianceHub.Core.Integrity;

/// <summary>
/// A time-stamping authority (RFC 3161) that countersigns checkpoints: its token proves, by a party outside the firm,
/// that a checkpoint's line existed at the time it states, so a log rewritten later with the signing key in hand still
/// shows. Configured by <c>Integrity:TimestampAuthorityUrl</c>; none by default.
/// </summary>
public interface ITimestampAuthority
{
    bool IsConfigured { get; }

    /// <summary>Asks for a token over <paramref name="sha256"/>; returns it DER-encoded (a CMS SignedData), checked against the request.</summary>
    Task<byte[]> StampAsync(byte[] sha256, CancellationToken ct);
}

/// <summary>No authority configured: checkpoints are sealed without tokens.</summary>
public sealed class NoTimestampAuthority : ITimestampAuthority
{
    public bool IsConfigured => false;

    public Task<byte[]> StampAsync(byte[] sha256, CancellationToken ct) => throw new InvalidOperationException("No time-stamping authority is configured.");
}

/// <summary>An RFC 3161 authority over HTTP(S): a <c>application/timestamp-query</c> posted, the reply checked (status, hash, nonce).</summary>
public sealed class Rfc3161TimestampAuthority(HttpClient http, Uri url) : ITimestampAuthority
{
    public bool IsConfigured => true;

    public async Task<byte[]> StampAsync(byte[] sha256, CancellationToken ct)
    {
        var request = Rfc3161TimestampRequest.CreateFromHash(sha256, HashAlgorithmName.SHA256,
            nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);
        using var content = new ByteArrayContent(request.Encode());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        using var response = await http.PostAsync(url, content, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new CryptographicException($"The time-stamping authority {url} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        var reply = await response.Content.ReadAsByteArrayAsync(ct);
        // Throws when the authority refused, or the token is not for this hash and nonce, or is not validly signed.
        var token = request.ProcessResponse(reply, out _);
        return token.AsSignedCms().Encode();
    }
}

/// <summary>Reading back a token: what it stamps, when, and by whom, checked against an optional trusted certificate.</summary>
public static class TimestampTokens
{
    /// <summary>
    /// Checks <paramref name="token"/> stamps <paramref name="sha256"/> under a valid signature (by a certificate that
    /// chains to <paramref name="trusted"/> when one is given); returns the time it states, or the problem.
    /// </summary>
    public static (DateTimeOffset? Time, string? Problem) Check(byte[] token, byte[] sha256, X509Certificate2? trusted)
    {
        if (!Rfc3161TimestampToken.TryDecode(token, out var decoded, out _))
        {
            return (null, "the token is not an RFC 3161 time-stamp token");
        }

        if (!decoded.TokenInfo.GetMessageHash().Span.SequenceEqual(sha256))
        {
            return (null, "the token stamps another line's hash");
        }

        if (!decoded.VerifySignatureForHash(sha256, HashAlgorithmName.SHA256, out var signer, extraCandidates: null) || signer is null)
        {
            return (null, "the token's signature does not verify");
        }

        using (signer)
        {
            if (trusted is not null && !ChainsTo(signer, trusted))
            {
                return (null, $"the token is signed by {signer.Subject}, which does not chain to the configured authority's certificate {trusted.Subject}");
            }
        }

        return (decoded.TokenInfo.Timestamp, null);
    }

    private static bool ChainsTo(X509Certificate2 signer, X509Certificate2 trusted)
    {
        if (signer.RawDataMemory.Span.SequenceEqual(trusted.RawDataMemory.Span))
        {
            return true;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        return chain.Build(signer);
    }
}
