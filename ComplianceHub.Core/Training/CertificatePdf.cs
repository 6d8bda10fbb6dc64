using System.Globalization;
using ComplianceHub.Core.Pdf;

namespace ComplianceHub.Core.Training;

/// <summary>
/// A completion's certificate, from the one document renderer: who completed which course, when and how, the score,
/// until when it is valid, and the verification code that anyone signed in can check on the portal's verification page.
/// </summary>
public static class CertificatePdf
{
    public static async Task WriteAsync(Stream output, TrainingCompletion completion, DateTimeOffset generatedAt, CancellationToken ct = default)
    {
        var options = new PdfDocumentOptions
        {
            Info = new PdfDocumentInfo($"Certificate of completion: {completion.CourseTitle}", "ComplianceHub", $"{completion.FullName} completed {completion.CourseTitle}",
                generatedAt, "training; certificate of completion"),
            Running = page => new PdfRunningText(HeaderLeft: "Certificate of completion", HeaderRight: $"Verification code {completion.VerificationCode}",
                FooterLeft: $"Page {page.Number} of {page.Count}", FooterRight: $"Generated {Utc(generatedAt)}"),
        };

        await PdfDocumentWriter.WriteAsync(output, options, (pdf, _) =>
        {
            pdf.Heading("Certificate of completion", 1, "certificate");
            pdf.Space(12);
            pdf.Paragraph("This certifies that", PdfTextStyle.Muted);
            pdf.Heading(completion.FullName, 2);
            pdf.Paragraph("has completed the course", PdfTextStyle.Muted);
            pdf.Heading(completion.CourseTitle, 2);
            pdf.Space(12);
            var facts = new List<KeyValuePair<string, string>>
            {
                new("Completed", Utc(completion.CompletedAt)),
                new("How", completion.Method switch
                {
                    CompletionMethod.Quiz => "passed the course's quiz",
                    CompletionMethod.Scorm => "completed the course's e-learning package",
                    CompletionMethod.Seminar => "attended a seminar",
                    CompletionMethod.Material => "read the course's material",
                    _ => $"recorded by {completion.RecordedBy}: {completion.Reason}",
                }),
            };
            if (completion.Score is { } score)
            {
                facts.Add(new("Score", score.ToString(CultureInfo.InvariantCulture) + " %"));
            }

            facts.Add(new("Valid until", completion.ExpiresAt is { } expires ? Utc(expires) : "no expiry"));
            facts.Add(new("Account", completion.UserEmail));
            facts.Add(new("Verification code", completion.VerificationCode));
            pdf.KeyValues(facts);
            pdf.Space(12);
            pdf.Paragraph("Anyone signed in to ComplianceHub can check this certificate on its verification page (training/verify) with the code above. "
                + "The check says whether it is genuine and still valid (not expired, not voided).", PdfTextStyle.Muted);
            return Task.CompletedTask;
        }, ct);
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
