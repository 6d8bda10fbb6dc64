using System.Collections.Concurrent;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Archive.Capture;

/// <summary>
/// Counts refused webhook requests (bad or missing signature, too large) in memory, and writes them as one summary row
/// per reason and address (<see cref="WebhookRejection.Count"/>, first and last time) when flushed: by the capture
/// worker every few seconds, and before the capture page reads them. A flood of unsigned requests therefore costs the
/// database a row every few seconds, not one per request, and signed capture keeps its pace. An address refused more
/// than <see cref="ThrottleAfter"/> times within a minute is told to slow down (429 with Retry-After) until the minute
/// has passed; its signed requests are still taken.
/// </summary>
public sealed class WebhookRefusals(IDbContextFactory<ComplianceHubDbContext> dbFactory, TimeProvider clock)
{
    public const int ThrottleAfter = 30;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string Reason, string? Remote), Tally> _pending = new();
    private readonly ConcurrentDictionary<string, Tally> _perAddress = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);

    /// <summary>Counts one refusal; returns how long the caller should wait before trying again, or null when it is not throttled.</summary>
    public TimeSpan? Refuse(string reason, string? remoteAddress)
    {
        var now = clock.GetUtcNow();
        _pending.AddOrUpdate((reason, remoteAddress), _ => new Tally(now), (_, tally) => tally.Add(now));
        if (remoteAddress is null)
        {
            return null;
        }

        var recent = _perAddress.AddOrUpdate(remoteAddress, _ => new Tally(now),
            (_, tally) => now - tally.First >= Window ? new Tally(now) : tally.Add(now));
        return recent.Count > ThrottleAfter ? recent.First + Window - now : null;
    }

    /// <summary>How many refusals wait to be written.</summary>
    public long Pending => _pending.Values.Sum(t => t.Count);

    /// <summary>Writes what was counted since the last flush, a row per reason and address; returns how many refusals.</summary>
    public async Task<long> FlushAsync(CancellationToken ct = default)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            var taken = new List<((string Reason, string? Remote) Key, Tally Tally)>();
            foreach (var key in _pending.Keys)
            {
                if (_pending.TryRemove(key, out var tally))
                {
                    taken.Add((key, tally));
                }
            }

            if (taken.Count > 0)
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                db.WebhookRejections.AddRange(taken.Select(t => new WebhookRejection(t.Tally.First, t.Key.Reason, t.Key.Remote, t.Tally.Count, t.Tally.Last)));
                await db.SaveChangesAsync(CancellationToken.None);
            }

            // Forget addresses whose minute has passed.
            var now = clock.GetUtcNow();
            foreach (var (address, tally) in _perAddress)
            {
                if (now - tally.First >= Window)
                {
                    _perAddress.TryRemove(new KeyValuePair<string, Tally>(address, tally));
                }
            }

            return taken.Sum(t => t.Tally.Count);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private sealed record Tally(DateTimeOffset First, DateTimeOffset Last, int Count)
    {
        public Tally(DateTimeOffset at)
            : this(at, at, 1)
        {
        }

        public Tally Add(DateTimeOffset at) => this with { Last = at, Count = Count + 1 };
    }
}
