using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using ComplianceHub.Core.Common;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Exports;

/// <summary>
/// The certificate productions are signed with (configuration section <c>Exports:Signing</c>): a PKCS#12 file and its
/// password, both from configuration or the environment (<c>Exports__Signing__CertificatePath</c>,
/// <c>Exports__Signing__CertificatePassword</c>), never from the repository. Unset: productions are not signed.
/// </summary>
public sealed class ExportSigningOptions
{
    public const string SectionName = "Exports:Signing";

    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }
}

/// <summary>
/// Signs what a production must prove it has not been changed since: the package manifest, as a detached CMS
/// (PKCS#7) signature that <c>openssl cms -verify</c> and the <c>verify-export</c> verb check.
/// </summary>
public sealed class ExportSigner(IOptions<ExportSigningOptions> options)
{
    private readonly Lazy<X509Certificate2?> _certificate = new(() => Load(options.Value));

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.CertificatePath);

    /// <summary>The signing certificate with its private key; null when signing is not configured.</summary>
    public X509Certificate2? Certificate => _certificate.Value;

    /// <summary>A detached CMS signature (DER) over <paramref name="content"/>, signed at <paramref name="at"/>; null when signing is not configured.</summary>
    public byte[]? SignDetached(byte[] content, DateTimeOffset at)
    {
        if (Certificate is not { } certificate)
        {
            return null;
        }

        var cms = new SignedCms(new ContentInfo(content), detached: true);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, certificate)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"), // SHA-256
            IncludeOption = X509IncludeOption.EndCertOnly,
        };
        signer.SignedAttributes.Add(new Pkcs9SigningTime(at.UtcDateTime));
        cms.ComputeSignature(signer);
        return cms.Encode();
    }

    /// <summary>
    /// Checks a detached signature over <paramref name="content"/>: the signature itself (not the certificate's trust,
    /// which only the receiving party can judge). Returns the signer's subject, or why it does not verify.
    /// </summary>
    public static (bool Valid, string Detail) VerifyDetached(byte[] content, byte[] signature)
    {
        try
        {
            var cms = new SignedCms(new ContentInfo(content), detached: true);
            cms.Decode(signature);
            cms.CheckSignature(verifySignatureOnly: true);
            var certificate = cms.SignerInfos[0].Certificate;
            return (true, certificate is null
                ? "signature valid (the signer's certificate is not included)"
                : $"signature valid, signed by {certificate.Subject} (certificate {certificate.Thumbprint}, valid {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}; its trust is for the receiving party to judge)");
        }
        catch (CryptographicException e)
        {
            return (false, $"signature does not verify: {e.Message}");
        }
    }

    private static X509Certificate2? Load(ExportSigningOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return null;
        }

        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
            return certificate.HasPrivateKey
                ? certificate
                : throw new ComplianceRuleException($"The signing certificate '{options.CertificatePath}' has no private key ({ExportSigningOptions.SectionName}:CertificatePath).");
        }
        catch (CryptographicException e)
        {
            throw new ComplianceRuleException($"The signing certificate '{options.CertificatePath}' cannot be read ({ExportSigningOptions.SectionName}:CertificatePath and CertificatePassword): {e.Message}");
        }
    }
}
