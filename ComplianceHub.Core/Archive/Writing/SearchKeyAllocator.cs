using System.Data.Common;
using ComplianceHub.Core.Storage;

namespace ComplianceHub.Core.Archive.Writing;

/// <summary>
/// Hands out <see cref="ChatMessage.SearchKey"/>s inside one writer transaction (which holds the
/// archive's write lock): the next free key of each second. It asks the database only for seconds it
/// has not seen, and learns the empty stretch after each one, so an import into a quiet part of the
/// timeline asks once and not once per message. What it remembers is only a cache of what the
/// transaction has written (the probe reads those rows too), so it is bounded: a million-message import
/// spans about as many seconds.
/// </summary>
internal sealed class SearchKeyAllocator : IDisposable
{
    private const int MaxRememberedSeconds = 4_096;
    private readonly Dictionary<long, long> _next = [];
    private readonly DbCommand _probe;

    /// <summary>Seconds in [<see cref="_emptyFrom"/>, <see cref="_emptyUntil"/>) hold no stored message.</summary>
    private long _emptyFrom;

    private long _emptyUntil;

    public SearchKeyAllocator(DbConnection connection, DbTransaction transaction)
    {
        // One round trip per unseen second: the last key taken in it, and the first key taken after it.
        _probe = DbCommands.Create(connection, transaction, """
            SELECT (SELECT "SearchKey" FROM "ChatMessages" WHERE "SearchKey" >= @from AND "SearchKey" < @until ORDER BY "SearchKey" DESC LIMIT 1),
                   (SELECT "SearchKey" FROM "ChatMessages" WHERE "SearchKey" >= @until ORDER BY "SearchKey" LIMIT 1)
            """, ("@from", 0L), ("@until", 0L));
    }

    public long Next(DateTimeOffset sentAt)
    {
        var second = sentAt.ToUnixTimeSeconds();
        if (!_next.TryGetValue(second, out var key))
        {
            key = FirstFreeKey(second);
            if (_next.Count >= MaxRememberedSeconds)
            {
                // Forgotten seconds may lie in the stretch believed empty: forget that too, and probe again.
                _next.Clear();
                (_emptyFrom, _emptyUntil) = (0, 0);
            }
        }

        if (key >= (second + 1) * SearchKeys.PerSecond)
        {
            throw new InvalidOperationException(
                $"More than {SearchKeys.PerSecond:N0} messages are dated {sentAt:u}; the archive orders at most that many per second.");
        }

        _next[second] = key + 1;
        return key;
    }

    public void Dispose()
    {
        _probe.Dispose();
    }

    private long FirstFreeKey(long second)
    {
        var start = second * SearchKeys.PerSecond;
        if (second >= _emptyFrom && second < _emptyUntil)
        {
            return start;
        }

        var end = start + SearchKeys.PerSecond;
        _probe.Parameters[0].Value = start;
        _probe.Parameters[1].Value = end;
        long? last, nextUsed;
        using (var reader = _probe.ExecuteReader())
        {
            reader.Read();
            last = reader.IsDBNull(0) ? null : reader.GetInt64(0);
            nextUsed = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        }

        _emptyFrom = second + 1;
        _emptyUntil = nextUsed is { } used ? SearchKeys.SecondOf(used) : long.MaxValue;
        return last is { } taken ? taken + 1 : start;
    }
}
