using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Training;

/// <summary>
/// Seminars of a course: HR schedules and cancels them; people the course is assigned to enrol (up to the capacity) and
/// may cancel before it starts; HR records who attended, which completes the course for each of them. Audited.
/// </summary>
public sealed class SeminarService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, TimeProvider clock, TrainingService training, TrainingObligations obligations)
{
    public async Task<long> ScheduleAsync(long courseId, SeminarDraft draft, AuditActor actor, CancellationToken ct = default)
    {
        if (draft.StartsAt <= clock.GetUtcNow())
        {
            throw new ComplianceRuleException("A seminar is scheduled for a time still to come.");
        }

        if (draft.DurationMinutes is < 15 or > 600 || draft.Capacity is < 1 or > 1000)
        {
            throw new ComplianceRuleException("A seminar lasts 15 to 600 minutes and seats 1 to 1,000 people.");
        }

        if (draft.Trainer.Trim().Length is 0 or > 200 || draft.Location.Trim().Length is 0 or > 500)
        {
            throw new ComplianceRuleException("Name the trainer and where it takes place (a room or a meeting link).");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var course = await db.Courses.AsNoTracking().SingleOrDefaultAsync(c => c.Id == courseId, ct) ?? throw new ComplianceRuleException($"There is no course {courseId}.");
        if (course.RetiredAt is not null)
        {
            throw new ComplianceRuleException($"\u201C{course.Title}\u201D is retired.");
        }

        var seminar = new Seminar(courseId, draft, actor.Name, clock.GetUtcNow());
        db.Seminars.Add(seminar);
        await db.SaveChangesAsync(ct);
        audit.Record(db, AuditEventType.SeminarScheduled, actor, TrainingService.Subject(courseId),
            new { course = course.Title, seminar = seminar.Id, startsAt = draft.StartsAt, draft.Trainer, draft.Location, draft.Capacity });
        await db.SaveChangesAsync(ct);
        return seminar.Id;
    }

    /// <summary>The course's seminars with their enrolments, soonest first.</summary>
    public async Task<IReadOnlyList<Seminar>> ListAsync(long courseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Seminars.AsNoTracking().Include(s => s.Enrolments).Where(s => s.CourseId == courseId).OrderBy(s => s.StartsAt).ToListAsync(ct);
    }

    /// <summary>The signed-in employee takes a place, if the course is assigned to them and a place is free.</summary>
    public async Task EnrolAsync(long seminarId, AuditActor actor, CancellationToken ct = default)
    {
        var userId = actor.UserId ?? throw new ComplianceRuleException("Only a signed-in employee can enrol.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var seminar = await LoadAsync(db, seminarId, ct);
        if (seminar.CancelledAt is not null || seminar.StartsAt <= clock.GetUtcNow())
        {
            throw new ComplianceRuleException("That seminar is no longer open for enrolment.");
        }

        if (!(await obligations.ForUserAsync(userId, ct)).Any(o => o.CourseId == seminar.CourseId))
        {
            throw new ComplianceRuleException("That course is not assigned to you.");
        }

        var existing = seminar.Enrolments.SingleOrDefault(e => e.UserId == userId);
        if (existing is { CancelledAt: null })
        {
            throw new ComplianceRuleException("You are already enrolled.");
        }

        if (seminar.Enrolled >= seminar.Capacity)
        {
            throw new ComplianceRuleException($"That seminar is full ({seminar.Capacity} places).");
        }

        if (existing is not null)
        {
            db.SeminarEnrolments.Remove(existing); // enrolling again after cancelling
            await db.SaveChangesAsync(ct);
        }

        var name = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).SingleAsync(ct);
        seminar.Enrolments.Add(new SeminarEnrolment(userId, name, clock.GetUtcNow()));
        audit.Record(db, AuditEventType.SeminarEnrolmentChanged, actor, TrainingService.Subject(seminar.CourseId), new { seminar = seminarId, enrolled = true });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The signed-in employee gives up their place before the seminar starts.</summary>
    public async Task CancelEnrolmentAsync(long seminarId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var seminar = await LoadAsync(db, seminarId, ct);
        var enrolment = seminar.Enrolments.SingleOrDefault(e => e.UserId == actor.UserId && e.CancelledAt is null)
            ?? throw new ComplianceRuleException("You are not enrolled.");
        if (seminar.StartsAt <= clock.GetUtcNow())
        {
            throw new ComplianceRuleException("The seminar has started: ask HR.");
        }

        enrolment.Cancel(clock.GetUtcNow());
        audit.Record(db, AuditEventType.SeminarEnrolmentChanged, actor, TrainingService.Subject(seminar.CourseId), new { seminar = seminarId, enrolled = false });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>HR records who attended (once the seminar has started); each attendee's course is completed. Returns how many completions were recorded.</summary>
    public async Task<int> RecordAttendanceAsync(long seminarId, IReadOnlyCollection<string> attendees, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var seminar = await LoadAsync(db, seminarId, ct);
        var now = clock.GetUtcNow();
        if (seminar.StartsAt > now)
        {
            throw new ComplianceRuleException("Attendance is recorded once the seminar has started.");
        }

        var enrolled = seminar.Enrolments.Where(e => e.CancelledAt is null).ToDictionary(e => e.UserId);
        var unknown = attendees.Where(a => !enrolled.ContainsKey(a)).ToList();
        if (unknown.Count > 0)
        {
            throw new ComplianceRuleException("Only people enrolled in the seminar can be marked present.");
        }

        var course = await db.Courses.Include(c => c.Questions).Include(c => c.Pages).SingleAsync(c => c.Id == seminar.CourseId, ct);
        var fresh = attendees.Where(a => enrolled[a].AttendedAt is null).ToList();
        foreach (var userId in fresh)
        {
            enrolled[userId].Attended(actor.Name, now);
        }

        audit.Record(db, AuditEventType.SeminarAttendanceRecorded, actor, TrainingService.Subject(seminar.CourseId),
            new { seminar = seminarId, course = course.Title, present = fresh.Select(u => enrolled[u].Name).ToArray() });
        await db.SaveChangesAsync(ct);
        foreach (var userId in fresh)
        {
            await training.CompleteAsync(db, course, userId, CompletionMethod.Seminar, null, actor, null, ct, seminar.StartsAt.AddMinutes(seminar.DurationMinutes) < now
                ? seminar.StartsAt.AddMinutes(seminar.DurationMinutes)
                : now);
        }

        return fresh.Count;
    }

    /// <summary>HR cancels a seminar that has not started; its enrolments stay on record.</summary>
    public async Task CancelAsync(long seminarId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var seminar = await LoadAsync(db, seminarId, ct);
        if (seminar.CancelledAt is not null || seminar.StartsAt <= clock.GetUtcNow())
        {
            throw new ComplianceRuleException("Only a seminar still to come can be cancelled.");
        }

        seminar.Cancel(clock.GetUtcNow());
        audit.Record(db, AuditEventType.SeminarCancelled, actor, TrainingService.Subject(seminar.CourseId), new { seminar = seminarId, startsAt = seminar.StartsAt });
        await db.SaveChangesAsync(ct);
    }

    private static async Task<Seminar> LoadAsync(ComplianceHubDbContext db, long seminarId, CancellationToken ct) =>
        await db.Seminars.Include(s => s.Enrolments).SingleOrDefaultAsync(s => s.Id == seminarId, ct)
        ?? throw new ComplianceRuleException("There is no such seminar.");
}
