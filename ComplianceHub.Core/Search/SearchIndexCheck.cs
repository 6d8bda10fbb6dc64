using System.Data.Common;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ComplianceHub.Core.Search;

/// <summary>What the index check found: messages that should be found by their words but are not in the index, and index entries with no message.</summary>
public sealed record SearchIndexReport(long MessagesChecked, IReadOnlyList<(long MessageId, long SearchKey)> Missing, IReadOnlyList<long> Extra)
{
    public bool IsConsistent => Missing.Count == 0 && Extra.Count == 0;
}

/// <summary>
/// <c>verify --index</c>: every archived message with words to be found by is in the full-text index, and the index
/// holds nothing else (a message whose entry was removed silently disappears from search; an entry with no message
/// finds nothing). Walks messages and index entries together by search key, a page at a time, so memory stays flat.
/// <see cref="RepairAsync"/> indexes what is missing and removes what has no message, audited.
/// </summary>
public sealed class SearchIndexCheck(IDbContextFactory<ComplianceHubDbContext> dbFactory, IMessageSearch search, AuditLog audit) : IIntegrityCheck
{
    /// <summary>Findings named one by one, up to this many of each kind (the count says how many more).</summary>
    private const int MaxNamed = 100;

    /// <summary>The check as <c>verify --index</c> reports it: one finding per message missing or entry left over.</summary>
    public async Task<IReadOnlyList<ChainVerificationResult>> VerifyAsync(CancellationToken ct = default)
    {
        var report = await CheckAsync(ct);
        if (report.IsConsistent)
        {
            return [new ChainVerificationResult(Kind, report.MessagesChecked, null, null, null)];
        }

        var findings = report.Missing.Take(MaxNamed)
            .Select(m => new ChainVerificationResult(Kind, 0, $"message {m.MessageId}", "it has words to be found by but is not in the full-text index: search does not find it", null))
            .Concat(report.Extra.Take(MaxNamed)
                .Select(k => new ChainVerificationResult(Kind, 0, $"index entry {k}", "no archived message has this search key: the entry finds nothing real", null)))
            .ToList();
        if (report.Missing.Count + report.Extra.Count > findings.Count)
        {
            findings.Add(new ChainVerificationResult(Kind, 0, "further entries",
                $"{report.Missing.Count:N0} message(s) missing and {report.Extra.Count:N0} entry(ies) left over in all; the first {MaxNamed} of each are named", null));
        }

        return findings;
    }

    public const string Kind = "search index";
    private const int Page = 10_000;

    public Task<SearchIndexReport> CheckAsync(CancellationToken ct = default) => CheckAsync(long.MinValue, int.MaxValue, ct);

    /// <summary>
    /// Checks one page of messages (and the index over the same keys) from a random point: the web host's hourly
    /// sample, cheap enough to run on a large archive.
    /// </summary>
    public async Task<SearchIndexReport> SampleAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = await db.ChatMessages.IgnoreQueryFilters().GroupBy(_ => 1).Select(g => new { Min = g.Min(m => m.SearchKey), Max = g.Max(m => m.SearchKey) }).SingleOrDefaultAsync(ct);
        if (keys is null)
        {
            return new SearchIndexReport(0, [], []);
        }

        var start = keys.Min + (long)(Random.Shared.NextDouble() * Math.Max(0, keys.Max - keys.Min)) - 1;
        return await CheckAsync(start, 1, ct);
    }

    /// <summary>Runs <see cref="SampleAsync"/>; a difference found is recorded in the audit trail (for <c>verify --index --repair</c>).</summary>
    public async Task<SearchIndexReport> SampleAndRecordAsync(CancellationToken ct = default)
    {
        var report = await SampleAsync(ct);
        if (!report.IsConsistent)
        {
            await audit.RecordInOwnTransactionAsync(AuditEventType.SearchIndexInconsistent, AuditActor.System, new AuditSubject("SearchIndex", "sample"), new
            {
                sampled = report.MessagesChecked, missing = report.Missing.Select(m => m.MessageId).Take(MaxNamed), extra = report.Extra.Take(MaxNamed),
            }, ct);
        }

        return report;
    }

    private async Task<SearchIndexReport> CheckAsync(long after, int pages, CancellationToken ct)
    {
        var missing = new List<(long, long)>();
        var extra = new List<long>();
        long checkedCount = 0;
        await ForEachPageAsync(async (page, indexed) =>
        {
            foreach (var message in page)
            {
                checkedCount++;
                if (message.Text.Length > 0 && !indexed.Remove(message.SearchKey))
                {
                    missing.Add((message.Id, message.SearchKey));
                }
                else if (message.Text.Length == 0)
                {
                    indexed.Remove(message.SearchKey);
                }
            }

            extra.AddRange(indexed.Order());
            await Task.CompletedTask;
        }, ct, after, pages);
        return new SearchIndexReport(checkedCount, missing, extra);
    }

    /// <summary>Indexes the messages missing from the index and removes entries that have no message; audited. Returns the counts.</summary>
    public async Task<(int Added, int Removed)> RepairAsync(AuditActor actor, CancellationToken ct = default)
    {
        var report = await CheckAsync(ct);
        if (report.IsConsistent)
        {
            return (0, 0);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var connection = db.Database.GetDbConnection();
            if (report.Extra.Count > 0)
            {
                foreach (var chunk in report.Extra.Chunk(500))
                {
                    await db.Database.ExecuteSqlRawAsync(search.RemoveEntriesSql(string.Join(" UNION ALL ", chunk.Select(k => $"SELECT {k}"))), ct);
                }
            }

            using (var index = search.OpenWriter(connection, transaction.GetDbTransaction()))
            {
                foreach (var chunk in report.Missing.Chunk(500))
                {
                    var ids = chunk.Select(m => m.MessageId).ToList();
                    var messages = await db.ChatMessages.IgnoreQueryFilters().AsNoTracking().Where(m => ids.Contains(m.Id))
                        .Select(m => new { m.SearchKey, m.Body, Files = m.Attachments.OrderBy(a => a.Ordinal).Select(a => a.FileName).ToList() }).ToListAsync(ct);
                    foreach (var message in messages)
                    {
                        index.Add(message.SearchKey, message.Body, message.Files);
                    }
                }

                index.Flush();
            }

            audit.Record(db, AuditEventType.SearchIndexRepaired, actor, new AuditSubject("SearchIndex", "all"), new
            {
                added = report.Missing.Count, removed = report.Extra.Count,
                messages = report.Missing.Take(100).Select(m => m.MessageId), entries = report.Extra.Take(100),
            });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        return (report.Missing.Count, report.Extra.Count);
    }

    private sealed record Message(long Id, long SearchKey, string Text);

    /// <summary>Hands each page of messages (by search key) with the index's keys in the same key range.</summary>
    private async Task ForEachPageAsync(Func<IReadOnlyList<Message>, HashSet<long>, Task> visit, CancellationToken ct, long after = long.MinValue, int pages = int.MaxValue)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        for (var page = 0; page < pages; page++)
        {
            var rows = new List<(long Id, long Key, string Body, string? File)>();
            await using (var read = DbCommands.Create(connection, null, $"""
                SELECT m."Id", m."SearchKey", m."Body", a."FileName"
                FROM (SELECT "Id", "SearchKey", "Body" FROM "ChatMessages" WHERE "SearchKey" > @after ORDER BY "SearchKey" LIMIT {Page}) AS m
                LEFT JOIN "ChatAttachments" a ON a."MessageId" = m."Id"
                ORDER BY m."SearchKey", a."Ordinal"
                """, ("@after", after)))
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), await reader.IsDBNullAsync(3, ct) ? null : reader.GetString(3)));
                }
            }

            var messages = rows.GroupBy(r => r.Key)
                .Select(g => new Message(g.First().Id, g.Key, SearchTokenizer.IndexText(g.First().Body, g.Where(r => r.File is not null).Select(r => r.File!))))
                .ToList();
            var last = messages.Count < Page ? long.MaxValue : messages[^1].SearchKey;
            if (page == pages - 1 && messages.Count > 0)
            {
                last = messages[^1].SearchKey; // a sample checks its own key range only
            }

            var indexed = await IndexKeysAsync(connection, after, last, ct);
            await visit(messages, indexed);
            if (last == long.MaxValue)
            {
                return;
            }

            after = last;
        }
    }

    private async Task<HashSet<long>> IndexKeysAsync(DbConnection connection, long after, long through, CancellationToken ct)
    {
        var keys = new HashSet<long>();
        await using var read = DbCommands.Create(connection, null,
            $"SELECT {search.IndexKey} FROM {search.IndexTable} WHERE {search.IndexKey} > @after AND {search.IndexKey} <= @through", ("@after", after), ("@through", through));
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            keys.Add(reader.GetInt64(0));
        }

        return keys;
    }
}
