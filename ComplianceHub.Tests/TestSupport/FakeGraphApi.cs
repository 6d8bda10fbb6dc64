using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ComplianceHub.Tests.TestSupport;

/// <summary>
/// A stand-in for Meta's Graph API media endpoints on loopback (whatsapp-formats.md §2.8), the one
/// external boundary the capture path talks to: <c>GET /v23.0/{media-id}</c> returns metadata with a
/// download URL; <c>GET /files/{media-id}</c> returns the bytes. Both require the bearer token.
/// Failures and wrong bytes can be scripted per media id.
/// </summary>
public sealed class FakeGraphApi : IAsyncDisposable
{
    public const string Token = "graph-test-token";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, MediaFile> _media = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    private FakeGraphApi(WebApplication app)
    {
        _app = app;
    }

    public string Root { get; private set; } = "";

    /// <summary>What to configure as <c>WhatsApp:GraphApiBaseUrl</c>.</summary>
    public string BaseUrl => Root + "/v23.0";

    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<FakeGraphApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeGraphApi(app);
        app.MapGet("/v23.0/{mediaId}", (string mediaId, HttpContext context) => fake.Metadata(mediaId, context));
        app.MapGet("/files/{mediaId}", (string mediaId, HttpContext context) => fake.File(mediaId, context));
        await app.StartAsync();
        fake.Root = app.Urls.Single().TrimEnd('/');
        return fake;
    }

    /// <summary>Serves <paramref name="bytes"/> under <paramref name="mediaId"/>; the metadata reports their true hash unless told otherwise.</summary>
    public void AddMedia(string mediaId, byte[] bytes, string mimeType, string? reportedSha256 = null) =>
        _media[mediaId] = new MediaFile(bytes, mimeType, reportedSha256 ?? Convert.ToHexStringLower(SHA256.HashData(bytes)));

    /// <summary>The next <paramref name="count"/> metadata requests for the media answer 500.</summary>
    public void FailNext(string mediaId, int count) => _failures[mediaId] = count;

    public int RequestsFor(string mediaId) => Requests.Count(r => r.EndsWith("/" + mediaId, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private IResult Metadata(string mediaId, HttpContext context)
    {
        Requests.Enqueue("meta/" + mediaId);
        if (!Authorized(context))
        {
            return Results.Unauthorized();
        }

        if (_failures.TryGetValue(mediaId, out var left) && left > 0)
        {
            _failures[mediaId] = left - 1;
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }

        return _media.TryGetValue(mediaId, out var file)
            ? Results.Json(new
            {
                messaging_product = "whatsapp",
                url = $"{Root}/files/{mediaId}",
                mime_type = file.MimeType,
                sha256 = file.ReportedSha256,
                file_size = file.Bytes.Length,
                id = mediaId,
            })
            : Results.NotFound();
    }

    private IResult File(string mediaId, HttpContext context)
    {
        Requests.Enqueue("file/" + mediaId);
        if (!Authorized(context))
        {
            return Results.Unauthorized();
        }

        return _media.TryGetValue(mediaId, out var file) ? Results.Bytes(file.Bytes, file.MimeType) : Results.NotFound();
    }

    private static bool Authorized(HttpContext context) =>
        string.Equals(context.Request.Headers.Authorization.ToString(), "Bearer " + Token, StringComparison.Ordinal);

    private sealed record MediaFile(byte[] Bytes, string MimeType, string ReportedSha256);
}
