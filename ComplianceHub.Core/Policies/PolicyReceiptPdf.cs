using System.Globalization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Pdf;

namespace ComplianceHub.Core.Policies;

/// <summary>
/// The receipt of one signature, from the one document renderer: who signed (name typed, account), which policy and
/// version, the SHA-256 of the text they read, when (UTC), from where (IP address, user agent), whether it was given
/// on their behalf and why, the attached PDF's name and hash if there is one; then a copy of the text signed, whose hash a reader can check against the one printed.
/// </summary>
public static class PolicyReceiptPdf
{
    public static async Task WriteAsync(Stream output, PolicyReceipt receipt, PolicyVersion version, DateTimeOffset generatedAt, CancellationToken ct = default)
    {
        var a = receipt.Acknowledgement;
        var number = $"ACK-{a.Id.ToString("D6", CultureInfo.InvariantCulture)}";
        var options = new PdfDocumentOptions
        {
            Info = new PdfDocumentInfo($"Acknowledgement receipt {number}: {receipt.Title}, version {receipt.Version}", "ComplianceHub",
                $"{a.FullName} acknowledged {receipt.Title}", generatedAt, "policy acknowledgement; receipt"),
            Running = page => new PdfRunningText(
                HeaderLeft: $"Acknowledgement receipt {number}",
                HeaderRight: receipt.Title,
                FooterLeft: $"Page {page.Number} of {page.Count}",
                FooterRight: $"Generated {Utc(generatedAt)}"),
        };

        await PdfDocumentWriter.WriteAsync(output, options, (pdf, _) =>
        {
            pdf.Heading("Policy acknowledgement receipt", 1, "receipt");
            pdf.Paragraph(a.IsOnBehalf
                ? $"{a.OnBehalfBy} recorded, on behalf of {a.FullName}, that {a.FullName} has read \u201C{receipt.Title}\u201D (version {receipt.Version}) and will comply with it."
                : $"{a.FullName} confirmed having read \u201C{receipt.Title}\u201D (version {receipt.Version}) to its end, ticked \u201CI have read and will comply\u201D and typed their full name to sign.");
            pdf.Space(8);
            var facts = new List<KeyValuePair<string, string>>
            {
                new("Receipt", number),
                new("Name", a.FullName),
                new("Account", a.UserEmail),
                new("Policy", receipt.Title),
                new("Version", $"{receipt.Version.ToString(CultureInfo.InvariantCulture)} (published {Utc(receipt.PublishedAt)})"),
                new("Content SHA-256", a.ContentSha256),
                new("Signed (UTC)", Utc(a.AcknowledgedAt)),
                new("IP address", a.IpAddress ?? "not known"),
                new("User agent", a.UserAgent ?? "not known"),
            };
            if (version.AttachmentSha256 is { } attachment)
            {
                facts.Add(new("Attached PDF", $"{version.AttachmentFileName} ({ByteSize.Describe(version.AttachmentLength)})"));
                facts.Add(new("Attached PDF SHA-256", attachment));
            }

            if (a.IsOnBehalf)
            {
                facts.Add(new("Given on behalf by", a.OnBehalfBy!));
                facts.Add(new("Reason", a.OnBehalfReason ?? ""));
            }

            pdf.KeyValues(facts);
            pdf.Space(8);
            pdf.Paragraph("The signature can be neither changed nor deleted, and its recording is sealed in the archive's audit chain. The SHA-256 "
                + "above is that of the policy's text as published (its UTF-8 bytes); the copy that follows is that text, for reading.", PdfTextStyle.Muted);

            pdf.PageBreak();
            pdf.Heading($"The text signed: {receipt.Title}, version {receipt.Version}", 2, "text");
            foreach (var (level, text) in PolicyMarkdown.ToPlainBlocks(version.Content))
            {
                if (level > 0)
                {
                    pdf.Heading(text, Math.Min(3, level + 1));
                }
                else
                {
                    pdf.Paragraph(text);
                }
            }

            return Task.CompletedTask;
        }, ct);
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
