using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using ComplianceHub.Core.Archive.Writing;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace ComplianceHub.Core.Archive.Capture;

/// <summary>
/// The durable inbox of verified webhook payloads, and the tally of refused requests. Payloads
/// arriving together are written in one transaction (group commit): each caller still returns only
/// once its row is durable, and a burst costs one commit instead of one per request.
/// </summary>
public sealed class WebhookInbox : IAsyncDisposable
{
    private const int MaxGroup = 256;

    private readonly IDbContextFactory<ComplianceHubDbContext> _dbFactory;
    private readonly TimeProvider _clock;
    private readonly ArchiveWriteGate _gate;
    private readonly WebhookSignal _signal;
    private readonly ILogger<WebhookInbox> _logger;
    private readonly Channel<Arrival> _arrivals = Channel.CreateUnbounded<Arrival>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public WebhookInbox(
        IDbContextFactory<ComplianceHubDbContext> dbFactory, TimeProvider clock, ArchiveWriteGate gate, WebhookSignal signal, ILogger<WebhookInbox> logger)
    {
        _dbFactory = dbFactory;
        _clock = clock;
        _gate = gate;
        _signal = signal;
        _logger = logger;
        _writer = Task.Run(WriteArrivalsAsync);
    }

    /// <summary>Stores a verified payload durably and returns its inbox id; it is processed afterwards.</summary>
    public async Task<long> AcceptAsync(byte[] body, string? remoteAddress, CancellationToken ct = default)
    {
        var delivery = new WebhookDelivery(
            _clock.GetUtcNow(), Encoding.UTF8.GetString(body), Convert.ToHexStringLower(SHA256.HashData(body)), remoteAddress);
        var arrival = new Arrival(delivery, new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_arrivals.Writer.TryWrite(arrival))
        {
            throw new InvalidOperationException("The webhook inbox is shutting down.");
        }

        // Not cancelled with the request: once queued, the row is written either way.
        return await arrival.Stored.Task;
    }

    /// <summary>Counts a refused request (never its body).</summary>
    public async Task RejectAsync(string reason, string? remoteAddress, CancellationToken ct = default)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        db.WebhookRejections.Add(new WebhookRejection(_clock.GetUtcNow(), reason, remoteAddress));
        await db.SaveChangesAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        _arrivals.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteArrivalsAsync()
    {
        var group = new List<Arrival>(MaxGroup);
        while (await _arrivals.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _arrivals.Reader.TryRead(out var arrival))
            {
                group.Add(arrival);
            }

            try
            {
                await using (var db = await _dbFactory.CreateDbContextAsync())
                using (await _gate.EnterAsync(db, CancellationToken.None))
                {
                    await WriteAsync(db, group);
                }

                foreach (var arrival in group)
                {
                    arrival.Stored.SetResult(arrival.Id);
                }

                _signal.Notify();
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Could not store {Count} webhook deliveries; Meta will redeliver them", group.Count);
                foreach (var arrival in group)
                {
                    arrival.Stored.SetException(e);
                }
            }
        }
    }

    /// <summary>One transaction, one prepared insert for the group (the hot path: no change tracking).</summary>
    private static async Task WriteAsync(ComplianceHubDbContext db, List<Arrival> group)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        using (var insert = BulkInsert.Prepare(db.Database.GetDbConnection(), transaction.GetDbTransaction(), "WebhookDeliveries",
            "ReceivedAt", "Body", "BodySha256", "RemoteAddress", "Status", "Attempts"))
        {
            foreach (var arrival in group)
            {
                var delivery = arrival.Delivery;
                arrival.Id = insert.Bind(1, delivery.ReceivedAt).Bind(2, delivery.Body).Bind(3, delivery.BodySha256).Bind(4, delivery.RemoteAddress)
                    .Bind(5, (long)WebhookDeliveryStatus.Pending).Bind(6, 0L).Insert();
            }
        }

        await transaction.CommitAsync();
    }

    private sealed record Arrival(WebhookDelivery Delivery, TaskCompletionSource<long> Stored)
    {
        public long Id { get; set; }
    }
}
