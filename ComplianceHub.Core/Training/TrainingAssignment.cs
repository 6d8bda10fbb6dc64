using ComplianceHub.Core.Roster;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Training;

/// <summary>
/// A course assigned to an audience (everyone, departments, roles, people) with so many days to complete it, counted
/// from the assignment or from when someone joins the audience later. Withdrawn, not deleted.
/// </summary>
public sealed class TrainingAssignment
{
    private TrainingAssignment()
    {
    }

    internal TrainingAssignment(long courseId, Audience audience, int dueDays, string by, DateTimeOffset at)
    {
        CourseId = courseId;
        AudienceKind = audience.Kind;
        AudienceValues = audience.StoredValues;
        DueDays = dueDays;
        CreatedBy = by;
        CreatedAt = at;
    }

    public long Id { get; private set; }
    public long CourseId { get; private set; }
    public AudienceKind AudienceKind { get; private set; }
    public string AudienceValues { get; private set; } = "";
    public int DueDays { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? WithdrawnAt { get; private set; }
    public string? WithdrawnBy { get; private set; }

    public Audience Audience => Audience.From(AudienceKind, AudienceValues);

    internal void Withdraw(string by, DateTimeOffset at) => (WithdrawnBy, WithdrawnAt) = (by, at);
}

internal sealed class TrainingAssignmentConfiguration : IEntityTypeConfiguration<TrainingAssignment>
{
    public void Configure(EntityTypeBuilder<TrainingAssignment> builder)
    {
        builder.ToTable("TrainingAssignments");
        builder.Property(a => a.AudienceKind).HasConversion<int>();
        builder.Property(a => a.AudienceValues).HasMaxLength(8000).IsRequired();
        builder.Property(a => a.CreatedBy).HasMaxLength(256).IsRequired();
        builder.Property(a => a.WithdrawnBy).HasMaxLength(256);
        builder.Ignore(a => a.Audience);
        builder.HasOne<Course>().WithMany().HasForeignKey(a => a.CourseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => new { a.CourseId, a.WithdrawnAt });
    }
}
