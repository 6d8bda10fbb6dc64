using System.Data.Common;
using System.Globalization;
using ComplianceHub.Core.Storage;

namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// Hands out <see cref="ChatMessage.SearchKey"/>s inside one writer transaction (which holds the
/// archive's write lock): the next free key of each second. It asks the database only for seconds it
/// has not seen, and learns the empty stretch after each one, so an import into a quiet part of the
/// timeline asks once and not once per message.
/// </summary>
internal sealed class SearchKeyAllocator : IDisposable
{
    private readonly Dictionary<long, long> _next = [];
    private readonly DbCommand _lastInSecond;
    private readonly DbCommand _firstFrom;

    /// <summary>Seconds in [<see cref="_emptyFrom"/>, <see cref="_emptyUntil"/>) hold no stored message.</summary>
    private long _emptyFrom;

    private long _emptyUntil;

    public SearchKeyAllocator(DbConnection connection, DbTransaction transaction)
    {
        _lastInSecond = DbCommands.Create(connection, transaction,
            """SELECT MAX("SearchKey") FROM "ChatMessages" WHERE "SearchKey" >= @from AND "SearchKey" < @until""", ("@from", 0L), ("@until", 0L));
        _firstFrom = DbCommands.Create(connection, transaction, """SELECT MIN("SearchKey") FROM "ChatMessages" WHERE "SearchKey" >= @from""", ("@from", 0L));
    }

    public long Next(DateTimeOffset sentAt)
    {
        var second = sentAt.ToUnixTimeSeconds();
        if (!_next.TryGetValue(second, out var key))
        {
            key = FirstFreeKey(second);
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
        _lastInSecond.Dispose();
        _firstFrom.Dispose();
    }

    private long FirstFreeKey(long second)
    {
        var start = second * SearchKeys.PerSecond;
        if (second >= _emptyFrom && second < _emptyUntil)
        {
            return start;
        }

        var end = start + SearchKeys.PerSecond;
        var last = Scalar(_lastInSecond, start, end);
        var nextUsed = Scalar(_firstFrom, end, null);
        _emptyFrom = second + 1;
        _emptyUntil = nextUsed is { } used ? SearchKeys.SecondOf(used) : long.MaxValue;
        return last is { } taken ? taken + 1 : start;
    }

    private static long? Scalar(DbCommand command, long from, long? until)
    {
        command.Parameters[0].Value = from;
        if (until is { } u)
        {
            command.Parameters[1].Value = u;
        }

        return command.ExecuteScalar() is { } value and not DBNull ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : null;
    }
}
