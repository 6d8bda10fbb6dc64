using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Training.Scorm;

/// <summary>
/// A SCORM 1.2 package uploaded to a course: the zip kept whole in the blob store by its SHA-256 and what its manifest
/// says. A course plays its newest package that is not removed; a replaced or removed one stays on record (attempts
/// and completions name it).
/// </summary>
public sealed class ScormPackage
{
    private ScormPackage()
    {
    }

    internal ScormPackage(long courseId, string fileName, string sha256, long length, ScormManifest manifest, string by, DateTimeOffset at)
    {
        CourseId = courseId;
        FileName = fileName;
        Sha256 = sha256;
        Length = length;
        Title = manifest.Title;
        LaunchPath = manifest.LaunchPath;
        LaunchParameters = manifest.LaunchParameters;
        MasteryScore = manifest.MasteryScore;
        LaunchData = manifest.LaunchData;
        MaxTimeAllowed = manifest.MaxTimeAllowed;
        TimeLimitAction = manifest.TimeLimitAction;
        EntryCount = manifest.EntryCount;
        UploadedBy = by;
        UploadedAt = at;
    }

    public long Id { get; private set; }
    public long CourseId { get; private set; }
    public string FileName { get; private set; } = "";
    public string Sha256 { get; private set; } = "";
    public long Length { get; private set; }

    /// <summary>The manifest's title for the course.</summary>
    public string Title { get; private set; } = "";

    /// <summary>The SCO's file, relative to the package's root.</summary>
    public string LaunchPath { get; private set; } = "";

    public string? LaunchParameters { get; private set; }

    /// <summary>adlcp:masteryscore: a score at or above it passes, below it fails, whatever the SCO says.</summary>
    public int? MasteryScore { get; private set; }

    public string? LaunchData { get; private set; }
    public string? MaxTimeAllowed { get; private set; }
    public string? TimeLimitAction { get; private set; }
    public int EntryCount { get; private set; }
    public string UploadedBy { get; private set; } = "";
    public DateTimeOffset UploadedAt { get; private set; }
    public DateTimeOffset? RemovedAt { get; private set; }

    public string LaunchUrl => LaunchParameters is { Length: > 0 } p ? LaunchPath + (p.StartsWith('?') || p.StartsWith('#') ? p : "?" + p) : LaunchPath;

    internal void Remove(DateTimeOffset at) => RemovedAt = at;
}

/// <summary>
/// One person's play of a course's package, for one round of the course: the run-time data the SCO keeps (status,
/// score, bookmark, suspend data, time spent) across sessions until it completes the course. Then it is closed with
/// the completion it produced; the next round starts a new one.
/// </summary>
public sealed class ScormAttempt
{
    private ScormAttempt()
    {
    }

    internal ScormAttempt(long packageId, long courseId, string userId, DateTimeOffset at)
    {
        PackageId = packageId;
        CourseId = courseId;
        UserId = userId;
        StartedAt = at;
        UpdatedAt = at;
    }

    public long Id { get; private set; }
    public long PackageId { get; private set; }
    public long CourseId { get; private set; }
    public string UserId { get; private set; } = "";
    public string LessonStatus { get; internal set; } = "not attempted";
    public decimal? ScoreRaw { get; internal set; }
    public decimal? ScoreMin { get; internal set; }
    public decimal? ScoreMax { get; internal set; }
    public string LessonLocation { get; internal set; } = "";
    public string SuspendData { get; internal set; } = "";
    public string Comments { get; internal set; } = "";

    /// <summary>The SCO's last cmi.core.exit ("suspend" makes the next session's entry "resume").</summary>
    public string Exit { get; internal set; } = "";

    /// <summary>Interactions, objectives and preferences the SCO wrote, as a JSON object of element to value.</summary>
    public string OtherDataJson { get; internal set; } = "{}";

    public double TotalSeconds { get; internal set; }
    public int Sessions { get; internal set; }
    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; internal set; }
    public long? CompletionId { get; internal set; }
}

internal sealed class ScormPackageConfiguration : IEntityTypeConfiguration<ScormPackage>
{
    public void Configure(EntityTypeBuilder<ScormPackage> builder)
    {
        builder.ToTable("ScormPackages");
        builder.Property(p => p.FileName).HasMaxLength(255).IsRequired();
        builder.Property(p => p.Sha256).HasMaxLength(64).IsRequired();
        builder.Property(p => p.Title).HasMaxLength(Course.MaxTitleLength).IsRequired();
        builder.Property(p => p.LaunchPath).HasMaxLength(1000).IsRequired();
        builder.Property(p => p.LaunchParameters).HasMaxLength(1000);
        builder.Property(p => p.LaunchData).HasMaxLength(4096);
        builder.Property(p => p.MaxTimeAllowed).HasMaxLength(20);
        builder.Property(p => p.TimeLimitAction).HasMaxLength(40);
        builder.Property(p => p.UploadedBy).HasMaxLength(256).IsRequired();
        builder.Ignore(p => p.LaunchUrl);
        builder.HasOne<Course>().WithMany().HasForeignKey(p => p.CourseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => p.CourseId);
    }
}

internal sealed class ScormAttemptConfiguration : IEntityTypeConfiguration<ScormAttempt>
{
    public void Configure(EntityTypeBuilder<ScormAttempt> builder)
    {
        builder.ToTable("ScormAttempts");
        builder.Property(a => a.UserId).HasMaxLength(450).IsRequired();
        builder.Property(a => a.LessonStatus).HasMaxLength(20).IsRequired();
        builder.Property(a => a.ScoreRaw).HasPrecision(9, 4);
        builder.Property(a => a.ScoreMin).HasPrecision(9, 4);
        builder.Property(a => a.ScoreMax).HasPrecision(9, 4);
        builder.Property(a => a.LessonLocation).HasMaxLength(255).IsRequired();
        builder.Property(a => a.SuspendData).HasMaxLength(4096).IsRequired();
        builder.Property(a => a.Comments).HasMaxLength(4096).IsRequired();
        builder.Property(a => a.Exit).HasMaxLength(20).IsRequired();
        builder.Property(a => a.OtherDataJson).HasMaxLength(ScormDataModel.MaxOtherData * 2).IsRequired();
        builder.HasOne<ScormPackage>().WithMany().HasForeignKey(a => a.PackageId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<TrainingCompletion>().WithMany().HasForeignKey(a => a.CompletionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => new { a.UserId, a.PackageId });
    }
}
