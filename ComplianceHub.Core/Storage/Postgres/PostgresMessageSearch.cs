using System.Data.Common;
using ComplianceHub.Core.Archive.Search;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Storage.Postgres;

/// <summary>
/// A stored generated <c>tsvector</c> column (<c>simple</c> configuration: no stemming surprises in
/// mixed-language chats) with a GIN index. PostgreSQL keeps it current on insert, so indexing is a no-op.
/// </summary>
public sealed class PostgresMessageSearch(IDbContextFactory<ComplianceHubDbContext> dbFactory) : IMessageSearch
{
    public Task IndexNewMessagesAsync(DbConnection connection, DbTransaction transaction, long afterMessageId, CancellationToken ct = default) =>
        Task.CompletedTask;

    public async Task<IReadOnlyList<long>> FindMessageIdsAsync(string words, int limit, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(words))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Database
            .SqlQuery<long>($"""SELECT "Id" AS "Value" FROM "ChatMessages" WHERE "SearchVector" @@ plainto_tsquery('simple', {words}) ORDER BY "Id" DESC LIMIT {limit}""")
            .ToListAsync(ct);
    }
}
