using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ComplianceHub.Core.Roster;

namespace ComplianceHub.Core.Policies;

// Stored as numbers: never renumber.
public enum PolicyVersionStatus
{
    Draft = 0,
    Published = 1,
    Superseded = 2,
    Retired = 3,
}

/// <summary>
/// A messaging policy ("WhatsApp business use policy") and its versions: at most one draft being written, at most one
/// published version in force; publishing a draft supersedes the version before it, retiring the document retires the
/// version in force. Kept for the record: documents and versions are never deleted.
/// </summary>
public sealed class PolicyDocument
{
    public const int MaxTitleLength = 200;

    private PolicyDocument()
    {
    }

    internal PolicyDocument(string title, string createdBy, DateTimeOffset at)
    {
        Title = title;
        CreatedBy = createdBy;
        CreatedAt = at;
    }

    public long Id { get; private set; }

    /// <summary>Unique among documents.</summary>
    public string Title { get; private set; } = "";

    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RetiredAt { get; private set; }
    public string? RetiredBy { get; private set; }

    public List<PolicyVersion> Versions { get; private set; } = [];

    internal void Retire(string by, DateTimeOffset at) => (RetiredBy, RetiredAt) = (by, at);
}

/// <summary>
/// One version of a policy: Markdown written as a draft, then published (its content frozen and hashed, effective from
/// publication), later superseded by the next published version or retired with its document. A new version says
/// whether it is a material change (everyone signs again) and what changed.
/// </summary>
public sealed class PolicyVersion
{
    public const int MaxContentLength = 200_000;
    public const int MaxSummaryLength = 2_000;

    private PolicyVersion()
    {
    }

    internal PolicyVersion(long documentId, int number, string content, Audience audience, int dueDays, int? reattestMonths, string by, DateTimeOffset at)
    {
        DocumentId = documentId;
        Number = number;
        CreatedBy = by;
        CreatedAt = at;
        Edit(content, audience, dueDays, reattestMonths, at);
    }

    public long Id { get; private set; }
    public long DocumentId { get; private set; }

    /// <summary>1, 2, 3… within the document.</summary>
    public int Number { get; private set; }

    public PolicyVersionStatus Status { get; private set; }

    /// <summary>The policy's text in Markdown (rendered sanitised; see <see cref="PolicyMarkdown"/>).</summary>
    public string Content { get; private set; } = "";

    /// <summary>SHA-256 of the content's UTF-8 bytes, fixed when published; what an acknowledgement records.</summary>
    public string? ContentSha256 { get; private set; }

    public AudienceKind AudienceKind { get; private set; }

    /// <summary>The departments, roles or people's e-mail addresses the audience names, one per line (none for everyone).</summary>
    public string AudienceValues { get; private set; } = "";

    /// <summary>Days after publication by which the audience must have signed.</summary>
    public int DueDays { get; private set; }

    /// <summary>Months after which a signature must be given again (null: once is enough).</summary>
    public int? ReattestMonths { get; private set; }

    public string? ChangeSummary { get; private set; }

    /// <summary>The SHA-256 of a PDF attached to the version (its blob in the store), frozen with it; null when none.</summary>
    public string? AttachmentSha256 { get; private set; }

    public string? AttachmentFileName { get; private set; }
    public long? AttachmentLength { get; private set; }

    /// <summary>Whether signers of earlier versions must sign this one too (the first version always counts as material).</summary>
    public bool IsMaterial { get; private set; }

    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? PublishedAt { get; private set; }
    public string? PublishedBy { get; private set; }

    /// <summary>When it stopped being in force (superseded or retired).</summary>
    public DateTimeOffset? EndedAt { get; private set; }

    public Audience Audience => Audience.From(AudienceKind, AudienceValues);

    public DateTimeOffset? DueAt => PublishedAt?.AddDays(DueDays);

    internal void Edit(string content, Audience audience, int dueDays, int? reattestMonths, DateTimeOffset at)
    {
        Content = content;
        AudienceKind = audience.Kind;
        AudienceValues = audience.StoredValues;
        DueDays = dueDays;
        ReattestMonths = reattestMonths;
        UpdatedAt = at;
    }

    internal void Attach(string sha256, string fileName, long length, DateTimeOffset at) =>
        (AttachmentSha256, AttachmentFileName, AttachmentLength, UpdatedAt) = (sha256, fileName, length, at);

    internal void Detach(DateTimeOffset at) => (AttachmentSha256, AttachmentFileName, AttachmentLength, UpdatedAt) = (null, null, null, at);

    internal void Publish(string sha256, string? summary, bool material, string by, DateTimeOffset at)
    {
        Status = PolicyVersionStatus.Published;
        ContentSha256 = sha256;
        ChangeSummary = summary;
        IsMaterial = material;
        PublishedBy = by;
        PublishedAt = at;
        UpdatedAt = at;
    }

    internal void End(PolicyVersionStatus status, DateTimeOffset at) => (Status, EndedAt, UpdatedAt) = (status, at, at);
}

internal sealed class PolicyDocumentConfiguration : IEntityTypeConfiguration<PolicyDocument>
{
    public void Configure(EntityTypeBuilder<PolicyDocument> builder)
    {
        builder.ToTable("PolicyDocuments");
        builder.Property(d => d.Title).HasMaxLength(PolicyDocument.MaxTitleLength).IsRequired();
        builder.HasIndex(d => d.Title).IsUnique();
        builder.Property(d => d.CreatedBy).HasMaxLength(256).IsRequired();
        builder.Property(d => d.RetiredBy).HasMaxLength(256);
        builder.HasMany(d => d.Versions).WithOne().HasForeignKey(v => v.DocumentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PolicyVersionConfiguration : IEntityTypeConfiguration<PolicyVersion>
{
    public void Configure(EntityTypeBuilder<PolicyVersion> builder)
    {
        builder.ToTable("PolicyVersions");
        builder.Property(v => v.Status).HasConversion<int>();
        builder.Property(v => v.AudienceKind).HasConversion<int>();
        builder.Property(v => v.Content).HasMaxLength(PolicyVersion.MaxContentLength).IsRequired();
        builder.Property(v => v.ContentSha256).HasMaxLength(64).IsFixedLength();
        builder.Property(v => v.AudienceValues).HasMaxLength(8000).IsRequired();
        builder.Property(v => v.ChangeSummary).HasMaxLength(PolicyVersion.MaxSummaryLength);
        builder.Property(v => v.AttachmentSha256).HasMaxLength(64).IsFixedLength();
        builder.Property(v => v.AttachmentFileName).HasMaxLength(255);
        builder.Property(v => v.CreatedBy).HasMaxLength(256).IsRequired();
        builder.Property(v => v.PublishedBy).HasMaxLength(256);
        builder.Ignore(v => v.Audience);
        builder.Ignore(v => v.DueAt);
        builder.HasIndex(v => new { v.DocumentId, v.Number }).IsUnique();
        builder.HasIndex(v => new { v.Status, v.DocumentId });
    }
}
