using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Archive.Writing;

namespace ComplianceHub.Core.Search;

/// <summary>
/// The full-text index over archived messages, one implementation per provider: a contentless SQLite
/// FTS5 table, or a PostgreSQL table of <c>tsvector</c>s with a GIN index. Both hold terms made by
/// <see cref="SearchTokenizer"/> under the message's <see cref="ChatMessage.SearchKey"/>, so hits come
/// out of the index newest first and both providers agree on every match. The index is derived data:
/// it lives outside the append-only message table and can be rebuilt from it (<see cref="SearchIndexRebuild"/>).
/// The write side (<see cref="ISearchIndex"/>) is what the archive's writer uses; the rest is the SQL a search runs.
/// </summary>
public interface IMessageSearch : ISearchIndex
{
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
