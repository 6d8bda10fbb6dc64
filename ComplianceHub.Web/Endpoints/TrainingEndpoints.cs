using System.Security.Claims;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Training;
using ComplianceHub.Core.Training.Scorm;
using ComplianceHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.StaticFiles;

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

        // A file handed out with a course: for those it is assigned to and those who see the training. PDFs and
        // pictures open in the browser; anything else downloads (never rendered as a page of the portal).
        app.MapGet("/training/files/{id:long}/{name}", async (long id, HttpContext context, TrainingService training, TrainingObligations obligations,
            IAuthorizationService authorization) =>
        {
            var ct = context.RequestAborted;
            if (await training.OpenFileAsync(id, ct) is not { } found)
            {
                return Results.NotFound();
            }

            var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
            if (!(await authorization.AuthorizeAsync(context.User, AuthorizationPolicyNames.TrainingRead)).Succeeded
                && (userId is null || !(await obligations.ForUserAsync(userId, ct)).Any(o => o.CourseId == found.File.CourseId)))
            {
                await found.Content.DisposeAsync();
                return Results.NotFound();
            }

            var type = ContentTypes.TryGetContentType(found.File.FileName, out var known) ? known : "application/octet-stream";
            context.Response.Headers.CacheControl = "private, no-store";
            return Inline.Contains(type)
                ? Results.File(found.Content, type)
                : Results.File(found.Content, type, found.File.FileName);
        }).RequireAuthorization(AuthorizationPolicyNames.SignedIn);

        // A SCORM package's files, for the player's frame: to those who have started playing it (which needs the course
        // assigned) and those who see the training. Same origin as the portal (the SCO finds the run-time API in its
        // parent window), framed only by the portal, and kept from loading anything from elsewhere.
        app.MapGet("/training/scorm/{packageId:long}/{**path}", async (long packageId, string path, HttpContext context, ScormService scorm,
            IAuthorizationService authorization) =>
        {
            var ct = context.RequestAborted;
            var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
            if (!(await authorization.AuthorizeAsync(context.User, AuthorizationPolicyNames.TrainingRead)).Succeeded
                && (userId is null || !await scorm.HasPlayedAsync(packageId, userId, ct)))
            {
                return Results.NotFound();
            }

            if (await scorm.OpenFileAsync(packageId, path, ct) is not { } file)
            {
                return Results.NotFound();
            }

            context.Response.Headers.XFrameOptions = "SAMEORIGIN";
            context.Response.Headers.ContentSecurityPolicy =
                "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; frame-ancestors 'self'; form-action 'self'; base-uri 'self'";
            context.Response.Headers.CacheControl = "private, max-age=3600";
            context.Response.ContentLength = file.Length;
            return Results.Stream(file.Content, ContentTypes.TryGetContentType(file.Path, out var type) ? type : "application/octet-stream");
        }).RequireAuthorization(AuthorizationPolicyNames.SignedIn);

        // What the player's run-time API commits for the signed-in employee's own attempt (LMSCommit, LMSFinish). JSON
        // only (a cross-site form cannot send it).
        app.MapPost("/training/scorm/attempts/{attemptId:long}/commit", async (long attemptId, ScormCommitRequest request, HttpContext context, ScormService scorm) =>
        {
            try
            {
                var outcome = await scorm.CommitAsync(attemptId, request.Values ?? [], request.Finish, CurrentActor.From(context), context.RequestAborted);
                return Results.Json(new { lessonStatus = outcome.LessonStatus, score = outcome.Score, completionId = outcome.Completion?.Id });
            }
            catch (ComplianceRuleException ex)
            {
                return Results.Json(new { error = ex.Message }, statusCode: StatusCodes.Status400BadRequest);
            }
        }).RequireAuthorization(AuthorizationPolicyNames.SignedIn).DisableAntiforgery();

        return app;
    }

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private static readonly HashSet<string> Inline = ["application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"];

    private sealed record ScormCommitRequest(Dictionary<string, string>? Values, bool Finish);
}
