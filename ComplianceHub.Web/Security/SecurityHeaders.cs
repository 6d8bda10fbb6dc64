using System.Security.Cryptography;

namespace ComplianceHub.Web.Security;

/// <summary>
/// The headers every answer carries: no sniffing, no framing, no referrer, and a strict Content-Security-Policy. Scripts
/// come only from the portal itself; the one inline script (Blazor's import map) carries this answer's nonce. Styles may
/// be inline because MudBlazor and Blazor set <c>style</c> attributes (which no nonce can cover); nothing else is
/// loaded from anywhere but the portal, no plug-ins run, forms post only to it, and no other site may frame it. The
/// SCORM player's course files answer with their own, looser policy (<c>TrainingEndpoints</c>): they are the course
/// author's scripts, framed by the portal.
/// </summary>
internal static class SecurityHeaders
{
    private const string NonceKey = "ComplianceHub.CspNonce";

    /// <summary>This answer's nonce, for the inline scripts the portal renders (App.razor's import map).</summary>
    public static string Nonce(HttpContext context) => context.Items[NonceKey] as string ?? "";

    /// <summary>The policy for an answer whose inline scripts carry <paramref name="nonce"/>.</summary>
    public static string ContentSecurityPolicy(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "media-src 'self' blob:; " +
        "frame-src 'self'; " +
        "worker-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        context.Items[NonceKey] = nonce;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
        await next();
    });
}
