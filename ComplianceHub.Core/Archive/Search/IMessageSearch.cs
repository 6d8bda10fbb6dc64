using System.Data.Common;

namespace ComplianceHub.Core.Archive.Search;

/// <summary>
/// The full-text index over archived message bodies: SQLite FTS5 or a PostgreSQL tsvector with GIN,
/// one implementation per provider. Writers call <see cref="IndexNewMessagesAsync"/> inside their own
/// transaction, so a message is searchable exactly when it is stored.
/// </summary>
public interface IMessageSearch
{
    /// <summary>Indexes every message with an id above <paramref name="afterMessageId"/>.</summary>
    Task IndexNewMessagesAsync(DbConnection connection, DbTransaction transaction, long afterMessageId, CancellationToken ct = default);

    /// <summary>Ids of messages containing all of <paramref name="words"/>, newest first.</summary>
    Task<IReadOnlyList<long>> FindMessageIdsAsync(string words, int limit, CancellationToken ct = default);
}
