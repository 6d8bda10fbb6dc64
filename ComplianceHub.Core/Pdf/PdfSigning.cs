using System.Security.Cryptography.X509Certificates;
using PdfSharp.Fonts;
using PdfSharp.Pdf.IO;
using PdfSharp.Pdf.Signatures;
using SkiaSharp;

namespace ComplianceHub.Core.Pdf;

/// <summary>How a document is signed: the certificate (with its private key) and what the signature says.</summary>
public sealed record PdfSignatureRequest(X509Certificate2 Certificate, string Reason, string Location);

/// <summary>
/// Signs a finished document with PDFsharp (stack notes §2.10): an invisible approval signature over the whole file
/// (SHA-256, adbe.pkcs7.detached) that <c>pdfsig</c> reports valid. Skia draws; PDFsharp only signs, so the shaped text
/// and colour emoji stay as drawn.
/// </summary>
internal static class PdfSigning
{
    private static readonly Lock FontsLock = new();
    private static bool _fontsSet;

    /// <summary>Reads the document from <paramref name="input"/> (from its start) and writes it signed to <paramref name="output"/>.</summary>
    public static async Task SignAsync(Stream input, Stream output, PdfSignatureRequest request)
    {
        EnsureFonts();
        input.Position = 0;
        using var document = PdfReader.Open(input, PdfDocumentOpenMode.Modify);
        DigitalSignatureHandler.ForDocument(document, new PdfSharpDefaultSigner(request.Certificate, PdfMessageDigestType.SHA256, null),
            new DigitalSignatureOptions
            {
                Reason = request.Reason,
                Location = request.Location,
                ContactInfo = request.Certificate.GetNameInfo(X509NameType.EmailName, forIssuer: false) is { Length: > 0 } email ? email : "",
                AppName = "ComplianceHub",
                PageIndex = 0,
            });

        // PDFsharp reads back what it wrote to compute the signature: a readable, seekable file, then copied out.
        await using var signed = new FileStream(Path.Combine(Path.GetTempPath(), $"compliancehub-pdf-signed-{Guid.NewGuid():N}.pdf"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        await document.SaveAsync(signed, closeStream: false);
        signed.Position = 0;
        await signed.CopyToAsync(output);
    }

    /// <summary>PDFsharp's signature appearance asks for "Verdana": every face it asks for is served by the system's sans-serif.</summary>
    private static void EnsureFonts()
    {
        lock (FontsLock)
        {
            if (!_fontsSet)
            {
                GlobalFontSettings.FontResolver ??= new SansResolver();
                _fontsSet = true;
            }
        }
    }

    private sealed class SansResolver : IFontResolver
    {
        private readonly Lazy<byte[]> _face = new(() =>
        {
            foreach (var family in new[] { "DejaVu Sans", "Noto Sans", "Liberation Sans" })
            {
                using var typeface = SKTypeface.FromFamilyName(family);
                if (typeface.FamilyName == family && typeface.OpenStream() is { } stream)
                {
                    using (stream)
                    {
                        var bytes = new byte[stream.Length];
                        stream.Read(bytes, bytes.Length);
                        return bytes;
                    }
                }
            }

            throw new InvalidOperationException("No sans-serif font (DejaVu Sans, Noto Sans, Liberation Sans) for the PDF signature's appearance.");
        });

        public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => new("sans");

        public byte[] GetFont(string faceName) => _face.Value;
    }
}
