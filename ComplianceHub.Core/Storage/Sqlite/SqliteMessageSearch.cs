using System.Data.Common;
using ComplianceHub.Core.Archive.Search;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Storage.Sqlite;

/// <summary>
/// FTS5 external-content table <c>ChatMessageSearch</c> over <c>ChatMessages</c> (unicode61, diacritics
/// folded, 2- and 3-character prefix indexes). New rows are indexed in one statement per writer
/// transaction, which keeps bulk imports near the bare insert rate (perf-notes.md).
/// </summary>
public sealed class SqliteMessageSearch(IDbContextFactory<ComplianceHubDbContext> dbFactory) : IMessageSearch
{
    public async Task IndexNewMessagesAsync(DbConnection connection, DbTransaction transaction, long afterMessageId, CancellationToken ct = default)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """INSERT INTO "ChatMessageSearch"(rowid, "Body") SELECT "Id", "Body" FROM "ChatMessages" WHERE "Id" > @after""";
        var after = command.CreateParameter();
        after.ParameterName = "@after";
        after.Value = afterMessageId;
        command.Parameters.Add(after);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<long>> FindMessageIdsAsync(string words, int limit, CancellationToken ct = default)
    {
        var terms = words.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (terms.Length == 0)
        {
            return [];
        }

        // Each word quoted: user text is never FTS syntax.
        var match = string.Join(' ', terms.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Database
            .SqlQuery<long>($"""SELECT rowid AS "Value" FROM "ChatMessageSearch" WHERE "ChatMessageSearch" MATCH {match} ORDER BY rowid DESC LIMIT {limit}""")
            .ToListAsync(ct);
    }
}
