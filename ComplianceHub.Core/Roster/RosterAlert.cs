using System.Globalization;
using ComplianceHub.Core.Findings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Roster;

/// <summary>What a roster flag is about.</summary>
public enum RosterAlertKind
{
    /// <summary>Traffic in a business number's conversation from a number that is not on the roster.</summary>
    UnknownSender = 0,

    /// <summary>An active authorized number with no captured traffic for the configured number of days.</summary>
    SilentNumber = 1,

    /// <summary>Traffic from a number after its authorization was suspended or revoked.</summary>
    RevokedSender = 2,

    /// <summary>A roster participant left, or an unknown one joined, an official group.</summary>
    GroupChange = 3,

    /// <summary>A group chat archived from an employee on the roster that is not registered as an official group.</summary>
    UnregisteredGroup = 4,
}

/// <summary>
/// One flag raised by the roster monitor, open until a compliance officer acknowledges it with a
/// comment. The same finding (kind, number, conversation, subject) is flagged once.
/// </summary>
public sealed class RosterAlert : Finding, IFindingKind
{

    private RosterAlert()
    {
    }

    internal RosterAlert(RosterAlertKind kind, string phone, long? conversationId, string subject, string detail, DateTimeOffset raisedAt)
    {
        Kind = kind;
        Subject = subject;
        Phone = phone;
        ConversationId = conversationId;
        Detail = detail;
        RaisedAt = raisedAt;
    }

    public RosterAlertKind Kind { get; private set; }
    public string Phone { get; private set; } = "";
    public long? ConversationId { get; private set; }

    /// <summary>
    /// What sets this finding apart from others of its kind on the same number and conversation (a group
    /// change's event and date); empty for the other kinds. Part of the finding's identity.
    /// </summary>
    public string Subject { get; private set; } = "";

    public string Detail { get; private set; } = "";
    public DateTimeOffset RaisedAt { get; private set; }

    public override string Key => string.Create(CultureInfo.InvariantCulture, $"{(int)Kind}|{Phone}|{ConversationId}|{Subject}");

    public static FindingWording Wording { get; } = new("alert", "acknowledged", "Say what was found or done: a comment of 1 to 2,000 characters.");

    public static string KindCode(RosterAlertKind kind) => kind switch
    {
        RosterAlertKind.UnknownSender => "unknown-sender",
        RosterAlertKind.SilentNumber => "silent-number",
        RosterAlertKind.RevokedSender => "revoked-sender",
        RosterAlertKind.GroupChange => "group-change",
        RosterAlertKind.UnregisteredGroup => "unregistered-group",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}

internal sealed class RosterAlertConfiguration : IEntityTypeConfiguration<RosterAlert>
{
    public void Configure(EntityTypeBuilder<RosterAlert> builder)
    {
        builder.ToTable("RosterAlerts");
        builder.Property(a => a.Kind).HasConversion<int>();
        builder.Property(a => a.Phone).HasMaxLength(20).IsRequired();
        builder.Property(a => a.Detail).HasMaxLength(1000).IsRequired();
        // Acknowledging is this queue's decision (Finding); the columns keep their first names.
        builder.Property(a => a.DecidedAt).HasColumnName("AcknowledgedAt");
        builder.Property(a => a.DecidedBy).HasColumnName("AcknowledgedBy").HasMaxLength(256);
        builder.Property(a => a.Comment).HasMaxLength(2000);
        builder.Property(a => a.Subject).HasMaxLength(300).IsRequired();
        builder.HasIndex(a => new { a.Kind, a.Phone, a.ConversationId, a.Subject }).IsUnique();
        builder.HasIndex(a => a.DecidedAt).HasDatabaseName("IX_RosterAlerts_AcknowledgedAt");
    }
}
