using System.Globalization;
using System.Security.Cryptography;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Training;

/// <summary>
/// Courses (settings, material pages, quiz questions), their assignments, and completions recorded other than by the
/// quiz (material read, a course taken elsewhere) and their corrections. Every change is audited; a completion is never
/// changed, only voided by a new record with its reason.
/// </summary>
public sealed class TrainingService(IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, TimeProvider clock, RosterService roster, IBlobStore blobs)
{
    /// <summary>Creates a course; returns its id.</summary>
    public async Task<long> CreateCourseAsync(CourseDraft draft, AuditActor actor, CancellationToken ct = default)
    {
        Validate(draft);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EnsureUniqueTitleAsync(db, draft.Title, null, ct);
        var now = clock.GetUtcNow();
        var course = new Course(draft.Title.Trim(), actor.Name, now);
        course.Edit(draft, now);
        db.Courses.Add(course);
        await db.SaveChangesAsync(ct);
        audit.Record(db, AuditEventType.CourseSaved, actor, Subject(course.Id), new { title = course.Title, created = true });
        await db.SaveChangesAsync(ct);
        return course.Id;
    }

    /// <summary>Changes a course's settings. Completions already recorded keep the title and expiry they were given.</summary>
    public async Task UpdateCourseAsync(long courseId, CourseDraft draft, AuditActor actor, CancellationToken ct = default)
    {
        Validate(draft);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await LoadAsync(db, courseId, ct);
        await EnsureUniqueTitleAsync(db, draft.Title, courseId, ct);
        course.Edit(draft, clock.GetUtcNow());
        audit.Record(db, AuditEventType.CourseSaved, actor, Subject(courseId), new
        {
            title = course.Title, validityMonths = course.ValidityMonths, required = course.IsRequired, passMark = course.PassMark, maxAttempts = course.MaxAttempts,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Replaces the course's material: its pages in order, each a title and Markdown.</summary>
    public async Task SetPagesAsync(long courseId, IReadOnlyList<(string Title, string Content)> pages, AuditActor actor, CancellationToken ct = default)
    {
        foreach (var (title, content) in pages)
        {
            if (title.Trim().Length is 0 or > 200 || string.IsNullOrWhiteSpace(content) || content.Length > 200_000)
            {
                throw new ComplianceRuleException("Each page needs a title (1 to 200 characters) and its text (at most 200,000 characters).");
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await LoadAsync(db, courseId, ct);
        db.CoursePages.RemoveRange(course.Pages);
        await db.SaveChangesAsync(ct);
        course.Pages.AddRange(pages.Select((p, i) => new CoursePage(i + 1, p.Title.Trim(), p.Content)));
        audit.Record(db, AuditEventType.CourseSaved, actor, Subject(courseId), new { title = course.Title, pages = pages.Select(p => p.Title.Trim()).ToArray() });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Replaces the course's quiz: questions with two or more options, one or more of them right (none: no quiz).</summary>
    public async Task SetQuestionsAsync(long courseId, IReadOnlyList<QuestionDraft> questions, AuditActor actor, CancellationToken ct = default)
    {
        for (var i = 0; i < questions.Count; i++)
        {
            var q = questions[i];
            var options = q.Options.Select(o => o.Trim()).ToList();
            if (q.Text.Trim().Length is 0 or > 2000)
            {
                throw new ComplianceRuleException($"Question {i + 1} needs its text (at most 2,000 characters).");
            }

            if (options.Count < 2 || options.Any(o => o.Length is 0 or > 500) || options.Distinct(StringComparer.OrdinalIgnoreCase).Count() != options.Count)
            {
                throw new ComplianceRuleException($"Question {i + 1} needs two or more different answers of 1 to 500 characters.");
            }

            if (q.Correct.Count == 0 || q.Correct.Any(c => c < 0 || c >= options.Count) || q.Correct.Distinct().Count() != q.Correct.Count)
            {
                throw new ComplianceRuleException($"Question {i + 1}: mark which of its answers are right (at least one).");
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await LoadAsync(db, courseId, ct);
        if (questions.Count > 0 && await db.ScormPackages.AnyAsync(p => p.CourseId == courseId && p.RemovedAt == null, ct))
        {
            throw new ComplianceRuleException($"\u201C{course.Title}\u201D is completed through its SCORM package, which carries its own assessment; remove the package to give it a quiz.");
        }

        db.QuizQuestions.RemoveRange(course.Questions);
        await db.SaveChangesAsync(ct);
        course.Questions.AddRange(questions.Select((q, i) => new QuizQuestion(i + 1, q.Text.Trim(), q.Options.Select(o => o.Trim()).ToList(), q.Correct)));
        audit.Record(db, AuditEventType.CourseSaved, actor, Subject(courseId), new { title = course.Title, questions = questions.Count });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Hands a file out with the course's material (at most 50 MB), kept in the blob store by its SHA-256. Audited.</summary>
    public async Task<CourseFile> AttachFileAsync(long courseId, Stream content, string fileName, AuditActor actor, CancellationToken ct = default)
    {
        fileName = Path.GetFileName(fileName.Trim());
        if (fileName.Length is 0 or > 255 || fileName.Any(char.IsControl))
        {
            throw new ComplianceRuleException("A file needs a name of 1 to 255 characters.");
        }

        await using var copy = new MemoryStream();
        await content.CopyToAsync(copy, ct);
        if (copy.Length > CourseFile.MaxLength)
        {
            throw new ComplianceRuleException($"\"{fileName}\" is larger than {ByteSize.Describe(CourseFile.MaxLength)}.");
        }

        if (copy.Length == 0)
        {
            throw new ComplianceRuleException($"\"{fileName}\" is empty.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await LoadAsync(db, courseId, ct);
        if (await db.CourseFiles.AnyAsync(f => f.CourseId == courseId && f.RemovedAt == null && f.FileName == fileName, ct))
        {
            throw new ComplianceRuleException($"The course already has a file called \"{fileName}\"; remove it first to replace it.");
        }

        copy.Position = 0;
        var blob = await blobs.PutAsync(copy, ct);
        var now = clock.GetUtcNow();
        var file = new CourseFile(courseId, fileName, blob.Sha256, blob.Length, actor.Name, now);
        db.CourseFiles.Add(file);
        course.Touch(now);
        audit.Record(db, AuditEventType.CourseSaved, actor, Subject(courseId), new { title = course.Title, fileAdded = fileName, sha256 = blob.Sha256, length = blob.Length });
        await db.SaveChangesAsync(ct);
        return file;
    }

    /// <summary>Stops handing a file out with the course (the record stays). Audited.</summary>
    public async Task RemoveFileAsync(long fileId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var file = await db.CourseFiles.SingleOrDefaultAsync(f => f.Id == fileId && f.RemovedAt == null, ct)
            ?? throw new ComplianceRuleException("There is no such file on the course.");
        var course = await LoadAsync(db, file.CourseId, ct);
        var now = clock.GetUtcNow();
        file.Remove(now);
        course.Touch(now);
        audit.Record(db, AuditEventType.CourseSaved, actor, Subject(course.Id), new { title = course.Title, fileRemoved = file.FileName });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The files a course hands out, in the order they were added.</summary>
    public async Task<IReadOnlyList<CourseFile>> FilesAsync(long courseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CourseFiles.AsNoTracking().Where(f => f.CourseId == courseId && f.RemovedAt == null).OrderBy(f => f.Id).ToListAsync(ct);
    }

    /// <summary>A course's file and its content, or null (also when it was removed).</summary>
    public async Task<(CourseFile File, Stream Content)?> OpenFileAsync(long fileId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var file = await db.CourseFiles.AsNoTracking().SingleOrDefaultAsync(f => f.Id == fileId && f.RemovedAt == null, ct);
        return file is null || await blobs.OpenReadAsync(file.Sha256, ct) is not { } stream ? null : (file, stream);
    }

    /// <summary>Retires a course: its assignments stop asking anyone to take it; its completions are kept.</summary>
    public async Task RetireCourseAsync(long courseId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await LoadAsync(db, courseId, ct);
        if (course.RetiredAt is not null)
        {
            throw new ComplianceRuleException($"\u201C{course.Title}\u201D is already retired.");
        }

        course.Retire(clock.GetUtcNow());
        audit.Record(db, AuditEventType.CourseRetired, actor, Subject(courseId), new { title = course.Title });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Assigns a course to an audience, due so many days after the assignment (or after someone joins it). Returns the assignment's id.</summary>
    public async Task<long> AssignAsync(long courseId, Audience audience, int dueDays, AuditActor actor, CancellationToken ct = default)
    {
        if (audience.Kind != AudienceKind.Everyone && !audience.Values.Any(v => !string.IsNullOrWhiteSpace(v)))
        {
            throw new ComplianceRuleException($"Name the {audience.Kind.ToString().ToLowerInvariant()} to assign the course to, or choose everyone.");
        }

        if (dueDays is < 1 or > 365)
        {
            throw new ComplianceRuleException("The due date must be 1 to 365 days after the assignment.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await LoadAsync(db, courseId, ct);
        if (course.RetiredAt is not null)
        {
            throw new ComplianceRuleException($"\u201C{course.Title}\u201D is retired: it cannot be assigned.");
        }

        var assignment = new TrainingAssignment(courseId, audience, dueDays, actor.Name, clock.GetUtcNow());
        db.TrainingAssignments.Add(assignment);
        await db.SaveChangesAsync(ct);
        audit.Record(db, AuditEventType.TrainingAssigned, actor, Subject(courseId), new { title = course.Title, audience = audience.Describe(), dueDays, assignment = assignment.Id });
        await db.SaveChangesAsync(ct);
        return assignment.Id;
    }

    public async Task WithdrawAssignmentAsync(long assignmentId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var assignment = await db.TrainingAssignments.SingleOrDefaultAsync(a => a.Id == assignmentId, ct)
            ?? throw new ComplianceRuleException("There is no such assignment.");
        if (assignment.WithdrawnAt is not null)
        {
            throw new ComplianceRuleException("That assignment is already withdrawn.");
        }

        assignment.Withdraw(actor.Name, clock.GetUtcNow());
        audit.Record(db, AuditEventType.TrainingAssignmentWithdrawn, actor, Subject(assignment.CourseId), new { assignment = assignmentId, audience = assignment.Audience.Describe() });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Every course, in force first, by title.</summary>
    public async Task<IReadOnlyList<Course>> ListCoursesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.Courses.AsNoTracking().Include(c => c.Questions).ToListAsync(ct))
            .OrderBy(c => c.RetiredAt is null ? 0 : 1).ThenBy(c => c.Title, StringComparer.CurrentCulture).ToList();
    }

    /// <summary>A course with its pages and questions in order, or null.</summary>
    public async Task<Course?> GetCourseAsync(long courseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await db.Courses.AsNoTracking().Include(c => c.Pages).Include(c => c.Questions).SingleOrDefaultAsync(c => c.Id == courseId, ct);
        course?.Pages.Sort((a, b) => a.Number.CompareTo(b.Number));
        course?.Questions.Sort((a, b) => a.Number.CompareTo(b.Number));
        return course;
    }

    /// <summary>A course's assignments, newest first.</summary>
    public async Task<IReadOnlyList<TrainingAssignment>> AssignmentsAsync(long courseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TrainingAssignments.AsNoTracking().Where(a => a.CourseId == courseId).OrderByDescending(a => a.Id).ToListAsync(ct);
    }

    /// <summary>The signed-in employee has read the material of a course that has no quiz: that completes it.</summary>
    public async Task<TrainingCompletion> CompleteMaterialAsync(long courseId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await LoadAsync(db, courseId, ct);
        if (course.HasQuiz)
        {
            throw new ComplianceRuleException($"\u201C{course.Title}\u201D is completed by passing its quiz.");
        }

        if (await db.ScormPackages.AnyAsync(p => p.CourseId == courseId && p.RemovedAt == null, ct))
        {
            throw new ComplianceRuleException($"\u201C{course.Title}\u201D is completed by playing its SCORM package to the end.");
        }

        return await CompleteAsync(db, course, actor.UserId ?? throw new ComplianceRuleException("Only a signed-in employee can complete a course."),
            CompletionMethod.Material, null, actor, null, ct);
    }

    /// <summary>HR records a completion the portal did not see (a course taken elsewhere), with the reason.</summary>
    public async Task<TrainingCompletion> RecordCompletionAsync(long courseId, string userId, DateTimeOffset completedAt, string reason, AuditActor actor, CancellationToken ct = default)
    {
        reason = reason.Trim();
        if (reason.Length is < 10 or > 1000)
        {
            throw new ComplianceRuleException("Say where and how the course was completed (10 to 1,000 characters).");
        }

        if (completedAt > clock.GetUtcNow())
        {
            throw new ComplianceRuleException("A completion cannot be dated in the future.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await LoadAsync(db, courseId, ct);
        return await CompleteAsync(db, course, userId, CompletionMethod.Recorded, null, actor, reason, ct, completedAt);
    }

    /// <summary>A completion recorded in error is void from now on (a new record with who and why; the completion stays).</summary>
    public async Task VoidCompletionAsync(long completionId, string reason, AuditActor actor, CancellationToken ct = default)
    {
        reason = reason.Trim();
        if (reason.Length is < 10 or > 1000)
        {
            throw new ComplianceRuleException("Say why the completion is void (10 to 1,000 characters).");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var completion = await db.TrainingCompletions.AsNoTracking().SingleOrDefaultAsync(c => c.Id == completionId, ct)
            ?? throw new ComplianceRuleException("There is no such completion.");
        if (await db.TrainingCompletionVoids.AnyAsync(v => v.CompletionId == completionId, ct))
        {
            throw new ComplianceRuleException("That completion is already void.");
        }

        db.TrainingCompletionVoids.Add(new TrainingCompletionVoid(completionId, reason, actor.Name, clock.GetUtcNow()));
        audit.Record(db, AuditEventType.TrainingCompletionVoided, actor, Subject(completion.CourseId),
            new { completion = completionId, course = completion.CourseTitle, employee = completion.UserEmail, reason });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Checks a certificate's verification code: who, which course, when, until when, and whether it is valid today. Audited.</summary>
    public async Task<CertificateCheck?> VerifyAsync(string code, AuditActor actor, CancellationToken ct = default)
    {
        var normal = NormalizeCode(code);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var completion = normal is null ? null : await db.TrainingCompletions.AsNoTracking().SingleOrDefaultAsync(c => c.VerificationCode == normal, ct);
        var voided = completion is null ? null : await db.TrainingCompletionVoids.AsNoTracking().SingleOrDefaultAsync(v => v.CompletionId == completion.Id, ct);
        audit.Record(db, AuditEventType.TrainingCertificateVerified, actor, new AuditSubject("TrainingCertificate", normal ?? new string(code.Trim().Take(40).ToArray())),
            new { found = completion is not null, valid = completion is not null && voided is null && !(completion.ExpiresAt <= clock.GetUtcNow()) });
        await db.SaveChangesAsync(ct);
        return completion is null ? null : new CertificateCheck(completion, voided, clock.GetUtcNow());
    }

    /// <summary>Everything an account has completed (with any voiding), newest first.</summary>
    public async Task<IReadOnlyList<(TrainingCompletion Completion, TrainingCompletionVoid? Void)>> HistoryAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var completions = await db.TrainingCompletions.AsNoTracking().Where(c => c.UserId == userId).OrderByDescending(c => c.CompletedAt).ToListAsync(ct);
        var ids = completions.Select(c => c.Id).ToList();
        var voids = await db.TrainingCompletionVoids.AsNoTracking().Where(v => ids.Contains(v.CompletionId)).ToDictionaryAsync(v => v.CompletionId, ct);
        return completions.Select(c => (c, voids.GetValueOrDefault(c.Id))).ToList();
    }

    /// <summary>One completion, or null.</summary>
    public async Task<TrainingCompletion?> GetCompletionAsync(long completionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TrainingCompletions.AsNoTracking().SingleOrDefaultAsync(c => c.Id == completionId, ct);
    }

    /// <summary>Records a completion of <paramref name="course"/> by <paramref name="userId"/>, valid for the course's period; restores numbers that lapsed for want of it.</summary>
    internal async Task<TrainingCompletion> CompleteAsync(
        ComplianceHubDbContext db, Course course, string userId, CompletionMethod method, int? score, AuditActor actor, string? reason, CancellationToken ct,
        DateTimeOffset? at = null)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct)
            ?? throw new ComplianceRuleException("There is no such employee account.");
        var when = at ?? clock.GetUtcNow();
        var completion = new TrainingCompletion(course.Id, course.Title, user.Id, user.Email ?? user.UserName ?? user.Id, user.DisplayName, method, score, when,
            course.ValidityMonths is { } months ? when.AddMonths(months) : null, NewCode(), actor.Name, reason);
        db.TrainingCompletions.Add(completion);
        await db.SaveChangesAsync(ct);
        audit.Record(db, AuditEventType.TrainingCompleted, actor, Subject(course.Id), new
        {
            course = course.Title, employee = completion.UserEmail, method = method.ToString(), score, completedAt = when, expiresAt = completion.ExpiresAt,
            completion = completion.Id, reason,
        });
        await db.SaveChangesAsync(ct);
        await roster.RestoreLapsedAsync(user.Id, ct);
        return completion;
    }

    /// <summary>A verification code as printed: three groups of four letters and digits (no 0/O, 1/I/L), e.g. K7QM-29XD-HW4P.</summary>
    internal static string NewCode()
    {
        const string alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        Span<char> chars = stackalloc char[12];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return $"{chars[..4]}-{chars[4..8]}-{chars[8..]}";
    }

    private static string? NormalizeCode(string code)
    {
        var letters = new string(code.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return letters.Length == 12 ? $"{letters[..4]}-{letters[4..8]}-{letters[8..]}" : null;
    }

    private static void Validate(CourseDraft draft)
    {
        if (draft.Title.Trim().Length is 0 or > Course.MaxTitleLength)
        {
            throw new ComplianceRuleException($"A course needs a title of 1 to {Course.MaxTitleLength} characters.");
        }

        if (draft.Description.Length > 8000)
        {
            throw new ComplianceRuleException("The description is longer than 8,000 characters.");
        }

        if (draft.ValidityMonths is < 1 or > 120)
        {
            throw new ComplianceRuleException("A completion must be valid for 1 to 120 months, or for good.");
        }

        if (draft.PassMark is < 1 or > 100)
        {
            throw new ComplianceRuleException("The pass mark must be 1 to 100 percent.");
        }

        if (draft.MaxAttempts is < 1 or > 20)
        {
            throw new ComplianceRuleException("Allow 1 to 20 quiz attempts, or any number.");
        }
    }

    private static async Task EnsureUniqueTitleAsync(ComplianceHubDbContext db, string title, long? except, CancellationToken ct)
    {
        var trimmed = title.Trim();
        var titles = await db.Courses.AsNoTracking().Where(c => except == null || c.Id != except).Select(c => c.Title).ToListAsync(ct);
        if (titles.Any(t => string.Equals(t, trimmed, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ComplianceRuleException($"There is already a course called \u201C{trimmed}\u201D.");
        }
    }

    private static async Task<Course> LoadAsync(ComplianceHubDbContext db, long courseId, CancellationToken ct) =>
        await db.Courses.Include(c => c.Pages).Include(c => c.Questions).SingleOrDefaultAsync(c => c.Id == courseId, ct)
        ?? throw new ComplianceRuleException($"There is no course {courseId}.");

    /// <summary>How the audit trail names a course.</summary>
    public static AuditSubject Subject(long courseId) => new("Course", courseId.ToString(CultureInfo.InvariantCulture));
}

/// <summary>What a verification code says: the completion, whether it was voided, and whether it is valid at <see cref="CheckedAt"/>.</summary>
public sealed record CertificateCheck(TrainingCompletion Completion, TrainingCompletionVoid? Void, DateTimeOffset CheckedAt)
{
    public bool IsExpired => Completion.ExpiresAt is { } expires && expires <= CheckedAt;
    public bool IsValid => Void is null && !IsExpired;
}
