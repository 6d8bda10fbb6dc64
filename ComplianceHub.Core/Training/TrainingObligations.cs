using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Training;

public enum TrainingState
{
    Completed = 0,
    Outstanding = 1,
    Overdue = 2,
}

/// <summary>
/// One course a person must have completed: by when (the assignment's due date, or the expiry of their last completion,
/// when a new round is due), and whether their latest completion stands (not voided, not expired).
/// </summary>
public sealed record TrainingObligation(
    long CourseId, string Title, bool IsRequired, bool HasQuiz, bool HasScorm, DateTimeOffset DueAt, TrainingState State, long? CompletionId, DateTimeOffset? CompletedAt,
    DateTimeOffset? ExpiresAt)
{
    public bool IsCompleted => State == TrainingState.Completed;
}

/// <summary>
/// Which courses a sign-in account must have completed: every course in force assigned to an audience that takes them
/// in (the roster and their roles as they stand now, so that someone who joins a department later is assigned its
/// courses from then, with their own due date). A completion that expires starts the next round by itself, due on its
/// expiry. The one rule the portal, the roster's prerequisite, the reports and the reminders use.
/// </summary>
public sealed class TrainingObligations(IDbContextFactory<ComplianceHubDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<TrainingObligation>> ForUserAsync(string userId, CancellationToken ct = default) =>
        (await ForUsersAsync([userId], ct)).GetValueOrDefault(userId) ?? [];

    /// <summary>The obligations of the given accounts (null: every account), by account id.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<TrainingObligation>>> ForUsersAsync(IReadOnlyCollection<string>? userIds, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var assignments = await db.TrainingAssignments.AsNoTracking().Where(a => a.WithdrawnAt == null)
            .Join(db.Courses.Where(c => c.RetiredAt == null), a => a.CourseId, c => c.Id,
                (a, c) => new { Assignment = a, c.Title, c.IsRequired, HasQuiz = c.Questions.Any(), HasScorm = db.ScormPackages.Any(p => p.CourseId == c.Id && p.RemovedAt == null) })
            .ToListAsync(ct);
        var members = await AudienceMember.LoadAsync(db, userIds, ct);
        if (assignments.Count == 0 || members.Count == 0)
        {
            return members.ToDictionary(u => u.UserId, _ => (IReadOnlyList<TrainingObligation>)[], StringComparer.Ordinal);
        }

        var ids = members.Select(m => m.UserId).ToList();
        var courseIds = assignments.Select(a => a.Assignment.CourseId).Distinct().ToList();
        var completionQuery = db.TrainingCompletions.AsNoTracking().Where(c => courseIds.Contains(c.CourseId));
        if (userIds is not null)
        {
            completionQuery = completionQuery.Where(c => ids.Contains(c.UserId));
        }

        var completions = await completionQuery
            .Where(c => !db.TrainingCompletionVoids.Any(v => v.CompletionId == c.Id))
            .Select(c => new Done(c.Id, c.UserId, c.CourseId, c.CompletedAt, c.ExpiresAt)).ToListAsync(ct);
        var latest = completions.GroupBy(c => (c.UserId, c.CourseId)).ToDictionary(g => g.Key, g => g.MaxBy(c => c.CompletedAt)!);

        var now = clock.GetUtcNow();
        var result = new Dictionary<string, IReadOnlyList<TrainingObligation>>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            var owed = new List<TrainingObligation>();
            foreach (var course in assignments.Where(a => member.IsIn(a.Assignment.Audience)).GroupBy(a => a.Assignment.CourseId))
            {
                // The earliest due date of the assignments that take them in: from the assignment, their account, or their joining a department.
                var due = course.Min(a => member.OwesFrom(a.Assignment.Audience, a.Assignment.CreatedAt).AddDays(a.Assignment.DueDays));
                var first = course.First();
                var done = latest.GetValueOrDefault((member.UserId, course.Key));
                TrainingState state;
                if (done is not null && (done.ExpiresAt is null || done.ExpiresAt > now))
                {
                    state = TrainingState.Completed;
                    due = done.ExpiresAt ?? due; // the next round is due when this one expires
                }
                else
                {
                    due = done?.ExpiresAt ?? due; // expired: the next round was due on its expiry
                    state = now > due ? TrainingState.Overdue : TrainingState.Outstanding;
                }

                owed.Add(new TrainingObligation(course.Key, first.Title, first.IsRequired, first.HasQuiz, first.HasScorm, due, state, done?.Id, done?.CompletedAt, done?.ExpiresAt));
            }

            result[member.UserId] = owed.OrderBy(o => o.Title, StringComparer.CurrentCulture).ToList();
        }

        return result;
    }

    private sealed record Done(long Id, string UserId, long CourseId, DateTimeOffset CompletedAt, DateTimeOffset? ExpiresAt);
}
