using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Search;

/// <summary>Each user's named searches: saved (a name used again replaces its search), listed, deleted; every change audited.</summary>
public sealed class SavedSearchService(IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<SavedSearch>> ListAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.SavedSearches.AsNoTracking().Where(s => s.OwnerUserId == userId).OrderBy(s => s.Name).ToListAsync(ct);
    }

    /// <summary>Saves <paramref name="criteria"/> under <paramref name="name"/> for the acting user; the query must parse and something must be chosen.</summary>
    public async Task<SavedSearch> SaveAsync(string name, MessageSearchCriteria criteria, AuditActor actor, CancellationToken ct = default)
    {
        var userId = actor.UserId ?? throw new ComplianceRuleException("Only a signed-in user can save a search.");
        var trimmed = name.Trim();
        if (trimmed.Length == 0 || trimmed.Length > SavedSearch.MaxNameLength)
        {
            throw new ComplianceRuleException($"Give the search a name of 1 to {SavedSearch.MaxNameLength} characters.");
        }

        if (criteria.IsEmpty)
        {
            throw new ComplianceRuleException("There is nothing to save: type words or choose a filter first.");
        }

        if (!string.IsNullOrWhiteSpace(criteria.Text))
        {
            try
            {
                SearchQuery.Parse(criteria.Text);
            }
            catch (SearchQueryException ex)
            {
                throw new ComplianceRuleException(ex.Message);
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var saved = await db.SavedSearches.SingleOrDefaultAsync(s => s.OwnerUserId == userId && s.Name == trimmed, ct);
        var replaced = saved is not null;
        if (saved is null)
        {
            saved = new SavedSearch(userId, trimmed, criteria, now);
            db.SavedSearches.Add(saved);
        }
        else
        {
            saved.Update(criteria, now);
        }

        await db.SaveChangesAsync(ct);
        audit.Record(db, AuditEventType.SavedSearchSaved, actor, Subject(saved.Id), new { name = trimmed, replaced, criteria = saved.CriteriaJson });
        await db.SaveChangesAsync(ct);
        return saved;
    }

    /// <summary>Deletes one of the acting user's saved searches; false when it is not theirs or not there.</summary>
    public async Task<bool> DeleteAsync(long id, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var saved = await db.SavedSearches.SingleOrDefaultAsync(s => s.Id == id && s.OwnerUserId == actor.UserId, ct);
        if (saved is null)
        {
            return false;
        }

        db.SavedSearches.Remove(saved);
        audit.Record(db, AuditEventType.SavedSearchDeleted, actor, Subject(id), new { name = saved.Name, criteria = saved.CriteriaJson });
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static AuditSubject Subject(long id) => new("SavedSearch", id.ToString(CultureInfo.InvariantCulture));
}
