using ComplianceHub.Core.Exports;
using ComplianceHub.Web.Security;

namespace ComplianceHub.Web.Endpoints;

internal static class ExportEndpoints
{
    /// <summary>A completed production's file, for the roles that may see legal holds; every download is audited.</summary>
    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/productions/{jobId:long}/download", async (long jobId, HttpContext context, ExportJobService jobs) =>
        {
            if (await jobs.OpenDownloadAsync(jobId, CurrentActor.From(context), context.RequestAborted) is not { } found)
            {
                return Results.NotFound();
            }

            context.Response.Headers["X-Content-SHA256"] = found.Job.Sha256;
            context.Response.Headers.CacheControl = "private, no-store";
            return Results.File(found.Content, "application/pdf", found.Job.FileName);
        }).RequireAuthorization(AuthorizationPolicyNames.LegalHoldsRead);

        return app;
    }
}
