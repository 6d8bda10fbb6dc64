using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Transcripts;
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

        // An archived attachment, inline (thumbnails in the transcript) or as a download; every fetch is audited.
        app.MapGet("/archive/attachments/{attachmentId:long}", async (long attachmentId, bool? inline, HttpContext context, TranscriptService transcripts) =>
        {
            var shown = inline == true;
            if (await transcripts.OpenAttachmentAsync(attachmentId, shown, CurrentActor.From(context), context.RequestAborted) is not { } found)
            {
                return Results.NotFound();
            }

            context.Response.Headers["X-Content-SHA256"] = found.Attachment.Sha256;
            context.Response.Headers.CacheControl = "private, no-store";
            var mediaType = string.IsNullOrEmpty(found.Attachment.MediaType) ? "application/octet-stream" : found.Attachment.MediaType;
            return shown && found.Attachment.IsImage
                ? Results.File(found.Content, mediaType)
                : Results.File(found.Content, mediaType, found.Attachment.FileName);
        }).RequireAuthorization(AuthorizationPolicyNames.ArchiveRead);

        return app;
    }
}
