using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Training;

/// <summary>
/// A training course: what it teaches (Markdown pages), how it is passed (a quiz with a pass mark and attempts, a
/// seminar attended, or reading the material when it has no quiz), how long a completion is valid, and whether the
/// roster requires it before a WhatsApp number may be used. Retired, not deleted.
/// </summary>
public sealed class Course
{
    public const int MaxTitleLength = 200;

    private Course()
    {
    }

    internal Course(string title, string by, DateTimeOffset at)
    {
        Title = title;
        CreatedBy = by;
        CreatedAt = at;
        UpdatedAt = at;
    }

    public long Id { get; private set; }
    public string Title { get; private set; } = "";
    public string Description { get; private set; } = "";

    /// <summary>Months a completion stays valid (null: for good).</summary>
    public int? ValidityMonths { get; private set; }

    /// <summary>Whether the roster requires it (current) before its assignees' numbers may be active.</summary>
    public bool IsRequired { get; private set; }

    /// <summary>The quiz's pass mark in percent.</summary>
    public int PassMark { get; private set; } = 80;

    /// <summary>Quiz attempts allowed per round of the course (null: unlimited).</summary>
    public int? MaxAttempts { get; private set; }

    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? RetiredAt { get; private set; }

    public List<CoursePage> Pages { get; private set; } = [];
    public List<QuizQuestion> Questions { get; private set; } = [];

    public bool HasQuiz => Questions.Count > 0;

    internal void Edit(CourseDraft draft, DateTimeOffset at)
    {
        Title = draft.Title.Trim();
        Description = draft.Description.Trim();
        ValidityMonths = draft.ValidityMonths;
        IsRequired = draft.IsRequired;
        PassMark = draft.PassMark;
        MaxAttempts = draft.MaxAttempts;
        UpdatedAt = at;
    }

    internal void Retire(DateTimeOffset at) => RetiredAt = at;

    internal void Touch(DateTimeOffset at) => UpdatedAt = at;
}

/// <summary>One page of a course's material, in Markdown (rendered like policies, through <c>PolicyMarkdown</c>'s rules).</summary>
public sealed class CoursePage
{
    private CoursePage()
    {
    }

    internal CoursePage(int number, string title, string content) => (Number, Title, Content) = (number, title, content);

    public long Id { get; private set; }
    public long CourseId { get; private set; }
    public int Number { get; private set; }
    public string Title { get; private set; } = "";
    public string Content { get; private set; } = "";
}

/// <summary>
/// A file handed out with a course's material (a handout, a slide deck, a form), kept in the blob store by its SHA-256.
/// Removing it hides it from the course; the record stays.
/// </summary>
public sealed class CourseFile
{
    public const long MaxLength = 50L * 1024 * 1024;

    private CourseFile()
    {
    }

    internal CourseFile(long courseId, string fileName, string sha256, long length, string by, DateTimeOffset at)
    {
        CourseId = courseId;
        FileName = fileName;
        Sha256 = sha256;
        Length = length;
        UploadedBy = by;
        UploadedAt = at;
    }

    public long Id { get; private set; }
    public long CourseId { get; private set; }
    public string FileName { get; private set; } = "";
    public string Sha256 { get; private set; } = "";
    public long Length { get; private set; }
    public string UploadedBy { get; private set; } = "";
    public DateTimeOffset UploadedAt { get; private set; }
    public DateTimeOffset? RemovedAt { get; private set; }

    internal void Remove(DateTimeOffset at) => RemovedAt = at;
}

/// <summary>A quiz question: its options, and which of them are right (one or more; all and only those must be chosen).</summary>
public sealed class QuizQuestion
{
    private QuizQuestion()
    {
    }

    internal QuizQuestion(int number, string text, IReadOnlyList<string> options, IReadOnlyList<int> correct)
    {
        Number = number;
        Text = text;
        OptionsJson = JsonSerializer.Serialize(options);
        CorrectJson = JsonSerializer.Serialize(correct.Order().ToArray());
    }

    public long Id { get; private set; }
    public long CourseId { get; private set; }
    public int Number { get; private set; }
    public string Text { get; private set; } = "";
    public string OptionsJson { get; private set; } = "[]";
    public string CorrectJson { get; private set; } = "[]";

    public IReadOnlyList<string> Options => JsonSerializer.Deserialize<string[]>(OptionsJson) ?? [];

    /// <summary>The indexes (into <see cref="Options"/>) of the right answers.</summary>
    public IReadOnlyList<int> Correct => JsonSerializer.Deserialize<int[]>(CorrectJson) ?? [];

    public bool IsMultipleChoice => Correct.Count > 1;
}

/// <summary>A course's settings as its editor gives them.</summary>
public sealed record CourseDraft(string Title, string Description, int? ValidityMonths = 12, bool IsRequired = false, int PassMark = 80, int? MaxAttempts = 3);

/// <summary>A question as its editor gives it.</summary>
public sealed record QuestionDraft(string Text, IReadOnlyList<string> Options, IReadOnlyList<int> Correct);

internal sealed class CourseConfiguration : IEntityTypeConfiguration<Course>
{
    public void Configure(EntityTypeBuilder<Course> builder)
    {
        builder.ToTable("Courses");
        builder.Property(c => c.Title).HasMaxLength(Course.MaxTitleLength).IsRequired();
        builder.HasIndex(c => c.Title).IsUnique();
        builder.Property(c => c.Description).HasMaxLength(8000).IsRequired();
        builder.Property(c => c.CreatedBy).HasMaxLength(256).IsRequired();
        builder.Ignore(c => c.HasQuiz);
        builder.HasMany(c => c.Pages).WithOne().HasForeignKey(p => p.CourseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Questions).WithOne().HasForeignKey(q => q.CourseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CoursePageConfiguration : IEntityTypeConfiguration<CoursePage>
{
    public void Configure(EntityTypeBuilder<CoursePage> builder)
    {
        builder.ToTable("CoursePages");
        builder.Property(p => p.Title).HasMaxLength(200).IsRequired();
        builder.Property(p => p.Content).HasMaxLength(200_000).IsRequired();
        builder.HasIndex(p => new { p.CourseId, p.Number }).IsUnique();
    }
}

internal sealed class CourseFileConfiguration : IEntityTypeConfiguration<CourseFile>
{
    public void Configure(EntityTypeBuilder<CourseFile> builder)
    {
        builder.ToTable("CourseFiles");
        builder.Property(f => f.FileName).HasMaxLength(255).IsRequired();
        builder.Property(f => f.Sha256).HasMaxLength(64).IsRequired();
        builder.Property(f => f.UploadedBy).HasMaxLength(256).IsRequired();
        builder.HasOne<Course>().WithMany().HasForeignKey(f => f.CourseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(f => f.CourseId);
    }
}

internal sealed class QuizQuestionConfiguration : IEntityTypeConfiguration<QuizQuestion>
{
    public void Configure(EntityTypeBuilder<QuizQuestion> builder)
    {
        builder.ToTable("QuizQuestions");
        builder.Property(q => q.Text).HasMaxLength(2000).IsRequired();
        builder.Property(q => q.OptionsJson).HasMaxLength(8000).IsRequired();
        builder.Property(q => q.CorrectJson).HasMaxLength(400).IsRequired();
        builder.Ignore(q => q.Options);
        builder.Ignore(q => q.Correct);
        builder.Ignore(q => q.IsMultipleChoice);
        builder.HasIndex(q => new { q.CourseId, q.Number }).IsUnique();
    }
}
