using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Archive.Capture;

public enum WebhookDeliveryStatus
{
    Pending = 0,
    Processed = 1,
    Failed = 2,
}

/// <summary>
/// A verified webhook payload exactly as received, written durably before the endpoint answers 200.
/// Meta keeps no copy to fetch later, so this inbox row is the evidence; processing turns it into
/// archive records and a crash in between loses nothing.
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery()
    {
    }

    public WebhookDelivery(DateTimeOffset receivedAt, string body, string bodySha256, string? remoteAddress, byte[]? rawBody = null)
    {
        ReceivedAt = receivedAt;
        Body = body;
        BodySha256 = bodySha256;
        RemoteAddress = remoteAddress;
        RawBody = rawBody;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// A payload as received: its text for processing and, when its bytes are not valid UTF-8 (so the text cannot give
    /// them back), the bytes themselves. Either way <see cref="Bytes"/> is exactly what arrived and hashes to <see cref="BodySha256"/>.
    /// </summary>
    public static WebhookDelivery Received(DateTimeOffset receivedAt, byte[] body, string? remoteAddress)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(body));
        try
        {
            return new WebhookDelivery(receivedAt, StrictUtf8.GetString(body), sha256, remoteAddress);
        }
        catch (DecoderFallbackException)
        {
            return new WebhookDelivery(receivedAt, Encoding.UTF8.GetString(body), sha256, remoteAddress, body);
        }
    }

    public long Id { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }

    /// <summary>The JSON body as text: byte for byte when it arrived as valid UTF-8 (then <see cref="RawBody"/> is null).</summary>
    public string Body { get; private set; } = "";

    public string BodySha256 { get; private set; } = "";

    /// <summary>The body's bytes when they were not valid UTF-8 (the text then holds replacement characters); null otherwise.</summary>
    public byte[]? RawBody { get; private set; }

    /// <summary>Exactly the bytes received.</summary>
    public byte[] Bytes => RawBody ?? Encoding.UTF8.GetBytes(Body);
    public string? RemoteAddress { get; private set; }
    public WebhookDeliveryStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public string? Error { get; private set; }
    public DateTimeOffset? ProcessedAt { get; private set; }

    /// <summary>
    /// The disposition run that emptied <see cref="Body"/> and <see cref="RawBody"/>, once every message captured from the
    /// delivery was removed; its time and <see cref="BodySha256"/> stay, so the inbox's sealed digest still verifies.
    /// </summary>
    public long? PayloadDisposedByRun { get; private set; }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.Property(d => d.Body).IsRequired();
        builder.Ignore(d => d.Bytes);
        builder.Property(d => d.BodySha256).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(d => d.RemoteAddress).HasMaxLength(64);
        builder.Property(d => d.Status).HasConversion<int>();
        builder.Property(d => d.Error).HasMaxLength(4000);
        builder.HasIndex(d => new { d.Status, d.Id });
        builder.HasIndex(d => d.ReceivedAt);

        // Delivery history is archived data (Archive); the delivery it came in is capture's.
        builder.HasMany<MessageStatusEvent>().WithOne().HasForeignKey(s => s.WebhookDeliveryId).OnDelete(DeleteBehavior.Restrict);
    }
}
