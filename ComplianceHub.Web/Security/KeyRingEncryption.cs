using System.Text;
using System.Xml.Linq;
using ComplianceHub.Core.Storage.Encryption;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Security;

/// <summary>
/// The data-protection key ring (the keys behind sign-in cookies and antiforgery tokens) sealed on disk under the
/// archive key, as blobs are: each key's XML is kept as AES-GCM ciphertext naming the archive key that sealed it.
/// </summary>
public static class KeyRingEncryption
{
    private const string Purpose = "data-protection-key";

    public static IDataProtectionBuilder ProtectKeysWithArchiveKey(this IDataProtectionBuilder builder)
    {
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services =>
            new ConfigureOptions<KeyManagementOptions>(options => options.XmlEncryptor = new Encryptor(services.GetRequiredService<ArchiveKeys>())));
        return builder;
    }

    private sealed class Encryptor(ArchiveKeys keys) : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement)
        {
            var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
            var sealedBytes = keys.Wrap(plain, ArchiveKeys.Context(Purpose, keys.ActiveId));
            var element = new XElement("sealedKey",
                new XComment(" Sealed with AES-GCM under the ComplianceHub archive key named below. "),
                new XAttribute("archiveKey", keys.ActiveId),
                Convert.ToBase64String(sealedBytes));
            return new EncryptedXmlInfo(element, typeof(Decryptor));
        }
    }

    /// <summary>Created by data protection, by type, with the application's services.</summary>
    public sealed class Decryptor(IServiceProvider services) : IXmlDecryptor
    {
        public XElement Decrypt(XElement encryptedElement)
        {
            ArgumentNullException.ThrowIfNull(encryptedElement);
            var keys = services.GetRequiredService<ArchiveKeys>();
            var keyId = (string?)encryptedElement.Attribute("archiveKey")
                ?? throw new InvalidDataException("A data-protection key names no archive key.");
            var plain = keys.Unwrap(keyId, Convert.FromBase64String(encryptedElement.Value.Trim()), ArchiveKeys.Context(Purpose, keyId));
            return XElement.Parse(Encoding.UTF8.GetString(plain));
        }
    }
}
