using System.Data.Common;
using System.Globalization;
using System.Text;
using ComplianceHub.Core.Archive.Writing;
using ComplianceHub.Core.Storage;

namespace ComplianceHub.Core.Search;

/// <summary>
/// A table <c>ChatMessageSearch</c> of one <c>tsvector</c> per message key with a GIN index. The
/// vector is written as a literal of finished terms with their positions and queries as
/// <c>tsquery</c> literals, so no text search configuration ever re-parses them: matches are those of
/// SQLite, including phrases and prefixes.
/// </summary>
public sealed class PostgresMessageSearch : IMessageSearch
{
    public string IndexJoin => "\"ChatMessageSearch\" s JOIN \"ChatMessages\" m ON m.\"SearchKey\" = s.\"SearchKey\"";

    public string IndexTable => "\"ChatMessageSearch\" s";

    public string MatchCondition => """s."Terms" @@ CAST(@match AS tsquery)""";

    public string IndexKey => "s.\"SearchKey\"";

    public string Score => """-ts_rank(s."Terms", CAST(@match AS tsquery))""";

    public string ToMatch(SearchQuery query) => SearchNode.ToTsQuery(query.Root);

    public string RemoveEntriesSql(string keysSelect) => $"DELETE FROM \"ChatMessageSearch\" WHERE \"SearchKey\" IN ({keysSelect})";

    public string? CompactSql => null;

    public ISearchIndexWriter OpenWriter(DbConnection connection, DbTransaction transaction) =>
        new Writer(BulkInsert.PrepareCommand(connection, transaction, """INSERT INTO "ChatMessageSearch" ("SearchKey", "Terms") VALUES (@p1, CAST(@p2 AS tsvector))""", 2));

    /// <summary>The <c>tsvector</c> literal of index text: each term quoted with its 1-based position (PostgreSQL caps positions at 16,383).</summary>
    internal static string ToVector(string text)
    {
        var vector = new StringBuilder(text.Length * 2);
        var position = 0;
        foreach (var term in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            position = Math.Min(position + 1, 16_383);
            if (vector.Length > 0)
            {
                vector.Append(' ');
            }

            vector.Append('\'').Append(term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal))
                .Append("':").Append(position.ToString(CultureInfo.InvariantCulture));
        }

        return vector.ToString();
    }

    private sealed class Writer(IBulkInsert insert) : BufferedSearchIndexWriter
    {
        public override void Dispose() => insert.Dispose();

        protected override void Write(long searchKey, string text) => insert.Bind(1, searchKey).Bind(2, ToVector(text)).Insert();
    }
}
