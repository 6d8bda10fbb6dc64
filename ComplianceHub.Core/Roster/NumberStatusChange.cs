using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Roster;

/// <summary>One change of an authorized number's status: append-only history.</summary>
public sealed class NumberStatusChange : IAppendOnly
{
    private NumberStatusChange()
    {
    }

    internal NumberStatusChange(AuthorizationStatus? from, AuthorizationStatus to, string? reason, string changedBy, DateTimeOffset changedAt)
    {
        FromStatus = from;
        ToStatus = to;
        Reason = reason;
        ChangedBy = changedBy;
        ChangedAt = changedAt;
    }

    public long Id { get; private set; }
    public long AuthorizedNumberId { get; private set; }
    public AuthorizationStatus? FromStatus { get; private set; }
    public AuthorizationStatus ToStatus { get; private set; }
    public string? Reason { get; private set; }
    public string ChangedBy { get; private set; } = "";
    public DateTimeOffset ChangedAt { get; private set; }
}

internal sealed class NumberStatusChangeConfiguration : IEntityTypeConfiguration<NumberStatusChange>
{
    public void Configure(EntityTypeBuilder<NumberStatusChange> builder)
    {
        builder.ToTable("NumberStatusChanges");
        builder.Property(h => h.FromStatus).HasConversion<int?>();
        builder.Property(h => h.ToStatus).HasConversion<int>();
        builder.Property(h => h.Reason).HasMaxLength(1000);
        builder.Property(h => h.ChangedBy).HasMaxLength(256).IsRequired();
        builder.HasIndex(h => h.AuthorizedNumberId);
    }
}
