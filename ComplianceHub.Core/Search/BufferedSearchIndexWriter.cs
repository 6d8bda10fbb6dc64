using ComplianceHub.Core.Archive.Writing;

namespace ComplianceHub.Core.Search;

/// <summary>
/// The buffering and ordering both providers' index writers share; <see cref="Write"/> stores one entry.
/// Entries are written in key order by <see cref="Flush"/>: SQLite FTS5 writes a new segment whenever a
/// rowid is lower than the one before it in the same transaction, and captured messages arrive in any time order.
/// </summary>
internal abstract class BufferedSearchIndexWriter : ISearchIndexWriter
{
    /// <summary>Bounds the buffer of a long import (entries arrive nearly in order there).</summary>
    private const int MaxBuffered = 1_000;

    private readonly List<(long Key, string Text)> _pending = [];

    public void Add(long searchKey, string body, IEnumerable<string> fileNames)
    {
        var text = SearchTokenizer.IndexText(body, fileNames);
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
