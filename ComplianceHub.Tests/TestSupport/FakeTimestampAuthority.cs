using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace ComplianceHub.Tests.TestSupport;

/// <summary>
/// A time-stamping authority at the external boundary, in process: answers RFC 3161 queries posted to it with real
/// tokens (TSTInfo signed in CMS with the ESS signing-certificate attribute) from its own certificate, stamped at
/// <see cref="Clock"/>'s time, counting them (<see cref="Requests"/>). Nothing leaves the machine. <see cref="Refuse"/> makes it answer 503.
/// </summary>
public sealed class FakeTimestampAuthority : HttpMessageHandler
{
    private long _serial;

    private readonly RSA _key = RSA.Create(2048);

    public FakeTimestampAuthority(string name = "Fake TSA")
    {
        var key = _key;
        var request = new CertificateRequest($"CN={name}, O=ComplianceHub tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        Certificate = request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    /// <summary>Whose time the tokens state (the test host's clock, once it has started).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;
    public X509Certificate2 Certificate { get; }
    public bool Refuse { get; set; }
    public int Requests { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests++;
        if (Refuse)
        {
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        }

        request.Content!.Headers.ContentType!.MediaType.ShouldBe("application/timestamp-query");
        var query = await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Rfc3161TimestampRequest.TryDecode(query, out var decoded, out _).ShouldBeTrue();
        var reply = new ByteArrayContent(Respond(decoded!));
        reply.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/timestamp-reply");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = reply };
    }

    private byte[] Respond(Rfc3161TimestampRequest request)
    {
        var info = new Rfc3161TimestampTokenInfo(new Oid("1.3.6.1.4.1.99999.1"), request.HashAlgorithmId, request.GetMessageHash(),
            new System.Numerics.BigInteger(Interlocked.Increment(ref _serial)).ToByteArray(isBigEndian: true), Clock.GetUtcNow(), nonce: request.GetNonce());
        var cms = new SignedCms(new ContentInfo(new Oid("1.2.840.113549.1.9.16.1.4"), info.Encode()), detached: false);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, Certificate)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        signer.SignedAttributes.Add(new AsnEncodedData(new Oid("1.2.840.113549.1.9.16.2.47"), SigningCertificateV2()));
        cms.ComputeSignature(signer);

        // TimeStampResp ::= SEQUENCE { status PKIStatusInfo { status 0 (granted) }, timeStampToken }
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger(0);
            }

            writer.WriteEncodedValue(cms.Encode());
        }

        return writer.Encode();
    }

    /// <summary>SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 { certHash (SHA-256, the default) } }.</summary>
    private byte[] SigningCertificateV2()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteOctetString(SHA256.HashData(Certificate.RawData));
        }

        return writer.Encode();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Certificate.Dispose();
            _key.Dispose();
        }

        base.Dispose(disposing);
    }
}
