using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Audit;

/// <summary>
/// One append-only audit record. Its id is its position in the single audit chain; its hash covers its
/// canonical content and the previous record's hash, so altering, removing or reordering any record
/// breaks every later link (SEC 17a-4(f)(2)(i) audit-trail alternative; whatsapp-formats.md §5).
/// There is deliberately no way to change a record once it is sealed.
/// </summary>
public sealed class AuditEvent : IAppendOnly
{
    /// <summary>The hash that the first record of a chain links to.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    // EF Core materialization.
    private AuditEvent()
    {
    }

    internal AuditEvent(
        DateTimeOffset occurredAt, AuditEventType type, AuditActor actor, AuditSubject? subject, string? details)
    {
        OccurredAt = occurredAt;
        Type = type;
        ActorUserId = actor.UserId;
        ActorName = actor.Name;
        IpAddress = actor.IpAddress;
        SubjectType = subject?.Type;
        SubjectId = subject?.Id;
        Details = details;
    }

    public long Id { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public AuditEventType Type { get; private set; }
    public string? ActorUserId { get; private set; }
    public string ActorName { get; private set; } = "";
    public string? IpAddress { get; private set; }
    public string? SubjectType { get; private set; }
    public string? SubjectId { get; private set; }
    /// <summary>Small JSON object with event-specific facts; never message content or secrets.</summary>
    public string? Details { get; private set; }
    public string PreviousHash { get; private set; } = "";
    public string Hash { get; private set; } = "";

    internal bool IsSealed => Hash.Length != 0;

    /// <summary>Places the record at <paramref name="id"/> after a record whose hash is <paramref name="previousHash"/>.</summary>
    internal void Seal(long id, string previousHash)
    {
        if (IsSealed)
        {
            throw new InvalidOperationException($"Audit event {Id} is already sealed.");
        }

        Id = id;
        PreviousHash = previousHash;
        Hash = ComputeHash();
    }

    /// <summary>Recomputes the hash from the stored fields, for verification.</summary>
    public string ComputeHash() => new CanonicalWriter()
        .Add(Id)
        .Add(OccurredAt.ToUnixTimeMilliseconds())
        .Add((int)Type)
        .Add(ActorUserId)
        .Add(ActorName)
        .Add(IpAddress)
        .Add(SubjectType)
        .Add(SubjectId)
        .Add(Details)
        .Add(PreviousHash)
        .Sha256Hex();
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("AuditEvents");
        builder.HasKey(e => e.Id);
        // The id is the chain position, assigned while sealing.
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Type).HasConversion<int>();
        builder.Property(e => e.ActorUserId).HasMaxLength(450);
        builder.Property(e => e.ActorName).HasMaxLength(256).IsRequired();
        builder.Property(e => e.IpAddress).HasMaxLength(64);
        builder.Property(e => e.SubjectType).HasMaxLength(64);
        builder.Property(e => e.SubjectId).HasMaxLength(256);
        builder.Property(e => e.Details).HasMaxLength(AuditLog.MaxDetailsLength);
        builder.Property(e => e.PreviousHash).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(e => e.Hash).HasMaxLength(64).IsFixedLength().IsRequired();

        builder.HasIndex(e => e.OccurredAt);
        builder.HasIndex(e => new { e.ActorUserId, e.OccurredAt });
        builder.HasIndex(e => new { e.Type, e.OccurredAt });
        builder.HasIndex(e => new { e.SubjectType, e.SubjectId });
    }
}
