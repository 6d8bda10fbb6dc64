using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Training;

// Stored as numbers: never renumber.
public enum CompletionMethod
{
    /// <summary>Passed the course's quiz.</summary>
    Quiz = 0,

    /// <summary>Completed its SCORM package.</summary>
    Scorm = 1,

    /// <summary>Attended a seminar of the course.</summary>
    Seminar = 2,

    /// <summary>Read the material of a course without a quiz.</summary>
    Material = 3,

    /// <summary>Recorded by HR (a course taken elsewhere), with a reason.</summary>
    Recorded = 4,
}

/// <summary>
/// Someone completed a course: how, when, with what score, until when it is valid, and the certificate's verification
/// code. Immutable (refused in code and by database triggers): a correction is a new record voiding it, with who and
/// why.
/// </summary>
public sealed class TrainingCompletion : IAppendOnly
{
    private TrainingCompletion()
    {
    }

    internal TrainingCompletion(
        long courseId, string courseTitle, string userId, string userEmail, string fullName, CompletionMethod method, int? score,
        DateTimeOffset at, DateTimeOffset? expiresAt, string verificationCode, string recordedBy, string? reason)
    {
        CourseId = courseId;
        CourseTitle = courseTitle;
        UserId = userId;
        UserEmail = userEmail;
        FullName = fullName;
        Method = method;
        Score = score;
        CompletedAt = at;
        ExpiresAt = expiresAt;
        VerificationCode = verificationCode;
        RecordedBy = recordedBy;
        Reason = reason;
    }

    public long Id { get; private set; }
    public long CourseId { get; private set; }

    /// <summary>The course's title when it was completed (what the certificate says).</summary>
    public string CourseTitle { get; private set; } = "";

    public string UserId { get; private set; } = "";
    public string UserEmail { get; private set; } = "";
    public string FullName { get; private set; } = "";
    public CompletionMethod Method { get; private set; }

    /// <summary>The quiz or SCORM score in percent, when there was one.</summary>
    public int? Score { get; private set; }

    public DateTimeOffset CompletedAt { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>Printed on the certificate; anyone signed in can check it.</summary>
    public string VerificationCode { get; private set; } = "";

    /// <summary>Who recorded it: the employee (quiz, SCORM, material), or HR (attendance, a course taken elsewhere).</summary>
    public string RecordedBy { get; private set; } = "";

    public string? Reason { get; private set; }
}

/// <summary>A correction: a completion recorded in error is void from now on, with who said so and why. Immutable.</summary>
public sealed class TrainingCompletionVoid : IAppendOnly
{
    private TrainingCompletionVoid()
    {
    }

    internal TrainingCompletionVoid(long completionId, string reason, string by, DateTimeOffset at) =>
        (CompletionId, Reason, VoidedBy, VoidedAt) = (completionId, reason, by, at);

    public long Id { get; private set; }
    public long CompletionId { get; private set; }
    public string Reason { get; private set; } = "";
    public string VoidedBy { get; private set; } = "";
    public DateTimeOffset VoidedAt { get; private set; }
}

/// <summary>One quiz attempt: the answers given (option indexes per question id), the score, and whether it passed. Immutable.</summary>
public sealed class QuizAttempt : IAppendOnly
{
    private QuizAttempt()
    {
    }

    internal QuizAttempt(long courseId, string userId, string answersJson, int score, bool passed, DateTimeOffset at) =>
        (CourseId, UserId, AnswersJson, Score, Passed, SubmittedAt) = (courseId, userId, answersJson, score, passed, at);

    public long Id { get; private set; }
    public long CourseId { get; private set; }
    public string UserId { get; private set; } = "";
    public string AnswersJson { get; private set; } = "{}";
    public int Score { get; private set; }
    public bool Passed { get; private set; }
    public DateTimeOffset SubmittedAt { get; private set; }
}

/// <summary>HR gives someone a new round of quiz attempts (theirs are used up), with why. Immutable.</summary>
public sealed class QuizRoundGrant : IAppendOnly
{
    private QuizRoundGrant()
    {
    }

    internal QuizRoundGrant(long courseId, string userId, string reason, string by, DateTimeOffset at) =>
        (CourseId, UserId, Reason, GrantedBy, GrantedAt) = (courseId, userId, reason, by, at);

    public long Id { get; private set; }
    public long CourseId { get; private set; }
    public string UserId { get; private set; } = "";
    public string Reason { get; private set; } = "";
    public string GrantedBy { get; private set; } = "";
    public DateTimeOffset GrantedAt { get; private set; }
}

internal sealed class TrainingCompletionConfiguration : IEntityTypeConfiguration<TrainingCompletion>
{
    public void Configure(EntityTypeBuilder<TrainingCompletion> builder)
    {
        builder.ToTable("TrainingCompletions");
        builder.Property(c => c.CourseTitle).HasMaxLength(Course.MaxTitleLength).IsRequired();
        builder.Property(c => c.UserId).HasMaxLength(450).IsRequired();
        builder.Property(c => c.UserEmail).HasMaxLength(256).IsRequired();
        builder.Property(c => c.FullName).HasMaxLength(200).IsRequired();
        builder.Property(c => c.Method).HasConversion<int>();
        builder.Property(c => c.VerificationCode).HasMaxLength(20).IsRequired();
        builder.HasIndex(c => c.VerificationCode).IsUnique();
        builder.Property(c => c.RecordedBy).HasMaxLength(256).IsRequired();
        builder.Property(c => c.Reason).HasMaxLength(1000);
        builder.HasOne<Course>().WithMany().HasForeignKey(c => c.CourseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.UserId, c.CourseId });
    }
}

internal sealed class TrainingCompletionVoidConfiguration : IEntityTypeConfiguration<TrainingCompletionVoid>
{
    public void Configure(EntityTypeBuilder<TrainingCompletionVoid> builder)
    {
        builder.ToTable("TrainingCompletionVoids");
        builder.Property(v => v.Reason).HasMaxLength(1000).IsRequired();
        builder.Property(v => v.VoidedBy).HasMaxLength(256).IsRequired();
        builder.HasOne<TrainingCompletion>().WithMany().HasForeignKey(v => v.CompletionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(v => v.CompletionId).IsUnique();
    }
}

internal sealed class QuizAttemptConfiguration : IEntityTypeConfiguration<QuizAttempt>
{
    public void Configure(EntityTypeBuilder<QuizAttempt> builder)
    {
        builder.ToTable("QuizAttempts");
        builder.Property(a => a.UserId).HasMaxLength(450).IsRequired();
        builder.Property(a => a.AnswersJson).HasMaxLength(8000).IsRequired();
        builder.HasOne<Course>().WithMany().HasForeignKey(a => a.CourseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => new { a.UserId, a.CourseId });
    }
}

internal sealed class QuizRoundGrantConfiguration : IEntityTypeConfiguration<QuizRoundGrant>
{
    public void Configure(EntityTypeBuilder<QuizRoundGrant> builder)
    {
        builder.ToTable("QuizRoundGrants");
        builder.Property(g => g.UserId).HasMaxLength(450).IsRequired();
        builder.Property(g => g.Reason).HasMaxLength(1000).IsRequired();
        builder.Property(g => g.GrantedBy).HasMaxLength(256).IsRequired();
        builder.HasOne<Course>().WithMany().HasForeignKey(g => g.CourseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(g => new { g.UserId, g.CourseId });
    }
}
