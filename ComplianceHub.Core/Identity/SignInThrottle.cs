using System.Collections.Concurrent;
using ComplianceHub.Core.Audit;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Identity;

/// <summary>
/// Progressive delays on failed sign-ins, kept in memory, per client address and per e-mail address tried, instead of
/// locking accounts. The first <see cref="SignInSecurityOptions.FreeFailuresPerAddress"/> (or <c>…PerAccount</c>) failures cost
/// nothing; after them each further attempt must wait 1 s, 2 s, 4 s … after the last failure, up to
/// <see cref="SignInSecurityOptions.MaxDelayPerAddress"/> for an address and the much shorter
/// <see cref="SignInSecurityOptions.MaxDelayPerAccount"/> for an account, so guessing at an account is held to about one guess a
/// minute while its owner is never kept out for longer than that. An attempt made before its wait is over is refused
/// without its password being looked at. Failures are forgotten after <see cref="SignInSecurityOptions.ForgetAfter"/> of quiet;
/// a successful sign-in clears its account's count but not its address's (an attacker's own account must not wipe its
/// address clean). E-mail addresses are counted whether or not an account has them, so the delays say nothing about
/// which accounts exist. Refused attempts are counted here and written to the audit trail as one
/// <see cref="AuditEventType.SignInThrottled"/> event per address and e-mail address by <see cref="FlushAsync"/>.
/// </summary>
public sealed class SignInThrottle(IOptions<SignInSecurityOptions> options, TimeProvider clock, AuditLog audit)
{
    /// <summary>Beyond this many remembered addresses or e-mail addresses, the quiet ones are forgotten first.</summary>
    private const int MaxRemembered = 100_000;

    private readonly SignInSecurityOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Failures> _addresses = new();
    private readonly ConcurrentDictionary<string, Failures> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string? Address, string Account), Refusals> _refused = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);

    /// <summary>How long the attempt must wait before it may be checked, or null when it may be checked now.</summary>
    public TimeSpan? WaitBeforeAttempt(string? address, string account)
    {
        var now = clock.GetUtcNow();
        var wait = TimeSpan.Zero;
        if (address is not null && _addresses.TryGetValue(address, out var byAddress))
        {
            wait = Max(wait, Remaining(byAddress, _options.FreeFailuresPerAddress, _options.MaxDelayPerAddress, now));
        }

        if (_accounts.TryGetValue(Normalise(account), out var byAccount))
        {
            wait = Max(wait, Remaining(byAccount, _options.FreeFailuresPerAccount, _options.MaxDelayPerAccount, now));
        }

        return wait > TimeSpan.Zero ? wait : null;
    }

    /// <summary>Counts a failed attempt (wrong password, unknown e-mail address, wrong second factor).</summary>
    public void Failed(string? address, string account)
    {
        var now = clock.GetUtcNow();
        if (address is not null)
        {
            Count(_addresses, address, now);
        }

        Count(_accounts, Normalise(account), now);
    }

    /// <summary>Clears the account's count after a successful sign-in.</summary>
    public void Succeeded(string account) => _accounts.TryRemove(Normalise(account), out _);

    /// <summary>Counts an attempt refused for coming before its wait was over, to be written by <see cref="FlushAsync"/>.</summary>
    public void Refused(string? address, string account)
    {
        var now = clock.GetUtcNow();
        _refused.AddOrUpdate((address, Normalise(account)), _ => new Refusals(now, now, 1), (_, r) => r with { Last = now, Count = r.Count + 1 });
    }

    /// <summary>How many refused attempts wait to be written.</summary>
    public long PendingRefusals => _refused.Values.Sum(r => (long)r.Count);

    /// <summary>
    /// Writes the refused attempts counted since the last flush, one audit event per client address and e-mail address
    /// (count, first and last time), and forgets failures that have gone quiet; returns how many attempts were written.
    /// </summary>
    public async Task<long> FlushAsync(CancellationToken ct = default)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            long written = 0;
            foreach (var key in _refused.Keys)
            {
                if (_refused.TryRemove(key, out var refusals))
                {
                    await audit.RecordInOwnTransactionAsync(
                        AuditEventType.SignInThrottled,
                        new AuditActor(null, Truncate(key.Account, 256), key.Address),
                        details: new { refused = refusals.Count, first = refusals.First, last = refusals.Last },
                        ct: CancellationToken.None);
                    written += refusals.Count;
                }
            }

            var now = clock.GetUtcNow();
            Forget(_addresses, now);
            Forget(_accounts, now);
            return written;
        }
        finally
        {
            _flushing.Release();
        }
    }

    private static string Normalise(string account) => account.Trim();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private TimeSpan Remaining(Failures failures, int free, TimeSpan maxDelay, DateTimeOffset now)
    {
        if (now - failures.Last >= _options.ForgetAfter || failures.Count < free)
        {
            return TimeSpan.Zero;
        }

        // 1 s after the last free failure, doubling with each failure after it; capped before it can overflow.
        var doublings = Math.Min(failures.Count - free, 40);
        var delay = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, doublings), maxDelay.TotalSeconds));
        var remaining = failures.Last + delay - now;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    private void Count(ConcurrentDictionary<string, Failures> map, string key, DateTimeOffset now)
    {
        map.AddOrUpdate(key, _ => new Failures(1, now),
            (_, f) => now - f.Last >= _options.ForgetAfter ? new Failures(1, now) : new Failures(f.Count + 1, now));
        if (map.Count > MaxRemembered)
        {
            Forget(map, now);
        }
    }

    private void Forget(ConcurrentDictionary<string, Failures> map, DateTimeOffset now)
    {
        foreach (var (key, failures) in map)
        {
            if (now - failures.Last >= _options.ForgetAfter)
            {
                map.TryRemove(new KeyValuePair<string, Failures>(key, failures));
            }
        }

        // Still too many (a spray of distinct names inside the forget period): keep the most recent half.
        if (map.Count > MaxRemembered)
        {
            var cutoff = map.Values.Select(f => f.Last).OrderDescending().ElementAt(MaxRemembered / 2);
            foreach (var (key, failures) in map)
            {
                if (failures.Last <= cutoff)
                {
                    map.TryRemove(new KeyValuePair<string, Failures>(key, failures));
                }
            }
        }
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private sealed record Failures(int Count, DateTimeOffset Last);

    private sealed record Refusals(DateTimeOffset First, DateTimeOffset Last, int Count);
}
