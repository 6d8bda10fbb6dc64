using ComplianceHub.Core.Archive;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Retention;

/// <summary>Where a disposition run stands. Numbers are stored and named by the database's triggers: never renumber.</summary>
public enum DispositionRunStatus
{
    /// <summary>Its report is written; a second person must approve it before anything is removed (four eyes).</summary>
    AwaitingApproval = 0,

    /// <summary>Approved (or needing no approval): removal starts next.</summary>
    Approved = 1,

    /// <summary>Removing, a conversation at a time; the only state in which the database lets messages its report names go.</summary>
    Removing = 2,

    Completed = 3,

    /// <summary>Turned down by the approver: nothing was removed.</summary>
    Rejected = 4,
}

/// <summary>What started a run.</summary>
public enum DispositionTrigger
{
    OnDemand = 0,
    Scheduled = 1,
}

/// <summary>
/// One disposition: its report (the messages it may remove, <see cref="DispositionItem"/>), who asked and who approved,
/// and, once completed, its counts and a summary signed with the checkpoint key that seals the digest of every tombstone
/// it left. Removal goes a conversation at a time, each in one transaction, so a run stopped half-way is resumed.
/// </summary>
public sealed class DispositionRun
{
    public const int MaxReasonLength = 500;

    private DispositionRun()
    {
    }

    internal DispositionRun(DispositionTrigger trigger, string requestedBy, DateTimeOffset requestedAt, DateTimeOffset plannedAt, bool needsApproval)
    {
        Trigger = trigger;
        RequestedBy = requestedBy;
        RequestedAt = requestedAt;
        PlannedAt = plannedAt;
        Status = needsApproval ? DispositionRunStatus.AwaitingApproval : DispositionRunStatus.Approved;
    }

    public long Id { get; private set; }
    public DispositionTrigger Trigger { get; private set; }
    public DispositionRunStatus Status { get; private set; }
    public string RequestedBy { get; private set; } = "";
    public DateTimeOffset RequestedAt { get; private set; }

    /// <summary>The instant the report was computed at: what had expired then.</summary>
    public DateTimeOffset PlannedAt { get; private set; }

    /// <summary>Messages expired at <see cref="PlannedAt"/>, those active holds kept then, and those the report names for removal.</summary>
    public int Expired { get; private set; }
    public int KeptByHold { get; private set; }
    public int Named { get; private set; }

    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? RejectionReason { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>Messages removed (each leaving a tombstone), those a hold placed since the report kept, and files removed from the blob store.</summary>
    public int Removed { get; private set; }
    public int HeldSinceReport { get; private set; }
    public int BlobsRemoved { get; private set; }

    /// <summary>The completed run's summary (canonical JSON) and its signature by the checkpoint key.</summary>
    public string? Summary { get; private set; }
    public string? Signature { get; private set; }
    public string? SignedByKey { get; private set; }

    public bool IsOpen => Status is DispositionRunStatus.AwaitingApproval or DispositionRunStatus.Approved or DispositionRunStatus.Removing;

    internal void Report(int expired, int keptByHold, int named)
    {
        Expired = expired;
        KeptByHold = keptByHold;
        Named = named;
    }

    internal void Approve(string by, DateTimeOffset at)
    {
        Status = DispositionRunStatus.Approved;
        DecidedBy = by;
        DecidedAt = at;
    }

    internal void Reject(string by, DateTimeOffset at, string reason)
    {
        Status = DispositionRunStatus.Rejected;
        DecidedBy = by;
        DecidedAt = at;
        RejectionReason = reason;
    }

    internal void Start(DateTimeOffset at)
    {
        Status = DispositionRunStatus.Removing;
        StartedAt ??= at;
    }

    internal void Complete(DateTimeOffset at, int removed, int heldSinceReport, int blobsRemoved, string summary, string signature, string keyId)
    {
        Status = DispositionRunStatus.Completed;
        CompletedAt = at;
        Removed = removed;
        HeldSinceReport = heldSinceReport;
        BlobsRemoved = blobsRemoved;
        Summary = summary;
        Signature = signature;
        SignedByKey = keyId;
    }
}

/// <summary>A message a run's report names for removal, with the rule that decided. Only these may go, and only while the run is removing.</summary>
public sealed class DispositionItem : Storage.IAppendOnly
{
    private DispositionItem()
    {
    }

    internal DispositionItem(long runId, long messageId, long conversationId, long? ruleId, string rule)
    {
        RunId = runId;
        MessageId = messageId;
        ConversationId = conversationId;
        RuleId = ruleId;
        Rule = rule;
    }

    public long RunId { get; private set; }
    public long MessageId { get; private set; }
    public long ConversationId { get; private set; }
    public long? RuleId { get; private set; }
    public string Rule { get; private set; } = "";
}

/// <summary>
/// A file a run's removals may have left unreferenced (an attachment's, or an import's original), recorded in the
/// conversation's transaction; removed from the blob store once nothing kept names it. Makes blob removal resumable.
/// </summary>
public sealed class DispositionBlob
{
    private DispositionBlob()
    {
    }

    internal DispositionBlob(long runId, string sha256)
    {
        RunId = runId;
        Sha256 = sha256;
    }

    public long RunId { get; private set; }
    public string Sha256 { get; private set; } = "";

    /// <summary>When the file was removed; null while pending, or when something kept still names it (then <see cref="StillNamed"/>).</summary>
    public DateTimeOffset? RemovedAt { get; private set; }
    public bool StillNamed { get; private set; }

    internal void Settle(DateTimeOffset? removedAt, bool stillNamed)
    {
        RemovedAt = removedAt;
        StillNamed = stillNamed;
    }
}

/// <summary>
/// The administrator's disposition settings as changed in the portal or on the command line: each change a new row, the
/// latest in force (before the first, <see cref="RetentionOptions"/>). Audited.
/// </summary>
public sealed class DispositionSetting : Storage.IAppendOnly
{
    private DispositionSetting()
    {
    }

    internal DispositionSetting(bool enabled, bool requireApproval, string changedBy, DateTimeOffset changedAt)
    {
        Enabled = enabled;
        RequireApproval = requireApproval;
        ChangedBy = changedBy;
        ChangedAt = changedAt;
    }

    public long Id { get; private set; }
    public bool Enabled { get; private set; }
    public bool RequireApproval { get; private set; }
    public string ChangedBy { get; private set; } = "";
    public DateTimeOffset ChangedAt { get; private set; }
}

internal sealed class DispositionRunConfiguration : IEntityTypeConfiguration<DispositionRun>
{
    public void Configure(EntityTypeBuilder<DispositionRun> builder)
    {
        builder.ToTable("DispositionRuns");
        builder.Property(r => r.RequestedBy).HasMaxLength(256).IsRequired();
        builder.Property(r => r.DecidedBy).HasMaxLength(256);
        builder.Property(r => r.RejectionReason).HasMaxLength(DispositionRun.MaxReasonLength);
        builder.Property(r => r.SignedByKey).HasMaxLength(64);
        builder.HasIndex(r => r.Status);
        builder.Ignore(r => r.IsOpen);
    }
}

internal sealed class DispositionItemConfiguration : IEntityTypeConfiguration<DispositionItem>
{
    public void Configure(EntityTypeBuilder<DispositionItem> builder)
    {
        builder.ToTable("DispositionItems");
        builder.HasKey(i => new { i.RunId, i.MessageId });
        builder.Property(i => i.Rule).HasMaxLength(MessageTombstone.MaxRuleLength).IsRequired();
        builder.HasIndex(i => i.MessageId);
        builder.HasIndex(i => new { i.RunId, i.ConversationId });
        builder.HasOne<DispositionRun>().WithMany().HasForeignKey(i => i.RunId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DispositionBlobConfiguration : IEntityTypeConfiguration<DispositionBlob>
{
    public void Configure(EntityTypeBuilder<DispositionBlob> builder)
    {
        builder.ToTable("DispositionBlobs");
        builder.HasKey(b => new { b.RunId, b.Sha256 });
        builder.Property(b => b.Sha256).HasMaxLength(64);
        builder.HasOne<DispositionRun>().WithMany().HasForeignKey(b => b.RunId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DispositionSettingConfiguration : IEntityTypeConfiguration<DispositionSetting>
{
    public void Configure(EntityTypeBuilder<DispositionSetting> builder)
    {
        builder.ToTable("DispositionSettings");
        builder.Property(s => s.ChangedBy).HasMaxLength(256).IsRequired();
    }
}
