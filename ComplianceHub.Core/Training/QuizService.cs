using System.Text.Json;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Training;

/// <summary>A question as one attempt shows it: its options in a shuffled order, each with its index in the question.</summary>
public sealed record QuizQuestionView(long QuestionId, string Text, bool MultipleAnswers, IReadOnlyList<(int Index, string Text)> Options);

/// <summary>An attempt's outcome: the score in percent, whether it passed, attempts left (null: unlimited), and the completion a pass made.</summary>
public sealed record QuizResult(int Score, bool Passed, int CorrectAnswers, int Questions, int? AttemptsLeft, TrainingCompletion? Completion);

/// <summary>
/// A course's quiz: its questions and their answers shuffled for each attempt; an attempt scored (a question counts
/// when exactly its right answers are chosen), recorded with its answers whatever the result, and a pass at or above
/// the course's mark completes the course. Attempts are limited per round: those since the last completion.
/// </summary>
public sealed class QuizService(IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, TimeProvider clock, TrainingService training)
{
    /// <summary>The questions for a new attempt, questions and options in a fresh random order.</summary>
    public async Task<IReadOnlyList<QuizQuestionView>> QuestionsAsync(long courseId, CancellationToken ct = default)
    {
        var course = await training.GetCourseAsync(courseId, ct) ?? throw new ComplianceRuleException($"There is no course {courseId}.");
        var views = course.Questions.Select(q =>
        {
            var options = q.Options.Select((text, index) => (index, text)).ToArray();
            Random.Shared.Shuffle(options);
            return new QuizQuestionView(q.Id, q.Text, q.IsMultipleChoice, options);
        }).ToArray();
        Random.Shared.Shuffle(views);
        return views;
    }

    /// <summary>How many attempts the account has left in this round (null: unlimited).</summary>
    public async Task<int?> AttemptsLeftAsync(long courseId, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await db.Courses.AsNoTracking().SingleOrDefaultAsync(c => c.Id == courseId, ct) ?? throw new ComplianceRuleException($"There is no course {courseId}.");
        return await AttemptsLeftAsync(db, course, userId, ct);
    }

    /// <summary>
    /// HR gives someone whose attempts are used up a new round of the course's attempts, with why (e.g. after going
    /// through the material with them). Recorded and audited; the earlier attempts stay on record.
    /// </summary>
    public async Task GrantRoundAsync(long courseId, string userId, string reason, AuditActor actor, CancellationToken ct = default)
    {
        reason = reason.Trim();
        if (reason.Length is < 10 or > 1000)
        {
            throw new ComplianceRuleException("Say why another round is granted (10 to 1,000 characters).");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await db.Courses.AsNoTracking().SingleOrDefaultAsync(c => c.Id == courseId, ct) ?? throw new ComplianceRuleException($"There is no course {courseId}.");
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct) ?? throw new ComplianceRuleException("There is no such employee account.");
        if (await AttemptsLeftAsync(db, course, userId, ct) is not 0)
        {
            throw new ComplianceRuleException($"{user.DisplayName} still has attempts left at \u201C{course.Title}\u201D.");
        }

        db.QuizRoundGrants.Add(new QuizRoundGrant(courseId, userId, reason, actor.Name, clock.GetUtcNow()));
        audit.Record(db, AuditEventType.QuizRoundGranted, actor, TrainingService.Subject(courseId),
            new { course = course.Title, employee = user.Email, attempts = course.MaxAttempts, reason });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Scores the signed-in employee's answers (option indexes per question id) and records the attempt; a pass completes the course.</summary>
    public async Task<QuizResult> SubmitAsync(long courseId, IReadOnlyDictionary<long, IReadOnlyCollection<int>> answers, AuditActor actor, CancellationToken ct = default)
    {
        var userId = actor.UserId ?? throw new ComplianceRuleException("Only a signed-in employee can take a quiz.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await db.Courses.Include(c => c.Questions).Include(c => c.Pages).SingleOrDefaultAsync(c => c.Id == courseId, ct)
            ?? throw new ComplianceRuleException($"There is no course {courseId}.");
        if (course.RetiredAt is not null)
        {
            throw new ComplianceRuleException($"\u201C{course.Title}\u201D is retired.");
        }

        if (!course.HasQuiz)
        {
            throw new ComplianceRuleException($"\u201C{course.Title}\u201D has no quiz.");
        }

        var unanswered = course.Questions.OrderBy(q => q.Number).Where(q => !answers.TryGetValue(q.Id, out var chosen) || chosen.Count == 0).Select(q => q.Number).ToList();
        if (unanswered.Count > 0)
        {
            throw new ComplianceRuleException($"Answer every question first (not yet: {string.Join(", ", unanswered)}).");
        }

        if (await AttemptsLeftAsync(db, course, userId, ct) is 0)
        {
            throw new ComplianceRuleException($"No attempts are left at \u201C{course.Title}\u201D ({course.MaxAttempts} allowed). Ask HR for another round.");
        }

        // Kept with the attempt as the questions read then: the quiz may be rewritten later.
        var marked = course.Questions.OrderBy(q => q.Number).Select(q =>
        {
            var chosen = answers[q.Id].Distinct().Order().ToArray();
            return new
            {
                question = q.Text,
                chosen = chosen.Where(i => i >= 0 && i < q.Options.Count).Select(i => q.Options[i]).ToArray(),
                right = chosen.SequenceEqual(q.Correct.Order()),
            };
        }).ToList();
        var correct = marked.Count(m => m.right);
        var score = correct * 100 / marked.Count;
        var passed = score >= course.PassMark;
        db.QuizAttempts.Add(new QuizAttempt(course.Id, userId, JsonSerializer.Serialize(marked), score, passed, clock.GetUtcNow()));
        audit.Record(db, AuditEventType.QuizAttempted, actor, TrainingService.Subject(course.Id), new { course = course.Title, score, passed, passMark = course.PassMark });
        await db.SaveChangesAsync(ct);

        var completion = passed ? await training.CompleteAsync(db, course, userId, CompletionMethod.Quiz, score, actor, null, ct) : null;
        return new QuizResult(score, passed, correct, marked.Count, passed ? course.MaxAttempts : await AttemptsLeftAsync(db, course, userId, ct), completion);
    }

    /// <summary>An account's attempts at a course, newest first.</summary>
    public async Task<IReadOnlyList<QuizAttempt>> AttemptsAsync(long courseId, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.QuizAttempts.AsNoTracking().Where(a => a.CourseId == courseId && a.UserId == userId).OrderByDescending(a => a.Id).ToListAsync(ct);
    }

    /// <summary>The accounts that have used up this round's attempts at a course's quiz (for HR to grant another round).</summary>
    public async Task<IReadOnlySet<string>> ExhaustedAsync(long courseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await db.Courses.AsNoTracking().SingleOrDefaultAsync(c => c.Id == courseId, ct) ?? throw new ComplianceRuleException($"There is no course {courseId}.");
        if (course.MaxAttempts is not { } max)
        {
            return new HashSet<string>();
        }

        var attempts = await db.QuizAttempts.AsNoTracking().Where(a => a.CourseId == courseId).Select(a => new { a.UserId, a.SubmittedAt }).ToListAsync(ct);
        var completed = (await db.TrainingCompletions.AsNoTracking().Where(c => c.CourseId == courseId).Select(c => new { c.UserId, c.CompletedAt }).ToListAsync(ct))
            .GroupBy(c => c.UserId).ToDictionary(g => g.Key, g => g.Max(c => c.CompletedAt));
        var granted = (await db.QuizRoundGrants.AsNoTracking().Where(g => g.CourseId == courseId).Select(g => new { g.UserId, g.GrantedAt }).ToListAsync(ct))
            .GroupBy(g => g.UserId).ToDictionary(g => g.Key, g => g.Max(x => x.GrantedAt));
        return attempts.GroupBy(a => a.UserId)
            .Where(g =>
            {
                var since = new[] { completed.GetValueOrDefault(g.Key), granted.GetValueOrDefault(g.Key) }.Max();
                return g.Count(a => a.SubmittedAt > since) >= max;
            })
            .Select(g => g.Key)
            .ToHashSet();
    }

    private static async Task<int?> AttemptsLeftAsync(ComplianceHubDbContext db, Course course, string userId, CancellationToken ct)
    {
        if (course.MaxAttempts is not { } max)
        {
            return null;
        }

        // A round starts after the last completion, or when HR grants another.
        var completed = await db.TrainingCompletions.AsNoTracking().Where(c => c.CourseId == course.Id && c.UserId == userId).Select(c => c.CompletedAt).ToListAsync(ct);
        var granted = await db.QuizRoundGrants.AsNoTracking().Where(g => g.CourseId == course.Id && g.UserId == userId).Select(g => g.GrantedAt).ToListAsync(ct);
        var since = completed.Concat(granted).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        var used = (await db.QuizAttempts.AsNoTracking().Where(a => a.CourseId == course.Id && a.UserId == userId).Select(a => a.SubmittedAt).ToListAsync(ct))
            .Count(at => at > since);
        return Math.Max(0, max - used);
    }
}
