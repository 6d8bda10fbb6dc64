using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Findings;

/// <summary>
/// The one mechanism behind every queue of findings: raising each finding once, and deciding it once,
/// by someone, with the comment the decision needs, audited in the same transaction as the decision
/// and whatever it changes. Works on the caller's context; the caller saves.
/// </summary>
public sealed class FindingQueue(AuditLog audit, TimeProvider clock)
{
    /// <summary>
    /// Adds to <paramref name="db"/> those of <paramref name="candidates"/> whose <see cref="Finding.Key"/> was
    /// never raised (open or decided, nor earlier in the same list) and returns them.
    /// </summary>
    public async Task<IReadOnlyList<T>> RaiseAsync<T>(ComplianceHubDbContext db, IEnumerable<T> candidates, CancellationToken ct)
        where T : Finding, IFindingKind
    {
        var known = (await db.Set<T>().AsNoTracking().ToListAsync(ct)).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var raised = candidates.Where(c => known.Add(c.Key)).ToList();
        db.Set<T>().AddRange(raised);
        return raised;
    }

    /// <summary>
    /// Decides the open finding <paramref name="id"/>: the comment is trimmed and checked (required when
    /// <see cref="FindingDecision{T}.CommentRequired"/>, at most <see cref="Finding.MaxCommentLength"/>),
    /// <see cref="FindingDecision{T}.Check"/> may refuse, <see cref="FindingDecision{T}.Apply"/> records the
    /// outcome, and the decision is audited. Throws <see cref="ComplianceRuleException"/> for a finding that
    /// does not exist or was already decided.
    /// </summary>
    public async Task<T> DecideAsync<T>(ComplianceHubDbContext db, long id, FindingDecision<T> decision, AuditActor actor, CancellationToken ct)
        where T : Finding, IFindingKind
    {
        var finding = await db.Set<T>().SingleOrDefaultAsync(f => f.Id == id, ct);
        var comment = string.IsNullOrWhiteSpace(decision.Comment) ? null : decision.Comment.Trim();
        if (finding is null)
        {
            throw new ComplianceRuleException($"That {T.Wording.Noun} does not exist.");
        }

        if (comment is null && decision.CommentRequired)
        {
            throw new ComplianceRuleException(T.Wording.CommentNeeded);
        }

        if (comment is { Length: > Finding.MaxCommentLength })
        {
            throw new ComplianceRuleException($"The comment can be at most {Finding.MaxCommentLength:N0} characters.");
        }

        if (!finding.IsOpen)
        {
            throw new ComplianceRuleException($"That {T.Wording.Noun} was already {T.Wording.Decided} by {finding.DecidedBy}.");
        }

        decision.Check?.Invoke(finding);
        decision.Apply?.Invoke(finding);
        finding.Close(actor.Name, comment, clock.GetUtcNow());
        audit.Record(db, decision.Audited, actor, new AuditSubject(typeof(T).Name, id.ToString(CultureInfo.InvariantCulture)),
            await decision.Details(finding, comment, ct));
        return finding;
    }
}

/// <summary>
/// One decision on a finding of type <typeparamref name="T"/>: its comment, whether one is required, the
/// audit event and its details, and optionally a check that refuses (by throwing
/// <see cref="ComplianceRuleException"/>) and the outcome to record on the finding.
/// </summary>
public sealed record FindingDecision<T>(
    string? Comment, bool CommentRequired, AuditEventType Audited, Func<T, string?, CancellationToken, Task<object>> Details)
    where T : Finding, IFindingKind
{
    public Action<T>? Check { get; init; }
    public Action<T>? Apply { get; init; }
}
