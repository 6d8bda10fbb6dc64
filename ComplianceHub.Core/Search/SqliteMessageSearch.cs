using System.Data.Common;
using ComplianceHub.Core.Archive.Writing;
using ComplianceHub.Core.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace ComplianceHub.Core.Search;

/// <summary>
/// A contentless FTS5 table <c>ChatMessageSearch</c> whose rowid is the message's search key
/// (<c>unicode61</c> over terms already folded by <see cref="SearchTokenizer"/>, marks kept as word
/// characters, a 3-character prefix index, deletable for retention). Because the rowid follows sent
/// time, "newest first" is the index's own order and needs no sort (perf-notes.md).
/// </summary>
public sealed class SqliteMessageSearch : IMessageSearch
{
    public string IndexJoin => "\"ChatMessageSearch\" CROSS JOIN \"ChatMessages\" m ON m.\"SearchKey\" = \"ChatMessageSearch\".rowid";

    public string IndexTable => "\"ChatMessageSearch\"";

    public string MatchCondition => "\"ChatMessageSearch\" MATCH @match";

    public string IndexKey => "\"ChatMessageSearch\".rowid";

    public string Score => """bm25("ChatMessageSearch")""";

    public string ToMatch(SearchQuery query) => SearchNode.ToFts5(query.Root);

    public string RemoveEntriesSql(string keysSelect) => $"DELETE FROM \"ChatMessageSearch\" WHERE rowid IN ({keysSelect})";

    // A contentless FTS5 delete leaves a delete marker and the terms in their segment; merging every segment into one drops
    // both (about a second per 80 MB of index), and with secure_delete on the connection the freed pages are zeroed.
    public string? CompactSql => "INSERT INTO \"ChatMessageSearch\"(\"ChatMessageSearch\") VALUES ('optimize')";

    public ISearchIndexWriter OpenWriter(DbConnection connection, DbTransaction transaction) =>
        new Writer(new SqliteBulkStatement((SqliteConnection)connection, """INSERT INTO "ChatMessageSearch"(rowid, "Terms") VALUES (?1, ?2)"""));

    private sealed class Writer(SqliteBulkStatement insert) : BufferedSearchIndexWriter
    {
        public override void Dispose() => insert.Dispose();

        protected override void Write(long searchKey, string text) => insert.Bind(1, searchKey).Bind(2, text).Insert();
    }
}
