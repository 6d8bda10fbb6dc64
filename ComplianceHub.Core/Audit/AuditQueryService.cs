using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Audit;

/// <summary>Reads the audit trail. Searching it is itself audited (first page of each search).</summary>
public sealed class AuditQueryService(IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit)
{
    /// <summary>Returns events matching <paramref name="query"/>, newest first, using keyset paging.</summary>
    public async Task<AuditPage> SearchAsync(AuditQuery query, AuditActor viewer, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var filtered = Filter(db.AuditEvents.AsNoTracking(), query);
        var total = await filtered.CountAsync(ct);

        var pageQuery = query.BeforeId is { } before ? filtered.Where(e => e.Id < before) : filtered;
        var items = await pageQuery.OrderByDescending(e => e.Id).Take(query.PageSize + 1).ToListAsync(ct);
        long? next = null;
        if (items.Count > query.PageSize)
        {
            items.RemoveAt(items.Count - 1);
            next = items[^1].Id;
        }

        if (query.BeforeId is null)
        {
            audit.Record(db, AuditEventType.AuditTrailSearched, viewer, details: new
            {
                query.Actor,
                type = query.Type?.ToString(),
                from = query.From?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                to = query.To?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                query.SubjectType,
                query.SubjectId,
                results = total,
            });
            await db.SaveChangesAsync(ct);
        }

        return new AuditPage(items, next, total);
    }

    /// <summary>The most recent event of a type, e.g. the last integrity verification.</summary>
    public async Task<AuditEvent?> LatestAsync(AuditEventType type, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AuditEvents.AsNoTracking()
            .Where(e => e.Type == type)
            .OrderByDescending(e => e.Id)
            .FirstOrDefaultAsync(ct);
    }

    public async Task<int> CountAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AuditEvents.CountAsync(ct);
    }

    public async Task<int> CountSinceAsync(DateTimeOffset since, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AuditEvents.CountAsync(e => e.OccurredAt >= since, ct);
    }

    private static IQueryable<AuditEvent> Filter(IQueryable<AuditEvent> events, AuditQuery query)
    {
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            var actor = query.Actor.Trim();
            events = events.Where(e => e.ActorUserId == actor || e.ActorName.Contains(actor));
        }

        if (query.Type is { } type)
        {
            events = events.Where(e => e.Type == type);
        }

        if (query.From is { } from)
        {
            events = events.Where(e => e.OccurredAt >= from);
        }

        if (query.To is { } to)
        {
            events = events.Where(e => e.OccurredAt < to);
        }

        if (!string.IsNullOrWhiteSpace(query.SubjectType))
        {
            events = events.Where(e => e.SubjectType == query.SubjectType);
        }

        if (!string.IsNullOrWhiteSpace(query.SubjectId))
        {
            events = events.Where(e => e.SubjectId == query.SubjectId);
        }

        return events;
    }
}
