using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Retention;

/// <summary>What a retention rule applies to.</summary>
public enum RetentionScope
{
    /// <summary>Every message: the rule that applies when no other does (and the floor under every other).</summary>
    Default = 0,

    /// <summary>Messages captured one way: <c>Export</c> or <c>Webhook</c>.</summary>
    Source = 1,

    /// <summary>Conversations a custodian (by work e-mail) keeps.</summary>
    Custodian = 2,

    /// <summary>Conversations kept by anyone of a roster department.</summary>
    Department = 3,

    /// <summary>One conversation (by id).</summary>
    Conversation = 4,

    /// <summary>The conversation of one official group (by id).</summary>
    OfficialGroup = 5,
}

/// <summary>
/// How long messages are kept from their sent date, for what they apply to. A rule is never edited: a change retires it
/// and adds its successor, so what decided a past disposition stays on record. Where several rules apply to a message,
/// the longest period wins.
/// </summary>
public sealed class RetentionRule
{
    public const int MaxReasonLength = 500;
    public const int MaxTargetLength = 320;

    private RetentionRule()
    {
    }

    public RetentionRule(RetentionScope scope, string? target, RetentionPeriod period, string reason, string createdBy, DateTimeOffset createdAt)
    {
        Scope = scope;
        Target = target;
        Period = period.ToString();
        Reason = reason;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    public long Id { get; private set; }
    public RetentionScope Scope { get; private set; }

    /// <summary>
    /// What the rule applies to, normalised: null for the default, <c>Export</c>/<c>Webhook</c>, a lower-case e-mail
    /// address, a department's name, a conversation's or official group's id.
    /// </summary>
    public string? Target { get; private set; }

    /// <summary>The period as written (<c>7y</c>): <see cref="RetentionPeriod.Parse"/>.</summary>
    public string Period { get; private set; } = "";

    /// <summary>Why this period (the rule or regulation it follows).</summary>
    public string Reason { get; private set; } = "";

    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public string? RetiredBy { get; private set; }
    public DateTimeOffset? RetiredAt { get; private set; }

    public bool InForce => RetiredAt is null;

    public RetentionPeriod ParsedPeriod => RetentionPeriod.Parse(Period);

    internal void Retire(string by, DateTimeOffset at)
    {
        RetiredBy = by;
        RetiredAt = at;
    }
}

internal sealed class RetentionRuleConfiguration : IEntityTypeConfiguration<RetentionRule>
{
    public void Configure(EntityTypeBuilder<RetentionRule> builder)
    {
        builder.ToTable("RetentionRules");
        builder.Property(r => r.Target).HasMaxLength(RetentionRule.MaxTargetLength);
        builder.Property(r => r.Period).HasMaxLength(16).IsRequired();
        builder.Property(r => r.Reason).HasMaxLength(RetentionRule.MaxReasonLength).IsRequired();
        builder.Property(r => r.CreatedBy).HasMaxLength(256).IsRequired();
        builder.Property(r => r.RetiredBy).HasMaxLength(256);
        builder.HasIndex(r => new { r.Scope, r.Target });
        builder.Ignore(r => r.InForce);
        builder.Ignore(r => r.ParsedPeriod);
    }
}
