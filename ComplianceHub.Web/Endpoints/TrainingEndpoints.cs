using System.Security.Claims;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Training;
using ComplianceHub.Web.Security;
using Microsoft.AspNetCore.Authorization;

namespace ComplianceHub.Web.Endpoints;

internal static class TrainingEndpoints
{
    public static IEndpointRouteBuilder MapTrainingEndpoints(this IEndpointRouteBuilder app)
    {
        // A completion's certificate: for the employee, and for those who may see the training. Audited.
        app.MapGet("/training/completions/{id:long}/certificate.pdf", async (long id, HttpContext context, TrainingService training, AuditLog audit,
            IAuthorizationService authorization, TimeProvider clock) =>
        {
            var ct = context.RequestAborted;
            if (await training.GetCompletionAsync(id, ct) is not { } completion)
            {
                return Results.NotFound();
            }

            var own = completion.UserId == context.User.FindFirstValue(ClaimTypes.NameIdentifier);
            if (!own && !(await authorization.AuthorizeAsync(context.User, AuthorizationPolicyNames.TrainingRead)).Succeeded)
            {
                return Results.NotFound();
            }

            var pdf = new MemoryStream();
            await CertificatePdf.WriteAsync(pdf, completion, clock.GetUtcNow(), ct);
            await audit.RecordInOwnTransactionAsync(AuditEventType.TrainingCertificateDownloaded, CurrentActor.From(context), TrainingService.Subject(completion.CourseId),
                new { completion = id, course = completion.CourseTitle, employee = completion.UserEmail }, ct);
            pdf.Position = 0;
            context.Response.Headers.CacheControl = "private, no-store";
            return Results.File(pdf, "application/pdf", $"certificate-{completion.VerificationCode}.pdf");
        }).RequireAuthorization(AuthorizationPolicyNames.SignedIn);

        // Everyone's standing on every course, one row per person and course. Audited.
        app.MapGet("/training/report.csv", async (HttpContext context, TrainingReport report, AuditLog audit) =>
        {
            var people = await report.PeopleAsync(context.RequestAborted);
            await audit.RecordInOwnTransactionAsync(AuditEventType.TrainingReportExported, CurrentActor.From(context), new AuditSubject("TrainingReport", "all"),
                new { rows = people.Count }, context.RequestAborted);
            context.Response.Headers.CacheControl = "private, no-store";
            return Results.File(TrainingReport.ToCsv(people), "text/csv", "training-report.csv");
        }).RequireAuthorization(AuthorizationPolicyNames.TrainingRead);

        return app;
    }
}
