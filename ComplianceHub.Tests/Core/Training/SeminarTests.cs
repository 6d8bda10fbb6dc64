using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Training;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Core.Training;

/// <summary>A course's seminars: scheduled ahead, enrolment by assignees up to the capacity, and attendance that completes the course, on both databases.</summary>
public abstract class SeminarTests(DatabaseProvider provider)
{
    private static readonly AuditActor Hr = new("hr-id", "hr@example.com", "10.0.0.2");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Assignees_EnrolUpToTheCapacity_AndAttendanceRecordedByHr_CompletesTheCourse()
    {
        await using var host = await TestHost.StartAsync(provider);
        var training = host.Get<TrainingService>();
        var seminars = host.Get<SeminarService>();
        var ann = await UserAsync(host, "ann@example.com", "Ann Rates");
        var bob = await UserAsync(host, "bob@example.com", "Bob Rates");
        var cy = await UserAsync(host, "cy@example.com", "Cy Sales");
        await host.OnboardAsync("E1,Ann Rates,ann@example.com,Rates,,+447700900001,2025-01-01,,active\nE2,Bob Rates,bob@example.com,Rates,,+447700900002,2025-01-01,,active\n");
        var course = await training.CreateCourseAsync(new CourseDraft("Desk supervision workshop", "Two hours with the head of compliance.", ValidityMonths: 24), Hr, Ct);
        await training.AssignAsync(course, new Audience(AudienceKind.Departments, ["Rates"]), 30, Hr, Ct);
        var starts = host.Clock.GetUtcNow().AddDays(7);

        (await Should.ThrowAsync<ComplianceRuleException>(() => seminars.ScheduleAsync(course, new SeminarDraft(host.Clock.GetUtcNow().AddHours(-1), 120, "Olivia Officer", "Room 4.2", 1), Hr, Ct)))
            .Message.ShouldContain("still to come");
        var seminar = await seminars.ScheduleAsync(course, new SeminarDraft(starts, 120, "Olivia Officer", "Room 4.2", 1), Hr, Ct);

        await seminars.EnrolAsync(seminar, Actor(ann, "ann@example.com"), Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => seminars.EnrolAsync(seminar, Actor(ann, "ann@example.com"), Ct))).Message.ShouldContain("already enrolled");
        (await Should.ThrowAsync<ComplianceRuleException>(() => seminars.EnrolAsync(seminar, Actor(bob, "bob@example.com"), Ct))).Message.ShouldContain("full (1 places)");
        (await Should.ThrowAsync<ComplianceRuleException>(() => seminars.EnrolAsync(seminar, Actor(cy, "cy@example.com"), Ct))).Message.ShouldContain("not assigned to you");

        // Ann gives up her place; Bob takes it; Ann cannot come back while it is full.
        await seminars.CancelEnrolmentAsync(seminar, Actor(ann, "ann@example.com"), Ct);
        await seminars.EnrolAsync(seminar, Actor(bob, "bob@example.com"), Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => seminars.EnrolAsync(seminar, Actor(ann, "ann@example.com"), Ct))).Message.ShouldContain("full");
        (await seminars.ListAsync(course, Ct)).Single().Enrolled.ShouldBe(1);

        (await Should.ThrowAsync<ComplianceRuleException>(() => seminars.RecordAttendanceAsync(seminar, [bob], Hr, Ct))).Message.ShouldContain("once the seminar has started");
        host.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromHours(3));
        (await Should.ThrowAsync<ComplianceRuleException>(() => seminars.RecordAttendanceAsync(seminar, [ann], Hr, Ct))).Message.ShouldContain("Only people enrolled");
        (await seminars.RecordAttendanceAsync(seminar, [bob], Hr, Ct)).ShouldBe(1);
        (await seminars.RecordAttendanceAsync(seminar, [bob], Hr, Ct)).ShouldBe(0); // recorded once

        var bobs = (await host.Get<TrainingObligations>().ForUserAsync(bob, Ct)).Single();
        (bobs.State, bobs.CompletedAt).ShouldBe((TrainingState.Completed, starts.AddMinutes(120)));
        var completion = (await training.HistoryAsync(bob, Ct)).Single().Completion;
        (completion.Method, completion.RecordedBy, completion.ExpiresAt).ShouldBe((CompletionMethod.Seminar, "hr@example.com", starts.AddMinutes(120).AddMonths(24)));
        (await host.Get<TrainingObligations>().ForUserAsync(ann, Ct)).Single().State.ShouldBe(TrainingState.Outstanding);

        await using var db = await host.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.SeminarAttendanceRecorded, Ct)).ShouldBe(2);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.SeminarEnrolmentChanged, Ct)).ShouldBe(3);
    }

    private static AuditActor Actor(string id, string email) => new(id, email, null);

    private static async Task<string> UserAsync(TestHost host, string email, string name) =>
        await host.Get<UserAdministrationService>().CreateUserAsync(new CreateUserRequest
        {
            Email = email, DisplayName = name, Password = "Long-enough-Password-2026!", Roles = [Roles.Employee],
        }, Hr, Ct);
}

public sealed class SqliteSeminarTests() : SeminarTests(DatabaseProvider.Sqlite);

public sealed class PostgresSeminarTests() : SeminarTests(DatabaseProvider.Postgres);
