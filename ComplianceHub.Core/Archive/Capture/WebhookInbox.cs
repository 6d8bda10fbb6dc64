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
/// once its payload is durable, and a burst costs one commit instead of one per request. On SQLite,
/// when the write turn does not come within <see cref="SpoolAfter"/> while an import is writing, the
/// group goes to the <see cref="WebhookSpool"/> instead and moves to the inbox table at the next turn.
/// </summary>
public sealed class WebhookInbox : IAsyncDisposable
{
    /// <summary>How long an arrival waits for SQLite's write turn before it is spooled: well inside the 50 ms latency goal.</summary>
    internal static readonly TimeSpan SpoolAfter = TimeSpan.FromMilliseconds(15);

    private const int MaxGroup = 256;

    /// <summary>Spooled payloads moved per write turn: a backlog left by a long import moves in short transactions.</summary>
    private const int MoveAtOnce = 1_000;

    private readonly IDbContextFactory<ComplianceHubDbContext> _dbFactory;
    private readonly TimeProvider _clock;
    private readonly ArchiveWriteGate _gate;
    private readonly WebhookSignal _signal;
    private readonly ILogger<WebhookInbox> _logger;
    /// <summary>Opened at first use, not when the inbox is built (the web host builds it before the database exists).</summary>
    private readonly Lazy<WebhookSpool?> _spoolFile;

    /// <summary>Serialises use of the spool between the group writer and whoever moves spooled rows.</summary>
    private readonly SemaphoreSlim _spoolLock = new(1, 1);

    private readonly Channel<Arrival> _arrivals = Channel.CreateUnbounded<Arrival>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public WebhookInbox(
        IDbContextFactory<ComplianceHubDbContext> dbFactory, StorageSettings storage, TimeProvider clock, ArchiveWriteGate gate,
        WebhookSignal signal, ILogger<WebhookInbox> logger)
    {
        _dbFactory = dbFactory;
        _clock = clock;
        _gate = gate;
        _signal = signal;
        _logger = logger;
        _spoolFile = new Lazy<WebhookSpool?>(() => WebhookSpool.Open(storage));
        _writer = Task.Run(WriteArrivalsAsync);
    }

    private WebhookSpool? Spool => _spoolFile.Value;

    /// <summary>True while payloads wait in the spool (the processor moves them before it reads the inbox).</summary>
    internal bool HasSpooled => Spool?.HasRows == true;

    /// <summary>Stores a verified payload durably; it is processed afterwards.</summary>
    public async Task AcceptAsync(byte[] body, string? remoteAddress, CancellationToken ct = default)
    {
        var delivery = WebhookDelivery.Received(_clock.GetUtcNow(), body, remoteAddress);
        var arrival = new Arrival(delivery, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_arrivals.Writer.TryWrite(arrival))
        {
            throw new InvalidOperationException("The webhook inbox is shutting down.");
        }

        // Not cancelled with the request: once queued, the row is written either way.
        await arrival.Stored.Task;
    }

    /// <summary>
    /// Moves spooled payloads to the inbox table, oldest first and up to <see cref="MoveAtOnce"/> per turn (the processor
    /// calls this before each batch). One already there (same instant and body hash: the process stopped between the
    /// two commits) is not written twice.
    /// </summary>
    internal async Task MoveSpooledAsync(CancellationToken ct)
    {
        if (!HasSpooled)
        {
            return;
        }

        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        using (await _gate.EnterAsync(db, ct))
        {
            long last;
            List<WebhookDelivery> spooled;
            await _spoolLock.WaitAsync(ct);
            try
            {
                (last, spooled) = Spool!.ReadOldest(MoveAtOnce);
            }
            finally
            {
                _spoolLock.Release();
            }

            if (spooled.Count == 0)
            {
                return;
            }

            await WriteAsync(db, spooled, skipStored: true);
            await _spoolLock.WaitAsync(CancellationToken.None);
            try
            {
                Spool.RemoveThrough(last);
            }
            finally
            {
                _spoolLock.Release();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _arrivals.Writer.TryComplete();
        await _writer;
        if (_spoolFile.IsValueCreated)
        {
            _spoolFile.Value?.Dispose();
        }

        _spoolLock.Dispose();
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
                await StoreAsync(group.ConvertAll(a => a.Delivery));
                foreach (var arrival in group)
                {
                    arrival.Stored.SetResult();
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

    /// <summary>
    /// PostgreSQL: straight to the table (its writers do not share one lock). SQLite: behind rows already spooled, to
    /// keep their order; else to the table at the write turn, unless an import is writing and the turn does not come
    /// within <see cref="SpoolAfter"/>: then to the spool. Short writers (the processor's batches, sign-ins) are
    /// waited for, in turn order, so the spool is the exception and inbox rows reach the processor at once.
    /// </summary>
    private async Task StoreAsync(List<WebhookDelivery> deliveries)
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        if (Spool is null)
        {
            await WriteAsync(db, deliveries, skipStored: false);
            return;
        }

        if (await TrySpoolAsync(deliveries, onlyBehindOthers: true))
        {
            return;
        }

        using var giveUp = new CancellationTokenSource();
        var entering = _gate.EnterAsync(db, giveUp.Token);
        while (!entering.IsCompleted)
        {
            await Task.WhenAny(entering, Task.Delay(SpoolAfter, giveUp.Token));
            if (!entering.IsCompleted && _gate.LongWriterRunning)
            {
                await giveUp.CancelAsync();
            }
        }

        IDisposable turn;
        try
        {
            turn = await entering;
        }
        catch (OperationCanceledException)
        {
            await TrySpoolAsync(deliveries, onlyBehindOthers: false);
            return;
        }

        using (turn)
        {
            await WriteAsync(db, deliveries, skipStored: false);
        }
    }

    private async Task<bool> TrySpoolAsync(List<WebhookDelivery> deliveries, bool onlyBehindOthers)
    {
        await _spoolLock.WaitAsync();
        try
        {
            if (onlyBehindOthers && !Spool!.HasRows)
            {
                return false;
            }

            Spool!.Append(deliveries);
            return true;
        }
        finally
        {
            _spoolLock.Release();
        }
    }

    /// <summary>One transaction, one prepared insert for the group (the hot path: no change tracking).</summary>
    private static async Task WriteAsync(ComplianceHubDbContext db, List<WebhookDelivery> deliveries, bool skipStored)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var connection = db.Database.GetDbConnection();
        using (var insert = BulkInsert.Prepare(connection, transaction.GetDbTransaction(), "WebhookDeliveries",
            "ReceivedAt", "Body", "BodySha256", "RemoteAddress", "Status", "Attempts", "RawBody"))
        using (var stored = skipStored ? BulkInsert.PrepareCommand(connection, transaction.GetDbTransaction(),
            """SELECT COUNT(*) FROM "WebhookDeliveries" WHERE "ReceivedAt" = @p1 AND "BodySha256" = @p2""", 2) : null)
        {
            foreach (var delivery in deliveries)
            {
                if (stored?.Bind(1, delivery.ReceivedAt.ToUnixTimeMilliseconds()).Bind(2, delivery.BodySha256).Insert() > 0)
                {
                    continue;
                }

                insert.Bind(1, delivery.ReceivedAt).Bind(2, delivery.Body).Bind(3, delivery.BodySha256).Bind(4, delivery.RemoteAddress)
                    .Bind(5, (long)WebhookDeliveryStatus.Pending).Bind(6, 0L).Bind(7, delivery.RawBody).Insert();
            }
        }

        await transaction.CommitAsync();
    }

    private sealed record Arrival(WebhookDelivery Delivery, TaskCompletionSource Stored);
}
