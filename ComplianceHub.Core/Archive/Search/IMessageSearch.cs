using System.Data.Common;

namespace ComplianceHub.Core.Archive.Search;

/// <summary>
/// The full-text index over archived messages, one implementation per provider: a contentless SQLite
/// FTS5 table, or a PostgreSQL table of <c>tsvector</c>s with a GIN index. Both hold terms made by
/// <see cref="SearchTokenizer"/> under the message's <see cref="ChatMessage.SearchKey"/>, so hits come
/// out of the index newest first and both providers agree on every match. The index is derived data:
/// it lives outside the append-only message table and can be rebuilt from it.
/// </summary>
public interface IMessageSearch
{
    /// <summary>Index inserts for a writer's transaction: a message is searchable exactly when it is stored.</summary>
    ISearchIndexWriter OpenIndexWriter(DbConnection connection, DbTransaction transaction);

    /// <summary>
    /// The FROM clause joining the index to <c>"ChatMessages" m</c> (the index side drives: its order is
    /// the result order).
    /// </summary>
    string IndexJoin { get; }

    /// <summary>The index alone in a FROM clause, under the same name <see cref="IndexJoin"/> gives it (for counts).</summary>
    string IndexTable { get; }

    /// <summary>The condition a row of the index must meet to match the query bound as <c>@match</c>.</summary>
    string MatchCondition { get; }

    /// <summary>The index's own search key column, equal to <c>m."SearchKey"</c>.</summary>
    string IndexKey { get; }

    /// <summary>A relevance score for the query in <c>@match</c>, lower is better.</summary>
    string Score { get; }

    /// <summary>The parsed query in the provider's own syntax, bound as <c>@match</c>.</summary>
    string ToMatch(SearchQuery query);
}

/// <summary>
/// Adds messages to the search index inside one open transaction. Entries are buffered and written
/// in key order by <see cref="Flush"/>, which must run before the transaction commits: SQLite FTS5
/// writes a new segment whenever a rowid is lower than the one before it in the same transaction, and
/// captured messages arrive in any time order.
/// </summary>
public interface ISearchIndexWriter : IDisposable
{
    /// <summary>Indexes <paramref name="text"/> (<see cref="SearchTokenizer.IndexText"/>) under <paramref name="searchKey"/>.</summary>
    void Add(long searchKey, string text);

    /// <summary>Writes the buffered entries, lowest key first.</summary>
    void Flush();
}

/// <summary>The buffering and ordering both providers' index writers share; <see cref="Write"/> stores one entry.</summary>
internal abstract class BufferedSearchIndexWriter : ISearchIndexWriter
{
    /// <summary>Bounds the buffer of a long import (entries arrive nearly in order there).</summary>
    private const int MaxBuffered = 1_000;

    private readonly List<(long Key, string Text)> _pending = [];

    public void Add(long searchKey, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        _pending.Add((searchKey, text));
        if (_pending.Count >= MaxBuffered)
        {
            Flush();
        }
    }

    public void Flush()
    {
        _pending.Sort((a, b) => a.Key.CompareTo(b.Key));
        foreach (var (key, text) in _pending)
        {
            Write(key, text);
        }

        _pending.Clear();
    }

    public abstract void Dispose();

    protected abstract void Write(long searchKey, string text);
}
