using System.Globalization;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Training;

/// <summary>A course's figures: assigned, completed (current), overdue, and completions expiring within 30, 60 and 90 days.</summary>
public sealed record CourseStanding(long CourseId, string Title, int Assigned, int Completed, int Overdue, int Expiring30, int Expiring60, int Expiring90)
{
    public double CompletedPercent => Assigned == 0 ? 100 : 100.0 * Completed / Assigned;
}

/// <summary>One person's part of a course's figures.</summary>
public sealed record TrainingPersonStanding(string UserId, string Name, string Email, string Department, long CourseId, string Course, TrainingState State,
    DateTimeOffset DueAt, DateTimeOffset? CompletedAt, DateTimeOffset? ExpiresAt);

/// <summary>
/// Where the training stands: every account's obligations (<see cref="TrainingObligations"/>, the one rule) counted per
/// course, by department, and listed person by person (for the overdue list and the CSV).
/// </summary>
public sealed class TrainingReport(IDbContextFactory<ComplianceHubDbContext> dbFactory, TrainingObligations obligations, TimeProvider clock)
{
    public const string NoDepartment = AudienceMember.NoDepartment;

    public async Task<IReadOnlyList<CourseStanding>> CoursesAsync(CancellationToken ct = default) =>
        Stand(await PeopleAsync(ct), clock.GetUtcNow());

    /// <summary>Every person's standing on every course assigned to them, overdue first.</summary>
    public async Task<IReadOnlyList<TrainingPersonStanding>> PeopleAsync(CancellationToken ct = default)
    {
        Dictionary<string, (string Name, string Email, string Department)> people;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            people = (await AudienceMember.LoadAsync(db, null, ct)).ToDictionary(m => m.UserId, m => (m.Name, m.Email ?? "", m.Department), StringComparer.Ordinal);
        }

        return (await obligations.ForUsersAsync(null, ct))
            .Where(u => people.ContainsKey(u.Key)) // an account made a moment ago is counted next time
            .SelectMany(u => u.Value.Select(o => new TrainingPersonStanding(u.Key, people[u.Key].Name, people[u.Key].Email, people[u.Key].Department, o.CourseId,
                o.Title, o.State, o.DueAt, o.CompletedAt, o.ExpiresAt)))
            .OrderBy(p => p.State == TrainingState.Overdue ? 0 : p.State == TrainingState.Outstanding ? 1 : 2)
            .ThenBy(p => p.Course, StringComparer.CurrentCulture).ThenBy(p => p.Name, StringComparer.CurrentCulture)
            .ToList();
    }

    /// <summary>The figures per course, from the people's standings.</summary>
    public static IReadOnlyList<CourseStanding> Stand(IReadOnlyList<TrainingPersonStanding> people, DateTimeOffset now) =>
        people.GroupBy(p => (p.CourseId, p.Course)).OrderBy(g => g.Key.Course, StringComparer.CurrentCulture).Select(g => new CourseStanding(
            g.Key.CourseId, g.Key.Course, g.Count(),
            g.Count(p => p.State == TrainingState.Completed),
            g.Count(p => p.State == TrainingState.Overdue),
            Expiring(g, now, 30), Expiring(g, now, 60), Expiring(g, now, 90))).ToList();

    /// <summary>The people's standings as CSV (UTF-8 with BOM, RFC 4180, CRLF; formula-like cells after an apostrophe).</summary>
    public static byte[] ToCsv(IReadOnlyList<TrainingPersonStanding> people) => Csv.ToBytes(
        ["course", "name", "email", "department", "state", "due_utc", "completed_utc", "expires_utc"],
        people.Select(p => (IReadOnlyList<string>)[p.Course, p.Name, p.Email, p.Department, p.State.ToString().ToLowerInvariant(), Utc(p.DueAt), Utc(p.CompletedAt), Utc(p.ExpiresAt)]));

    private static int Expiring(IEnumerable<TrainingPersonStanding> people, DateTimeOffset now, int days) =>
        people.Count(p => p.State == TrainingState.Completed && p.ExpiresAt is { } e && e <= now.AddDays(days));

    private static string Utc(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";
}
