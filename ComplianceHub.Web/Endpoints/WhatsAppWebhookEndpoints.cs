using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Archive.Capture;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Web.Endpoints;

/// <summary>
/// The WhatsApp Cloud API webhook (whatsapp-formats.md §2). Anonymous by design: Meta authenticates
/// each delivery with an HMAC signature of the raw body, checked before anything is stored.
/// </summary>
internal static class WhatsAppWebhookEndpoints
{
    public const string Path = "/webhooks/whatsapp";

    public static IEndpointRouteBuilder MapWhatsAppWebhook(this IEndpointRouteBuilder app)
    {
        // Meta reads status codes, not pages: no re-executed error page for these.
        var webhook = app.MapGroup(Path).AllowAnonymous().WithMetadata(new SkipStatusCodePagesAttribute());
        webhook.MapGet("", Verify);
        webhook.MapPost("", ReceiveAsync).DisableAntiforgery();
        return app;
    }

    /// <summary>The subscription handshake: echo the challenge only for the configured verify token.</summary>
    private static IResult Verify(HttpRequest request, IOptionsMonitor<WhatsAppOptions> options)
    {
        var settings = options.CurrentValue;
        string? mode = request.Query["hub.mode"], token = request.Query["hub.verify_token"], challenge = request.Query["hub.challenge"];
        var tokenMatches = settings.VerifyToken is { Length: > 0 } expected && token is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(expected));
        return mode == "subscribe" && tokenMatches && !string.IsNullOrEmpty(challenge)
            ? Results.Text(challenge, "text/plain", Encoding.UTF8)
            : Results.StatusCode(StatusCodes.Status403Forbidden);
    }

    /// <summary>Checks size and signature, stores the raw payload durably, answers 200 at once.</summary>
    private static async Task<IResult> ReceiveAsync(
        HttpContext context, IOptionsMonitor<WhatsAppOptions> options, WebhookInbox inbox, WebhookRefusals refusals, ILoggerFactory loggers)
    {
        var settings = options.CurrentValue;
        var remote = context.Connection.RemoteIpAddress?.ToString();
        var logger = loggers.CreateLogger("ComplianceHub.Webhook");
        if (string.IsNullOrEmpty(settings.AppSecret))
        {
            logger.LogWarning("WhatsApp webhook delivery refused: no app secret is configured (WhatsApp__AppSecret)");
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        var body = await ReadBodyAsync(context.Request, settings.MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            logger.LogDebug("WhatsApp webhook delivery from {Remote} refused: body over {Limit} bytes", remote, settings.MaxBodyBytes);
            return Refused(context, refusals.Refuse("too large", remote), StatusCodes.Status413PayloadTooLarge);
        }

        var signature = WebhookSignatureVerifier.Verify(body, context.Request.Headers[WebhookSignatureVerifier.HeaderName], settings.AppSecret);
        if (signature != WebhookSignatureResult.Valid)
        {
            var reason = "signature " + signature.ToString().ToLowerInvariant();
            // Counted in memory and written as a summary (WebhookRefusals); logged at debug only, or a flood floods the log.
            logger.LogDebug("WhatsApp webhook delivery from {Remote} refused: {Reason}", remote, reason);
            return Refused(context, refusals.Refuse(reason, remote), StatusCodes.Status401Unauthorized);
        }

        await inbox.AcceptAsync(body, remote, context.RequestAborted);
        return Results.Ok();
    }

    /// <summary>The refusal's status, or 429 with Retry-After for a caller refused too often this minute.</summary>
    private static IResult Refused(HttpContext context, TimeSpan? throttled, int status)
    {
        if (throttled is not { } wait)
        {
            return Results.StatusCode(status);
        }

        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.StatusCode(StatusCodes.Status429TooManyRequests);
    }

    /// <summary>The raw body, or null when it exceeds <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 16 * 1024);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            await buffer.WriteAsync(chunk.AsMemory(0, read), ct);
        }

        return buffer.ToArray();
    }
}
