using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Training;

/// <summary>
/// A session of a course held in person or online: when, for how long, who trains, where (a room or a meeting link),
/// and how many may enrol. Attendance recorded by HR completes the course for those present. Cancelled, not deleted.
/// </summary>
public sealed class Seminar
{
    private Seminar()
    {
    }

    internal Seminar(long courseId, SeminarDraft draft, string by, DateTimeOffset at)
    {
        CourseId = courseId;
        StartsAt = draft.StartsAt;
        DurationMinutes = draft.DurationMinutes;
        Trainer = draft.Trainer.Trim();
        Location = draft.Location.Trim();
        Capacity = draft.Capacity;
        CreatedBy = by;
        CreatedAt = at;
    }

    public long Id { get; private set; }
    public long CourseId { get; private set; }
    public DateTimeOffset StartsAt { get; private set; }
    public int DurationMinutes { get; private set; }
    public string Trainer { get; private set; } = "";

    /// <summary>A room, or a meeting link.</summary>
    public string Location { get; private set; } = "";

    public int Capacity { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }

    public List<SeminarEnrolment> Enrolments { get; private set; } = [];

    public int Enrolled => Enrolments.Count(e => e.CancelledAt is null);

    internal void Cancel(DateTimeOffset at) => CancelledAt = at;
}

/// <summary>Someone's place at a seminar: enrolled (by themselves or HR), perhaps cancelled, and whether they attended.</summary>
public sealed class SeminarEnrolment
{
    private SeminarEnrolment()
    {
    }

    internal SeminarEnrolment(string userId, string name, DateTimeOffset at) => (UserId, Name, EnrolledAt) = (userId, name, at);

    public long Id { get; private set; }
    public long SeminarId { get; private set; }
    public string UserId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public DateTimeOffset EnrolledAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public DateTimeOffset? AttendedAt { get; private set; }
    public string? AttendanceRecordedBy { get; private set; }

    internal void Cancel(DateTimeOffset at) => CancelledAt = at;

    internal void Attended(string by, DateTimeOffset at) => (AttendedAt, AttendanceRecordedBy) = (at, by);
}

/// <summary>A seminar as HR schedules it.</summary>
public sealed record SeminarDraft(DateTimeOffset StartsAt, int DurationMinutes, string Trainer, string Location, int Capacity);

internal sealed class SeminarConfiguration : IEntityTypeConfiguration<Seminar>
{
    public void Configure(EntityTypeBuilder<Seminar> builder)
    {
        builder.ToTable("Seminars");
        builder.Property(s => s.Trainer).HasMaxLength(200).IsRequired();
        builder.Property(s => s.Location).HasMaxLength(500).IsRequired();
        builder.Property(s => s.CreatedBy).HasMaxLength(256).IsRequired();
        builder.Ignore(s => s.Enrolled);
        builder.HasOne<Course>().WithMany().HasForeignKey(s => s.CourseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(s => s.Enrolments).WithOne().HasForeignKey(e => e.SeminarId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.CourseId, s.StartsAt });
    }
}

internal sealed class SeminarEnrolmentConfiguration : IEntityTypeConfiguration<SeminarEnrolment>
{
    public void Configure(EntityTypeBuilder<SeminarEnrolment> builder)
    {
        builder.ToTable("SeminarEnrolments");
        builder.Property(e => e.UserId).HasMaxLength(450).IsRequired();
        builder.Property(e => e.Name).HasMaxLength(200).IsRequired();
        builder.Property(e => e.AttendanceRecordedBy).HasMaxLength(256);
        builder.HasIndex(e => new { e.SeminarId, e.UserId }).IsUnique();
    }
}
