using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Web.Security;

namespace ComplianceHub.Web.Endpoints;

internal static class ArchiveEndpoints
{
    /// <summary>Downloads: plain GET links are simpler and easier to test than JS-interop downloads.</summary>
    public static IEndpointRouteBuilder MapArchiveEndpoints(this IEndpointRouteBuilder app)
    {
        // The original upload of an import batch, byte for byte (chain of custody). Audited.
        app.MapGet("/archive/imports/{batchId:long}/original", async (long batchId, HttpContext context, ExportImportService imports) =>
        {
            var original = await imports.OpenOriginalAsync(batchId, CurrentActor.From(context), context.RequestAborted);
            if (original is not { } found)
            {
                return Results.NotFound();
            }

            context.Response.Headers["X-Content-SHA256"] = found.Batch.OriginalSha256;
            return Results.File(found.Content, "application/octet-stream", found.Batch.OriginalFileName, enableRangeProcessing: false);
        }).RequireAuthorization(AuthorizationPolicyNames.ArchiveRead);

        return app;
    }
}
