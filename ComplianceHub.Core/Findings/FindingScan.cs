using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Findings;

/// <summary>
/// How far a check that raises findings has read the archive, so each pass reads only what arrived
/// since: the last message id it judged within a scope (0: the whole archive; otherwise a conversation),
/// and the basis it judged by (such as a group's participant list). A new basis reads the scope again
/// from its start.
/// </summary>
public sealed class FindingScan
{
    private FindingScan()
    {
    }

    internal FindingScan(string check, long scopeId)
    {
        Check = check;
        ScopeId = scopeId;
    }

    public string Check { get; private set; } = "";
    public long ScopeId { get; private set; }
    public long LastMessageId { get; private set; }
    public string? Basis { get; private set; }
    public DateTimeOffset ScannedAt { get; private set; }

    internal void Advance(long lastMessageId, string? basis, DateTimeOffset at)
    {
        LastMessageId = lastMessageId;
        Basis = basis;
        ScannedAt = at;
    }
}

internal sealed class FindingScanConfiguration : IEntityTypeConfiguration<FindingScan>
{
    public void Configure(EntityTypeBuilder<FindingScan> builder)
    {
        builder.ToTable("FindingScans");
        builder.HasKey(s => new { s.Check, s.ScopeId });
        builder.Property(s => s.Check).HasMaxLength(64);
        builder.Property(s => s.Basis).HasMaxLength(64);
    }
}
