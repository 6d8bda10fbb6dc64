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

    private static async Task<int?> AttemptsLeftAsync(ComplianceHubDbContext db, Course course, string userId, CancellationToken ct)
    {
        if (course.MaxAttempts is not { } max)
        {
            return null;
        }

        // A round starts after the last completion (recorded by HR included, e.g. to grant another round).
        var since = await db.TrainingCompletions.Where(c => c.CourseId == course.Id && c.UserId == userId)
            .OrderByDescending(c => c.Id).Select(c => (DateTimeOffset?)c.CompletedAt).FirstOrDefaultAsync(ct);
        var used = (await db.QuizAttempts.AsNoTracking().Where(a => a.CourseId == course.Id && a.UserId == userId).Select(a => a.SubmittedAt).ToListAsync(ct))
            .Count(at => since is null || at > since);
        return Math.Max(0, max - used);
    }
}
