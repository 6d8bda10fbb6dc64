using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.LegalHolds;

/// <summary>
/// Places and releases legal holds, each audited. A hold names conversations and custodians and an
/// optional range of sent times (the rule for what that covers: <see cref="LegalHoldScope"/>).
/// </summary>
public sealed class LegalHoldService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    /// <summary>Places a hold (audited); a draft made from a search keeps the search's criteria with it.</summary>
    public async Task<long> PlaceAsync(LegalHoldDraft draft, AuditActor actor, CancellationToken ct = default) =>
        await PlaceAsync(draft, draft.SourceCriteriaJson, actor, ct);

    /// <summary>Ends a hold (kept for the record): its messages fall back under retention. Needs a reason; audited.</summary>
    public async Task ReleaseAsync(long holdId, string reason, AuditActor actor, CancellationToken ct = default)
    {
        var why = reason.Trim();
        if (why.Length is 0 or > 2000)
        {
            throw new ComplianceRuleException("Say why the hold is released (1 to 2,000 characters).");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hold = await db.LegalHolds.SingleOrDefaultAsync(h => h.Id == holdId, ct) ?? throw new ComplianceRuleException("That hold does not exist.");
        if (!hold.IsActive)
        {
            throw new ComplianceRuleException($"\"{hold.Name}\" was already released by {hold.ReleasedBy}.");
        }

        hold.Release(actor.Name, why, clock.GetUtcNow());
        audit.Record(db, AuditEventType.LegalHoldReleased, actor, Subject(holdId), new { name = hold.Name, matter = hold.MatterNumber, reason = why });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Every hold, active ones first, newest first.</summary>
    public async Task<IReadOnlyList<LegalHoldSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var holds = await db.LegalHolds.AsNoTracking().Include(h => h.Conversations).Include(h => h.Custodians).AsSplitQuery().ToListAsync(ct);
        var conversationIds = holds.SelectMany(h => h.Conversations).Select(c => c.ConversationId).Distinct().ToList();
        var titles = await db.Conversations.AsNoTracking().Where(c => conversationIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Title, ct);
        var summaries = new List<LegalHoldSummary>();
        foreach (var hold in holds.OrderBy(h => h.IsActive ? 0 : 1).ThenByDescending(h => h.PlacedAt).ThenByDescending(h => h.Id))
        {
            summaries.Add(new LegalHoldSummary(
                hold.Id, hold.Name, hold.MatterNumber, hold.Description,
                hold.Conversations.Select(c => titles[c.ConversationId]).Order(StringComparer.CurrentCulture).ToList(),
                hold.Custodians.Select(c => c.Email).Order(StringComparer.Ordinal).ToList(),
                hold.ScopeFrom, hold.ScopeUntil, hold.SourceCriteriaJson is not null, hold.PlacedBy, hold.PlacedAt,
                hold.ReleasedBy, hold.ReleasedAt, hold.ReleaseReason, await CountInScopeAsync(db, hold.Id, ct)));
        }

        return summaries;
    }

    /// <summary>How many active holds there are (the dashboard's figure).</summary>
    public async Task<int> CountActiveAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.LegalHolds.CountAsync(h => h.ReleasedAt == null, ct);
    }

    private async Task<long> PlaceAsync(LegalHoldDraft draft, string? sourceCriteriaJson, AuditActor actor, CancellationToken ct)
    {
        var name = draft.Name.Trim();
        var matter = string.IsNullOrWhiteSpace(draft.MatterNumber) ? null : draft.MatterNumber.Trim();
        var description = draft.Description.Trim();
        if (name.Length is 0 or > LegalHold.MaxNameLength)
        {
            throw new ComplianceRuleException($"Name the matter (1 to {LegalHold.MaxNameLength} characters).");
        }

        if (matter is { Length: > 100 })
        {
            throw new ComplianceRuleException("The matter number can be at most 100 characters.");
        }

        if (description.Length is 0 or > 4000)
        {
            throw new ComplianceRuleException("Describe the matter and what must be preserved (1 to 4,000 characters).");
        }

        var custodians = draft.Custodians.Select(c => c.Trim().ToLowerInvariant()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (custodians.FirstOrDefault(c => c.Length > 256 || !new EmailAddressAttribute().IsValid(c)) is { } bad)
        {
            throw new ComplianceRuleException($"'{bad}' is not a custodian's e-mail address.");
        }

        var conversationIds = draft.ConversationIds.Distinct().ToList();
        if (conversationIds.Count == 0 && custodians.Count == 0)
        {
            throw new ComplianceRuleException("Name at least one conversation or custodian to hold.");
        }

        if (draft.ScopeFrom is { } from && draft.ScopeUntil is { } until && until <= from)
        {
            throw new ComplianceRuleException("The end of the range must come after its start.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.LegalHolds.AsNoTracking().Select(h => h.Name).ToListAsync(ct);
        if (names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is { } taken)
        {
            throw new ComplianceRuleException($"There is already a hold named \"{taken}\".");
        }

        var known = await db.Conversations.AsNoTracking().Where(c => conversationIds.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
        if (conversationIds.Except(known).ToList() is [var missing, ..])
        {
            throw new ComplianceRuleException($"Conversation {missing} is not in the archive.");
        }

        var hold = new LegalHold(name, matter, description, draft.ScopeFrom, draft.ScopeUntil, sourceCriteriaJson, actor.Name, clock.GetUtcNow());
        hold.Conversations.AddRange(conversationIds.Order().Select(id => new LegalHoldConversation(id)));
        hold.Custodians.AddRange(custodians.Select(c => new LegalHoldCustodian(c)));
        db.LegalHolds.Add(hold);
        await db.SaveChangesAsync(ct);
        var inScope = await CountInScopeAsync(db, hold.Id, ct);
        audit.Record(db, AuditEventType.LegalHoldPlaced, actor, Subject(hold.Id), new
        {
            name,
            matter,
            conversations = conversationIds.Order().ToList(),
            custodians,
            from = draft.ScopeFrom,
            until = draft.ScopeUntil,
            fromSearch = sourceCriteriaJson is not null,
            messagesInScope = inScope,
        });
        await db.SaveChangesAsync(ct);
        return hold.Id;
    }

    /// <summary>
    /// Messages in one hold's scope (released or not), by the same rule as the search's filter. The hold's
    /// conversations (named or kept by its custodians) and its range of keys come first, so the
    /// (conversation, key) index is read instead of every message.
    /// </summary>
    private static async Task<int> CountInScopeAsync(ComplianceHubDbContext db, long holdId, CancellationToken ct)
    {
        var hold = await LegalHoldScope.FootprintAsync(db, db.LegalHolds.Where(h => h.Id == holdId), ct);
        if (hold.ConversationIds.Count == 0)
        {
            return 0;
        }

        var sql = new StringBuilder("SELECT COUNT(*) FROM \"ChatMessages\" m WHERE m.\"ConversationId\" IN (")
            .AppendJoin(", ", hold.ConversationIds.Select(id => id.ToString(CultureInfo.InvariantCulture))).Append(')');
        var parameters = new List<(string Name, object? Value)> { ("@hold", holdId) };
        if (hold.FromKey is { } from)
        {
            sql.Append(" AND m.\"SearchKey\" >= @from");
            parameters.Add(("@from", from));
        }

        if (hold.UntilKey is { } until)
        {
            sql.Append(" AND m.\"SearchKey\" < @until");
            parameters.Add(("@until", until));
        }

        sql.Append(" AND ").Append(LegalHoldScope.InScopeOfHoldCondition("m", "@hold"))
            .Append(" AND ").Append(ArchiveVisibility.SqlCondition("m"));
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = DbCommands.Create(db.Database.GetDbConnection(), null, sql.ToString(), parameters);
            return Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static AuditSubject Subject(long holdId) => new("LegalHold", holdId.ToString(CultureInfo.InvariantCulture));
}

/// <summary>What an officer enters to place a hold.</summary>
public sealed record LegalHoldDraft(
    string Name, string? MatterNumber, string Description, IReadOnlyList<long> ConversationIds, IReadOnlyList<string> Custodians,
    DateTimeOffset? ScopeFrom, DateTimeOffset? ScopeUntil)
{
    /// <summary>The archive search the scope came from, as JSON, kept with the hold (see <c>LegalHoldFromSearchService</c>).</summary>
    public string? SourceCriteriaJson { get; init; }
}

/// <summary>A hold as its list shows it, with how many archived messages its scope preserves now.</summary>
public sealed record LegalHoldSummary(
    long Id, string Name, string? MatterNumber, string Description, IReadOnlyList<string> Conversations, IReadOnlyList<string> Custodians,
    DateTimeOffset? ScopeFrom, DateTimeOffset? ScopeUntil, bool FromSearch, string PlacedBy, DateTimeOffset PlacedAt,
    string? ReleasedBy, DateTimeOffset? ReleasedAt, string? ReleaseReason, int MessagesInScope);
