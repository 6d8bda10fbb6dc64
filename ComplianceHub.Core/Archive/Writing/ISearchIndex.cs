using System.Data.Common;

namespace ComplianceHub.Core.Archive.Writing;

/// <summary>
/// The full-text index as the write path sees it: a message is searchable exactly when it is stored,
/// because its entry is written in the writer's own transaction. Search implements it per provider and
/// decides what a message is found by; the archive only hands over the text.
/// </summary>
public interface ISearchIndex
{
    /// <summary>Index inserts on the writer's connection and transaction.</summary>
    ISearchIndexWriter OpenWriter(DbConnection connection, DbTransaction transaction);

    /// <summary>SQL removing the entries whose keys <paramref name="keysSelect"/> (a SELECT of search keys) returns: an unfinished import's.</summary>
    string RemoveEntriesSql(string keysSelect);

    /// <summary>
    /// SQL that rewrites the index so that entries removed leave no trace of their terms in it (after a disposition), or
    /// null when the provider's own clean-up (PostgreSQL's vacuum) does that.
    /// </summary>
    string? CompactSql { get; }
}

/// <summary>
/// Adds messages to the search index inside one open transaction. Entries may be buffered; <see cref="Flush"/>
/// writes them and must run before the transaction commits.
/// </summary>
public interface ISearchIndexWriter : IDisposable
{
    /// <summary>Indexes a message's body and its attachments' file names under its <see cref="ChatMessage.SearchKey"/>.</summary>
    void Add(long searchKey, string body, IEnumerable<string> fileNames);

    /// <summary>Writes the buffered entries.</summary>
    void Flush();
}
