using System.Globalization;
using System.Net.Mail;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Retention;

/// <summary>
/// The retention rules in force, which of them decides for each conversation (the longest applicable period wins, the
/// default being the floor), and the dry run of a disposition: what has expired, per conversation and rule, and what
/// active legal holds keep of it.
/// </summary>
public sealed class RetentionService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, IOptions<RetentionOptions> options, TimeProvider clock)
{
    /// <summary>The rules in force, the default first; without a default rule in the database, the configured one (its id null).</summary>
    public async Task<IReadOnlyList<RuleInForce>> RulesInForceAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await RulesInForceAsync(db, ct);
    }

    /// <summary>
    /// Sets the period for what <paramref name="scope"/> and <paramref name="target"/> name: a new rule, retiring the one in
    /// force for the same target (audited, with the one it replaces). A clear error for a period, target or reason that
    /// will not do.
    /// </summary>
    public async Task<RetentionRule> SetRuleAsync(
        RetentionScope scope, string? target, string period, string reason, AuditActor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!RetentionPeriod.TryParse(period, out var parsed))
        {
            throw new ComplianceRuleException($"'{period}' is not a retention period: write a whole number of years, months, weeks or days, such as 7y, 18m, 6w or 30d.");
        }

        reason = reason?.Trim() ?? "";
        if (reason.Length == 0 || reason.Length > RetentionRule.MaxReasonLength)
        {
            throw new ComplianceRuleException($"Say why this period (the rule or regulation it follows), in at most {RetentionRule.MaxReasonLength} characters.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var normalised = await NormaliseTargetAsync(db, scope, target, ct);
        var previous = await db.RetentionRules.SingleOrDefaultAsync(r => r.Scope == scope && r.Target == normalised && r.RetiredAt == null, ct);
        var now = clock.GetUtcNow();
        previous?.Retire(actor.Name, now);
        var rule = new RetentionRule(scope, normalised, parsed, reason, actor.Name, now);
        db.RetentionRules.Add(rule);
        await db.SaveChangesAsync(ct);
        audit.Record(db, AuditEventType.RetentionRuleSet, actor, new AuditSubject("RetentionRule", rule.Id.ToString(CultureInfo.InvariantCulture)), new
        {
            scope = scope.ToString(),
            target = normalised,
            period = rule.Period,
            reason,
            replaces = previous?.Id,
            previousPeriod = previous?.Period,
        });
        await db.SaveChangesAsync(ct);
        return rule;
    }

    /// <summary>Retires a rule without a successor (audited): what it applied to falls back to the other rules.</summary>
    public async Task RetireRuleAsync(long id, AuditActor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rule = await db.RetentionRules.SingleOrDefaultAsync(r => r.Id == id, ct)
            ?? throw new ComplianceRuleException($"There is no retention rule {id}.");
        if (!rule.InForce)
        {
            throw new ComplianceRuleException($"Retention rule {id} was already retired on {rule.RetiredAt:yyyy-MM-dd} by {rule.RetiredBy}.");
        }

        rule.Retire(actor.Name, clock.GetUtcNow());
        audit.Record(db, AuditEventType.RetentionRuleRetired, actor, new AuditSubject("RetentionRule", id.ToString(CultureInfo.InvariantCulture)),
            new { scope = rule.Scope.ToString(), target = rule.Target, period = rule.Period });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>For each conversation, and each way its messages were captured, the rule that decides how long they are kept.</summary>
    public async Task<IReadOnlyList<ConversationRetention>> DecideAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await DecideAsync(db, await RulesInForceAsync(db, ct), ct);
    }

    /// <summary>
    /// The dry run of a disposition at this moment: per conversation and source, the deciding rule, the sent date on or
    /// before which its messages have expired, how many have, and how many of those active legal holds keep; with the
    /// holds that keep them. Nothing is changed; the run is audited with its totals.
    /// </summary>
    public async Task<DispositionPlan> PlanAsync(AuditActor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var plan = await ComputeAsync(db, now, ct);
        audit.Record(db, AuditEventType.DispositionDryRun, actor, null, new
        {
            expired = plan.Expired,
            keptByHold = plan.KeptByHold,
            wouldRemove = plan.WouldRemove,
            conversations = plan.Rows.Count(r => r.WouldRemove > 0),
            holds = plan.KeptBy.Select(h => new { h.HoldId, h.Messages }),
        });
        await db.SaveChangesAsync(ct);
        return plan;
    }

    /// <summary>
    /// Per conversation and source, the deciding rule and the sent date on or before which messages have expired at
    /// <paramref name="now"/>: what a dry run counts and a real run removes.
    /// </summary>
    internal async Task<IReadOnlyList<ExpiryRow>> ExpiryAsync(ComplianceHubDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var decisions = await DecideAsync(db, await RulesInForceAsync(db, ct), ct);
        return decisions.SelectMany(c => c.Sources.Select(d => new ExpiryRow(c.ConversationId, c.Title, d.Source, d.Rule, d.Rule.Period.KeepsSentFrom(now)))).ToList();
    }

    /// <summary>The messages of <paramref name="row"/> that have expired (a query to count, filter by holds or list).</summary>
    internal static IQueryable<ChatMessage> Expired(ComplianceHubDbContext db, ExpiryRow row) =>
        db.ChatMessages.Where(m => m.ConversationId == row.ConversationId && m.Source == row.Source && m.SentAt <= row.ExpiredOnOrBefore);

    /// <summary>The dry run's figures at <paramref name="now"/>, unaudited (the real run's report is computed the same way).</summary>
    internal async Task<DispositionPlan> ComputeAsync(ComplianceHubDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var active = LegalHoldScope.Active(db);
        var held = LegalHoldScope.Messages(db, active);
        var rows = new List<DispositionPlanRow>();
        foreach (var row in await ExpiryAsync(db, now, ct))
        {
            var expiredQuery = Expired(db, row);
            var expired = await expiredQuery.CountAsync(ct);
            var keptByHold = expired == 0 ? 0 : await expiredQuery.Where(m => held.Any(h => h.Id == m.Id)).CountAsync(ct);
            rows.Add(new DispositionPlanRow(row.ConversationId, row.Title, row.Source, row.Rule, row.ExpiredOnOrBefore, expired, keptByHold));
        }

        var savedBy = new List<HoldKeeping>();
        if (rows.Any(r => r.KeptByHold > 0))
        {
            foreach (var hold in await active.OrderBy(h => h.Id).Select(h => new { h.Id, h.Name }).ToListAsync(ct))
            {
                var count = 0;
                foreach (var row in rows.Where(r => r.KeptByHold > 0))
                {
                    count += await LegalHoldScope.Messages(db, db.LegalHolds.Where(h => h.Id == hold.Id))
                        .CountAsync(m => m.ConversationId == row.ConversationId && m.Source == row.Source && m.SentAt <= row.ExpiredOnOrBefore, ct);
                }

                if (count > 0)
                {
                    savedBy.Add(new HoldKeeping(hold.Id, hold.Name, count));
                }
            }
        }

        return new DispositionPlan(now, rows, savedBy, await DispositionSettings.CurrentAsync(db, options.Value, ct) is { Enabled: true });
    }

    private async Task<IReadOnlyList<RuleInForce>> RulesInForceAsync(ComplianceHubDbContext db, CancellationToken ct)
    {
        var stored = await db.RetentionRules.AsNoTracking().Where(r => r.RetiredAt == null).OrderBy(r => r.Scope).ThenBy(r => r.Target).ThenBy(r => r.Id).ToListAsync(ct);
        var rules = stored.Select(r => new RuleInForce(r.Id, r.Scope, r.Target, r.ParsedPeriod, r.Reason, r.CreatedBy, r.CreatedAt)).ToList();
        if (!rules.Exists(r => r.Scope == RetentionScope.Default))
        {
            rules.Insert(0, new RuleInForce(null, RetentionScope.Default, null, RetentionPeriod.Parse(options.Value.DefaultPeriod),
                $"The configured default ({RetentionOptions.SectionName}:{nameof(RetentionOptions.DefaultPeriod)})", "configuration", null));
        }

        return rules;
    }

    private static async Task<IReadOnlyList<ConversationRetention>> DecideAsync(ComplianceHubDbContext db, IReadOnlyList<RuleInForce> rules, CancellationToken ct)
    {
        var conversations = await db.Conversations.AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.Id, c.Title }).ToListAsync(ct);
        var custodians = (await db.ConversationCustodians.AsNoTracking().Select(c => new { c.ConversationId, c.Email }).ToListAsync(ct))
            .ToLookup(c => c.ConversationId, c => c.Email.ToLowerInvariant());
        var departments = (await db.People.AsNoTracking().Where(p => p.WorkEmail != null && p.Department != null)
                .Select(p => new { p.WorkEmail, p.Department }).ToListAsync(ct))
            .GroupBy(p => p.WorkEmail!.ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.Select(p => p.Department!).ToList());
        var groups = (await db.OfficialGroups.AsNoTracking().Where(g => g.ConversationId != null).Select(g => new { g.Id, g.ConversationId }).ToListAsync(ct))
            .ToLookup(g => g.ConversationId!.Value, g => g.Id.ToString(CultureInfo.InvariantCulture));
        var sources = (await db.ChatMessages.AsNoTracking().GroupBy(m => new { m.ConversationId, m.Source }).Select(g => g.Key).ToListAsync(ct))
            .ToLookup(k => k.ConversationId, k => k.Source);

        var result = new List<ConversationRetention>(conversations.Count);
        foreach (var conversation in conversations)
        {
            var id = conversation.Id.ToString(CultureInfo.InvariantCulture);
            var emails = custodians[conversation.Id].ToHashSet(StringComparer.Ordinal);
            var depts = emails.SelectMany(e => departments.GetValueOrDefault(e) ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var groupIds = groups[conversation.Id].ToHashSet(StringComparer.Ordinal);
            var applicable = rules.Where(r => r.Scope switch
            {
                RetentionScope.Default => true,
                RetentionScope.Conversation => r.Target == id,
                RetentionScope.OfficialGroup => r.Target is not null && groupIds.Contains(r.Target),
                RetentionScope.Custodian => r.Target is not null && emails.Contains(r.Target),
                RetentionScope.Department => r.Target is not null && depts.Contains(r.Target),
                _ => false,
            }).ToList();
            var decided = sources[conversation.Id].Order().Select(source =>
            {
                var forSource = applicable.Concat(rules.Where(r => r.Scope == RetentionScope.Source && r.Target == source.ToString()));
                // The longest period wins; between equals, the narrower rule (the later scope) is named.
                var rule = forSource.OrderByDescending(r => r.Period).ThenByDescending(r => r.Scope).First();
                return new SourceRetention(source, rule);
            }).ToList();
            result.Add(new ConversationRetention(conversation.Id, conversation.Title, decided));
        }

        return result;
    }

    private static async Task<string?> NormaliseTargetAsync(ComplianceHubDbContext db, RetentionScope scope, string? target, CancellationToken ct)
    {
        target = target?.Trim();
        switch (scope)
        {
            case RetentionScope.Default:
                return string.IsNullOrEmpty(target) ? null : throw new ComplianceRuleException("The default rule applies to everything: give it no target.");
            case RetentionScope.Source:
                return Enum.TryParse<MessageSource>(target, ignoreCase: true, out var source) && Enum.IsDefined(source) && !int.TryParse(target, out _)
                    ? source.ToString()
                    : throw new ComplianceRuleException($"A source rule applies to 'Export' or 'Webhook', not '{target}'.");
            case RetentionScope.Custodian:
                return MailAddress.TryCreate(target, out var address) && address.Address == target && target.Length <= RetentionRule.MaxTargetLength
                    ? target.ToLowerInvariant()
                    : throw new ComplianceRuleException($"A custodian rule names the custodian's work e-mail address, not '{target}'.");
            case RetentionScope.Department:
                var departments = await db.People.Where(p => p.Department != null).Select(p => p.Department!).Distinct().ToListAsync(ct);
                var department = departments.Order(StringComparer.Ordinal).FirstOrDefault(d => string.Equals(d, target, StringComparison.OrdinalIgnoreCase));
                return department ?? throw new ComplianceRuleException($"No one on the roster is in a department called '{target}'.");
            case RetentionScope.Conversation:
                return long.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var conversation) && await db.Conversations.AnyAsync(c => c.Id == conversation, ct)
                    ? conversation.ToString(CultureInfo.InvariantCulture)
                    : throw new ComplianceRuleException($"There is no conversation '{target}'.");
            case RetentionScope.OfficialGroup:
                return long.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var group) && await db.OfficialGroups.AnyAsync(g => g.Id == group, ct)
                    ? group.ToString(CultureInfo.InvariantCulture)
                    : throw new ComplianceRuleException($"There is no official group '{target}'.");
            default:
                throw new ComplianceRuleException($"'{scope}' is not a retention rule's scope.");
        }
    }
}

/// <summary>A rule in force: stored (with its id) or the configured default (id null).</summary>
public sealed record RuleInForce(long? Id, RetentionScope Scope, string? Target, RetentionPeriod Period, string Reason, string CreatedBy, DateTimeOffset? CreatedAt)
{
    /// <summary>As the reports name it: "Default: 7 years", "Custodian anna@firm.example: 10 years".</summary>
    public string Describe() => (Scope == RetentionScope.Default ? "Default" : $"{Scope} {Target}") + ": " + Period.Describe();
}

/// <summary>What decides for one conversation, per way its messages were captured.</summary>
public sealed record ConversationRetention(long ConversationId, string Title, IReadOnlyList<SourceRetention> Sources);

public sealed record SourceRetention(MessageSource Source, RuleInForce Rule);

/// <summary>What decides for one conversation's messages of one source, and the sent date on or before which they have expired.</summary>
public sealed record ExpiryRow(long ConversationId, string Title, MessageSource Source, RuleInForce Rule, DateTimeOffset ExpiredOnOrBefore);

/// <summary>One conversation's messages of one source in a dry run.</summary>
public sealed record DispositionPlanRow(
    long ConversationId, string Title, MessageSource Source, RuleInForce Rule, DateTimeOffset ExpiredOnOrBefore, int Expired, int KeptByHold)
{
    public int WouldRemove => Expired - KeptByHold;
}

/// <summary>How many expired messages an active hold keeps (a message two holds cover counts for each).</summary>
public sealed record HoldKeeping(long HoldId, string Name, int Messages);

/// <summary>A disposition's dry run: what would go and what holds keep, at <see cref="At"/>.</summary>
public sealed record DispositionPlan(DateTimeOffset At, IReadOnlyList<DispositionPlanRow> Rows, IReadOnlyList<HoldKeeping> KeptBy, bool DispositionEnabled)
{
    public int Expired => Rows.Sum(r => r.Expired);

    public int KeptByHold => Rows.Sum(r => r.KeptByHold);

    public int WouldRemove => Rows.Sum(r => r.WouldRemove);
}
