namespace ComplianceHub.Core.Findings;

/// <summary>
/// Something raised for a person to decide: a roster alert, a re-certification review (and next the
/// supervision queue's flagged messages and the people overdue on policies and training). A finding is
/// raised once (<see cref="Key"/>), decided once by someone with the comment its decision needs, and
/// kept with who decided, when and why; <see cref="FindingQueue"/> does both and audits the decision.
/// </summary>
public abstract class Finding
{
    public const int MaxCommentLength = 2000;

    public long Id { get; private set; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? Comment { get; private set; }

    public bool IsOpen => DecidedAt is null;

    /// <summary>What makes two findings the same one: a finding with a key already raised is not raised again, open or closed.</summary>
    public abstract string Key { get; }

    /// <summary>Records the decision; a finding is decided once (<see cref="FindingQueue"/> says so to the user first).</summary>
    internal void Close(string by, string? comment, DateTimeOffset at)
    {
        if (!IsOpen)
        {
            throw new InvalidOperationException($"Finding {Id} was already decided by {DecidedBy}.");
        }

        DecidedBy = by;
        Comment = comment;
        DecidedAt = at;
    }
}

/// <summary>A kind of finding: the words its queue uses for it.</summary>
public interface IFindingKind
{
    /// <summary>How the finding is named in what its queue says ("alert": "That alert was already acknowledged by …").</summary>
    static abstract FindingWording Wording { get; }
}

/// <summary>The words a queue uses for its findings: the noun, the past participle of deciding, and what it asks for when a comment is missing.</summary>
public sealed record FindingWording(string Noun, string Decided, string CommentNeeded);
