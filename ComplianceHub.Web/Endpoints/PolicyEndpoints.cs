using System.Globalization;
using System.Security.Claims;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Policies;
using ComplianceHub.Web.Security;
using Microsoft.AspNetCore.Authorization;

namespace ComplianceHub.Web.Endpoints;

internal static class PolicyEndpoints
{
    public static IEndpointRouteBuilder MapPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        // The receipt of a signature: for the employee who signed, and for those who may see the policies. Audited.
        app.MapGet("/policies/acknowledgements/{id:long}/receipt.pdf", async (long id, HttpContext context, PolicyService policies, AuditLog audit,
            IAuthorizationService authorization, TimeProvider clock) =>
        {
            var ct = context.RequestAborted;
            if (await policies.GetAcknowledgementAsync(id, ct) is not { } receipt)
            {
                return Results.NotFound();
            }

            var own = receipt.Acknowledgement.UserId == context.User.FindFirstValue(ClaimTypes.NameIdentifier);
            if (!own && !(await authorization.AuthorizeAsync(context.User, AuthorizationPolicyNames.PoliciesRead)).Succeeded)
            {
                return Results.NotFound(); // not theirs to know it exists
            }

            var version = await policies.GetVersionAsync(receipt.Acknowledgement.VersionId, ct);
            var pdf = new MemoryStream();
            await PolicyReceiptPdf.WriteAsync(pdf, receipt, version!.Value.Version, clock.GetUtcNow(), ct);
            await audit.RecordInOwnTransactionAsync(AuditEventType.PolicyReceiptDownloaded, CurrentActor.From(context),
                new AuditSubject("PolicyAcknowledgement", id.ToString(CultureInfo.InvariantCulture)),
                new { title = receipt.Title, version = receipt.Version, employee = receipt.Acknowledgement.UserEmail }, ct);
            pdf.Position = 0;
            context.Response.Headers.CacheControl = "private, no-store";
            return Results.File(pdf, "application/pdf", $"receipt-ACK-{id.ToString("D6", CultureInfo.InvariantCulture)}.pdf");
        }).RequireAuthorization(AuthorizationPolicyNames.SignedIn);

        // A version's attached PDF: a published version's for anyone signed in (it is what staff are asked to sign), a
        // draft's only for those who may see the policies.
        app.MapGet("/policies/versions/{id:long}/attachment.pdf", async (long id, HttpContext context, PolicyService policies, IAuthorizationService authorization) =>
        {
            var ct = context.RequestAborted;
            if (await policies.GetVersionAsync(id, ct) is not { } found
                || (found.Version.Status == PolicyVersionStatus.Draft
                    && !(await authorization.AuthorizeAsync(context.User, AuthorizationPolicyNames.PoliciesRead)).Succeeded)
                || await policies.OpenPdfAsync(id, ct) is not { } pdf)
            {
                return Results.NotFound();
            }

            context.Response.Headers.CacheControl = "private, no-store";
            return Results.File(pdf.Content, "application/pdf", pdf.FileName);
        }).RequireAuthorization(AuthorizationPolicyNames.SignedIn);

        // A version's tracking, one row per person. Audited.
        app.MapGet("/policies/versions/{id:long}/tracking.csv", async (long id, HttpContext context, PolicyReport report, AuditLog audit) =>
        {
            var ct = context.RequestAborted;
            if (await report.VersionAsync(id, ct) is not { } tracking)
            {
                return Results.NotFound();
            }

            await audit.RecordInOwnTransactionAsync(AuditEventType.PolicyTrackingExported, CurrentActor.From(context),
                new AuditSubject("PolicyVersion", id.ToString(CultureInfo.InvariantCulture)),
                new { title = tracking.Standing.Title, version = tracking.Standing.Version, people = tracking.People.Count }, ct);
            context.Response.Headers.CacheControl = "private, no-store";
            return Results.File(PolicyReport.ToCsv(tracking), "text/csv",
                $"policy-{tracking.Standing.DocumentId.ToString(CultureInfo.InvariantCulture)}-v{tracking.Standing.Version.ToString(CultureInfo.InvariantCulture)}-tracking.csv");
        }).RequireAuthorization(AuthorizationPolicyNames.PoliciesRead);

        return app;
    }
}
