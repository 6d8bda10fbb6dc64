using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Archive.Capture;

/// <summary>The durable inbox of verified webhook payloads, and the tally of refused requests.</summary>
public sealed class WebhookInbox(IDbContextFactory<ComplianceHubDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Stores a verified payload and returns its inbox id; it is processed afterwards.</summary>
    public async Task<long> AcceptAsync(byte[] body, string? remoteAddress, CancellationToken ct = default)
    {
        var delivery = new WebhookDelivery(
            clock.GetUtcNow(), Encoding.UTF8.GetString(body), Convert.ToHexStringLower(SHA256.HashData(body)), remoteAddress);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(ct);
        return delivery.Id;
    }

    /// <summary>Counts a refused request (never its body).</summary>
    public async Task RejectAsync(string reason, string? remoteAddress, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.WebhookRejections.Add(new WebhookRejection(clock.GetUtcNow(), reason, remoteAddress));
        await db.SaveChangesAsync(ct);
    }
}
