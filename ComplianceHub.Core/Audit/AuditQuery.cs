using System.ComponentModel.DataAnnotations;

namespace ComplianceHub.Core.Audit;

/// <summary>
/// Filters for the audit trail. <see cref="BeforeId"/> is the keyset cursor: results are newest first
/// and a page continues below the last id of the previous one.
/// </summary>
public sealed record AuditQuery
{
    /// <summary>Matches the actor's user id exactly or the actor's name by substring.</summary>
    [MaxLength(256)]
    public string? Actor { get; init; }

    public AuditEventType? Type { get; init; }

    /// <summary>Inclusive lower bound.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Exclusive upper bound.</summary>
    public DateTimeOffset? To { get; init; }

    public string? SubjectType { get; init; }

    public string? SubjectId { get; init; }

    public long? BeforeId { get; init; }

    [Range(1, 500)]
    public int PageSize { get; init; } = 50;
}
