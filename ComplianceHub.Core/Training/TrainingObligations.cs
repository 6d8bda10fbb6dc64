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
    long CourseId, string Title, bool IsRequired, bool HasQuiz, DateTimeOffset DueAt, TrainingState State, long? CompletionId, DateTimeOffset? CompletedAt,
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
                (a, c) => new { Assignment = a, c.Title, c.IsRequired, HasQuiz = c.Questions.Any() })
            .ToListAsync(ct);
        var usersQuery = db.Users.AsNoTracking();
        if (userIds is not null)
        {
            usersQuery = usersQuery.Where(u => userIds.Contains(u.Id));
        }

        var users = await usersQuery.Select(u => new { u.Id, u.Email, u.CreatedAt }).ToListAsync(ct);
        if (assignments.Count == 0 || users.Count == 0)
        {
            return users.ToDictionary(u => u.Id, _ => (IReadOnlyList<TrainingObligation>)[], StringComparer.Ordinal);
        }

        var ids = users.Select(u => u.Id).ToList();
        var roles = (await db.UserRoles.Where(r => ids.Contains(r.UserId)).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
                .ToListAsync(ct))
            .ToLookup(r => r.UserId, r => r.Name!, StringComparer.Ordinal);
        var emails = users.Where(u => u.Email is not null).Select(u => u.Email!.ToLowerInvariant()).ToList();
        var rosterPeople = await db.People.AsNoTracking()
            .Where(p => p.Department != null && ((p.UserId != null && ids.Contains(p.UserId)) || (p.WorkEmail != null && emails.Contains(p.WorkEmail))))
            .Select(p => new RosterEntry(p.UserId, p.WorkEmail, p.Department!, p.CreatedAt)).ToListAsync(ct);
        var byAccount = rosterPeople.Where(p => p.UserId != null).ToLookup(p => p.UserId!, StringComparer.Ordinal);
        var byEmail = rosterPeople.Where(p => p.WorkEmail != null).ToLookup(p => p.WorkEmail!, StringComparer.Ordinal);

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
        foreach (var user in users)
        {
            var email = user.Email?.ToLowerInvariant();
            var departments = byAccount[user.Id].Union(email is null ? [] : byEmail[email]).ToList();
            var departmentNames = departments.Select(d => d.Department).ToList();
            var userRoles = roles[user.Id].ToList();
            var owed = new List<TrainingObligation>();
            foreach (var course in assignments.Where(a => a.Assignment.Audience.Includes(email, userRoles, departmentNames)).GroupBy(a => a.Assignment.CourseId))
            {
                // The earliest due date of the assignments that take them in: from the assignment, their account, or their joining a department.
                var due = course.Min(a =>
                {
                    var from = new[] { a.Assignment.CreatedAt, user.CreatedAt }.Max();
                    if (departments.Where(d => a.Assignment.Audience.NamesDepartment(d.Department)).Select(d => d.CreatedAt).DefaultIfEmpty(from).Min() is var joined
                        && joined > from)
                    {
                        from = joined;
                    }

                    return from.AddDays(a.Assignment.DueDays);
                });
                var first = course.First();
                var done = latest.GetValueOrDefault((user.Id, course.Key));
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

                owed.Add(new TrainingObligation(course.Key, first.Title, first.IsRequired, first.HasQuiz, due, state, done?.Id, done?.CompletedAt, done?.ExpiresAt));
            }

            result[user.Id] = owed.OrderBy(o => o.Title, StringComparer.CurrentCulture).ToList();
        }

        return result;
    }

    private sealed record RosterEntry(string? UserId, string? WorkEmail, string Department, DateTimeOffset CreatedAt);

    private sealed record Done(long Id, string UserId, long CourseId, DateTimeOffset CompletedAt, DateTimeOffset? ExpiresAt);
}
