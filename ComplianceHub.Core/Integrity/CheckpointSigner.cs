using System.Security.Cryptography;
using ComplianceHub.Core.Storage;

namespace ComplianceHub.Core.Integrity;

/// <summary>
/// Signs checkpoints with an ECDSA P-256 key kept outside the data directory, and checks their signatures. The key is
/// created (owner-only) the first time it is needed; its public half is written beside it for whoever verifies
/// checkpoints without the private key.
/// </summary>
public sealed class CheckpointSigner : IDisposable
{
    private readonly ECDsa _key;

    private CheckpointSigner(ECDsa key, string keyId) => (_key, KeyId) = (key, keyId);

    /// <summary>The SHA-256 of the public key (SubjectPublicKeyInfo), as each checkpoint names the key that signed it.</summary>
    public string KeyId { get; }

    public static CheckpointSigner LoadOrCreate(string keyFile)
    {
        var key = ECDsa.Create();
        if (File.Exists(keyFile))
        {
            try
            {
                key.ImportFromPem(File.ReadAllText(keyFile));
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                key.Dispose();
                throw new InvalidOperationException($"The checkpoint signing key {keyFile} is not an EC private key in PEM ({e.Message}).", e);
            }
        }
        else
        {
            key.GenerateKey(ECCurve.NamedCurves.nistP256);
            var directory = Path.GetDirectoryName(keyFile)!;
            PrivateFiles.CreateDirectory(directory);
            PrivateFiles.WriteNew(keyFile, key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(Path.ChangeExtension(keyFile, ".pub.pem"), key.ExportSubjectPublicKeyInfoPem());
        }

        return new CheckpointSigner(key, Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo())));
    }

    public string Sign(ReadOnlySpan<byte> data) => Convert.ToBase64String(_key.SignData(data, HashAlgorithmName.SHA256));

    public bool Verify(ReadOnlySpan<byte> data, string signature)
    {
        Span<byte> bytes = stackalloc byte[128];
        return Convert.TryFromBase64String(signature, bytes, out var length) && _key.VerifyData(data, bytes[..length], HashAlgorithmName.SHA256);
    }

    public void Dispose() => _key.Dispose();
}
