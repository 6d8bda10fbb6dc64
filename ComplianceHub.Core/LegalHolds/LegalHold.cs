using ComplianceHub.Core.Archive;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.LegalHolds;

/// <summary>
/// A legal hold: a matter for which the archive must preserve every message in scope, whatever any
/// retention period says, until the hold is released. The scope is the listed conversations and every
/// conversation of the listed custodians (including ones captured later), within an optional range of
/// sent times. Placing and releasing are audited; a released hold is kept for the record.
/// </summary>
public sealed class LegalHold
{
    public const int MaxNameLength = 200;

    private LegalHold()
    {
    }

    internal LegalHold(string name, string? matterNumber, string description, DateTimeOffset? scopeFrom, DateTimeOffset? scopeUntil,
        string? sourceCriteriaJson, string placedBy, DateTimeOffset placedAt)
    {
        Name = name;
        MatterNumber = matterNumber;
        Description = description;
        ScopeFrom = scopeFrom;
        ScopeUntil = scopeUntil;
        ScopeFromKey = scopeFrom is { } from ? SearchKeys.FirstOf(from) : null;
        ScopeUntilKey = scopeUntil is { } until ? SearchKeys.FirstOf(until, roundUp: true) : null;
        SourceCriteriaJson = sourceCriteriaJson;
        PlacedBy = placedBy;
        PlacedAt = placedAt;
    }

    public long Id { get; private set; }

    /// <summary>The matter's name ("Northbridge v. Example Bank"); unique.</summary>
    public string Name { get; private set; } = "";

    public string? MatterNumber { get; private set; }
    public string Description { get; private set; } = "";

    /// <summary>Messages sent at or after this instant are in scope (all, when null).</summary>
    public DateTimeOffset? ScopeFrom { get; private set; }

    /// <summary>Messages sent before this instant are in scope (all, when null).</summary>
    public DateTimeOffset? ScopeUntil { get; private set; }

    /// <summary><see cref="ScopeFrom"/> as a search key, so the scope test is a key comparison on every provider.</summary>
    public long? ScopeFromKey { get; private set; }

    public long? ScopeUntilKey { get; private set; }

    /// <summary>The archive search the hold was placed from (its criteria as JSON), for the record.</summary>
    public string? SourceCriteriaJson { get; private set; }

    public string PlacedBy { get; private set; } = "";
    public DateTimeOffset PlacedAt { get; private set; }
    public string? ReleasedBy { get; private set; }
    public DateTimeOffset? ReleasedAt { get; private set; }
    public string? ReleaseReason { get; private set; }

    public bool IsActive => ReleasedAt is null;

    public List<LegalHoldConversation> Conversations { get; private set; } = [];
    public List<LegalHoldCustodian> Custodians { get; private set; } = [];

    internal void Release(string by, string reason, DateTimeOffset at)
    {
        ReleasedBy = by;
        ReleaseReason = reason;
        ReleasedAt = at;
    }
}

/// <summary>A conversation named in a hold's scope.</summary>
public sealed class LegalHoldConversation
{
    private LegalHoldConversation()
    {
    }

    internal LegalHoldConversation(long conversationId) => ConversationId = conversationId;

    public long HoldId { get; private set; }
    public long ConversationId { get; private set; }
}

/// <summary>A custodian (by e-mail) whose conversations are in a hold's scope.</summary>
public sealed class LegalHoldCustodian
{
    private LegalHoldCustodian()
    {
    }

    internal LegalHoldCustodian(string email) => Email = email;

    public long HoldId { get; private set; }
    public string Email { get; private set; } = "";
}

internal sealed class LegalHoldConfiguration : IEntityTypeConfiguration<LegalHold>
{
    public void Configure(EntityTypeBuilder<LegalHold> builder)
    {
        builder.ToTable("LegalHolds");
        builder.Property(h => h.Name).HasMaxLength(LegalHold.MaxNameLength).IsRequired();
        builder.Property(h => h.MatterNumber).HasMaxLength(100);
        builder.Property(h => h.Description).HasMaxLength(4000).IsRequired();
        builder.Property(h => h.PlacedBy).HasMaxLength(256).IsRequired();
        builder.Property(h => h.ReleasedBy).HasMaxLength(256);
        builder.Property(h => h.ReleaseReason).HasMaxLength(2000);
        builder.Ignore(h => h.IsActive);
        builder.HasIndex(h => h.Name).IsUnique();
        builder.HasIndex(h => h.ReleasedAt);
        builder.HasMany(h => h.Conversations).WithOne().HasForeignKey(c => c.HoldId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(h => h.Custodians).WithOne().HasForeignKey(c => c.HoldId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class LegalHoldConversationConfiguration : IEntityTypeConfiguration<LegalHoldConversation>
{
    public void Configure(EntityTypeBuilder<LegalHoldConversation> builder)
    {
        builder.ToTable("LegalHoldConversations");
        builder.HasKey(c => new { c.HoldId, c.ConversationId });
        builder.HasIndex(c => c.ConversationId);
        builder.HasOne<Conversation>().WithMany().HasForeignKey(c => c.ConversationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class LegalHoldCustodianConfiguration : IEntityTypeConfiguration<LegalHoldCustodian>
{
    public void Configure(EntityTypeBuilder<LegalHoldCustodian> builder)
    {
        builder.ToTable("LegalHoldCustodians");
        builder.HasKey(c => new { c.HoldId, c.Email });
        builder.Property(c => c.Email).HasMaxLength(256);
        builder.HasIndex(c => c.Email);
    }
}
