using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ComplianceHub.Core.Storage;

namespace ComplianceHub.Core.Archive;

/// <summary>
/// What a message removed by a disposition run leaves behind: its id, conversation, place in the conversation's chain and
/// the hashes that chained it, so that the chain still verifies from its first message to its last (the message after it
/// names this hash), and which rule and run removed it when. Nothing of the message's content stays. Written once, in
/// the transaction that removes the message; never changed or removed (<see cref="IAppendOnly"/>, database triggers),
/// and sealed by checkpoints and by its run's signed summary.
/// </summary>
public sealed class MessageTombstone : IAppendOnly
{
    public const int MaxRuleLength = 400;

    private MessageTombstone()
    {
    }

    internal MessageTombstone(
        long messageId, long conversationId, long chainSequence, string previousHash, string hash, long runId, long? ruleId, string rule,
        DateTimeOffset removedAt)
    {
        MessageId = messageId;
        ConversationId = conversationId;
        ChainSequence = chainSequence;
        PreviousHash = previousHash;
        Hash = hash;
        RunId = runId;
        RuleId = ruleId;
        Rule = rule;
        RemovedAt = removedAt;
    }

    /// <summary>The removed message's id (never reused).</summary>
    public long MessageId { get; private set; }

    public long ConversationId { get; private set; }

    /// <summary>The removed message's position in its conversation's chain.</summary>
    public long ChainSequence { get; private set; }

    public string PreviousHash { get; private set; } = "";

    /// <summary>The removed message's chain hash, which the next message (or tombstone) names as its previous.</summary>
    public string Hash { get; private set; } = "";

    /// <summary>The disposition run that removed it.</summary>
    public long RunId { get; private set; }

    /// <summary>The retention rule that decided (null: the configured default).</summary>
    public long? RuleId { get; private set; }

    /// <summary>The rule as the run described it ("Default: 7 years").</summary>
    public string Rule { get; private set; } = "";

    public DateTimeOffset RemovedAt { get; private set; }

    /// <summary>What checkpoints and the run's signed summary seal of a tombstone: all of it.</summary>
    public string Digest() => new Common.CanonicalWriter()
        .Add(MessageId).Add(ConversationId).Add(ChainSequence).Add(PreviousHash).Add(Hash).Add(RunId).Add(RuleId ?? -1).Add(Rule)
        .Add(RemovedAt.ToUnixTimeMilliseconds()).Sha256Hex();
}

internal sealed class MessageTombstoneConfiguration : IEntityTypeConfiguration<MessageTombstone>
{
    public void Configure(EntityTypeBuilder<MessageTombstone> builder)
    {
        builder.ToTable("MessageTombstones");
        builder.HasKey(t => t.MessageId);
        builder.Property(t => t.MessageId).ValueGeneratedNever();
        builder.Property(t => t.PreviousHash).HasMaxLength(64).IsRequired();
        builder.Property(t => t.Hash).HasMaxLength(64).IsRequired();
        builder.Property(t => t.Rule).HasMaxLength(MessageTombstone.MaxRuleLength).IsRequired();
        builder.HasIndex(t => new { t.ConversationId, t.ChainSequence }).IsUnique();
        builder.HasIndex(t => t.RunId);
        builder.HasOne<Conversation>().WithMany().HasForeignKey(t => t.ConversationId).OnDelete(DeleteBehavior.Restrict);
    }
}
