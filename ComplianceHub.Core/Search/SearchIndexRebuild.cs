using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace ComplianceHub.Core.Search;

/// <summary>
/// Refills the search index from the messages after a migration that emptied it (its name ends in
/// <c>SearchIndex</c>): the index is derived data, the messages are the record.
/// </summary>
public sealed class SearchIndexRebuild(IMessageSearch search, ILogger<SearchIndexRebuild> logger) : IAfterMigrations
{
    public async Task RunAsync(ComplianceHubDbContext db, IReadOnlyList<string> appliedMigrations, CancellationToken ct)
    {
        if (appliedMigrations.Any(m => m.EndsWith("SearchIndex", StringComparison.Ordinal)))
        {
            var indexed = await RebuildAsync(db, ct);
            logger.LogInformation("Search index rebuilt: {Count} messages", indexed);
        }
    }

    /// <summary>Indexes every stored message for search in one transaction (after a migration emptied the index).</summary>
    public async Task<int> RebuildAsync(ComplianceHubDbContext db, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var connection = db.Database.GetDbConnection();
        await using var read = DbCommands.Create(connection, transaction.GetDbTransaction(), """
            SELECT m."SearchKey", m."Body", a."FileName"
            FROM (SELECT "Id", "SearchKey", "Body" FROM "ChatMessages" WHERE "SearchKey" > @after ORDER BY "SearchKey" LIMIT 10000) AS m
            LEFT JOIN "ChatAttachments" a ON a."MessageId" = m."Id"
            ORDER BY m."SearchKey", a."Ordinal"
            """, ("@after", long.MinValue));

        using var index = search.OpenWriter(connection, transaction.GetDbTransaction());
        var count = 0;
        while (true)
        {
            // Read a page, then index it: one connection cannot read and write at once on every provider.
            var page = new List<(long Key, string Body, string? FileName)>();
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    page.Add((reader.GetInt64(0), reader.GetString(1), await reader.IsDBNullAsync(2, ct) ? null : reader.GetString(2)));
                }
            }

            if (page.Count == 0)
            {
                break;
            }

            foreach (var message in page.GroupBy(r => r.Key))
            {
                index.Add(message.Key, message.First().Body, message.Where(r => r.FileName is not null).Select(r => r.FileName!));
                count++;
            }

            index.Flush();
            read.Parameters[0].Value = page[^1].Key;
        }

        await transaction.CommitAsync(ct);
        return count;
    }
}
