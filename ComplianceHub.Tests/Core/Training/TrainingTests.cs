using System.Text;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Training;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Core.Training;

/// <summary>
/// Courses assigned to audiences (new joiners included), quizzes scored and limited, completions that expire and come
/// round again, certificates and their verification, corrections, the roster's prerequisite and the report, on both
/// databases.
/// </summary>
public abstract class TrainingTests(DatabaseProvider provider)
{
    private static readonly AuditActor Hr = new("hr-id", "hr@example.com", "10.0.0.2");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly QuestionDraft[] Quiz =
    [
        new("Which numbers may you use for business?", ["Any of mine", "Only those on the roster", "A colleague's"], [1]),
        new("Which must be reported the same day? (choose all)", ["A lost phone", "A new ringtone", "A message to the wrong client"], [0, 2]),
        new("Does deleting a message remove it from the record?", ["Yes", "No"], [1]),
        new("Where do client orders go?", ["The recorded line or the order system", "Any WhatsApp chat"], [0]),
    ];

    [Fact]
    public async Task AnAssignment_TakesInItsAudience_NewJoinersFromWhenTheyJoin_AndWithdrawnItAsksNothing()
    {
        await using var host = await TestHost.StartAsync(provider);
        var training = host.Get<TrainingService>();
        var obligations = host.Get<TrainingObligations>();
        var emma = await UserAsync(host, "emma@example.com", "Emma Employee");
        var hana = await UserAsync(host, "hana@example.com", "Hana HR", Roles.HrManager);
        await host.OnboardAsync("E1,Emma Employee,emma@example.com,Rates,,+447700900123,2025-01-01,,active\n");
        var course = await training.CreateCourseAsync(new CourseDraft("Messaging policy essentials", "What the policy asks."), Hr, Ct);
        var rates = await training.AssignAsync(course, new Audience(AudienceKind.Departments, ["rates"]), 14, Hr, Ct);
        var hrOnly = await training.CreateCourseAsync(new CourseDraft("Handling HR data", ""), Hr, Ct);
        await training.AssignAsync(hrOnly, new Audience(AudienceKind.Roles, [Roles.HrManager]), 7, Hr, Ct);

        (await obligations.ForUserAsync(emma, Ct)).Select(o => (o.Title, o.State, o.DueAt)).ShouldBe(
            [("Messaging policy essentials", TrainingState.Outstanding, host.Clock.GetUtcNow().AddDays(14))]);
        (await obligations.ForUserAsync(hana, Ct)).Select(o => o.Title).ShouldBe(["Handling HR data"]);

        // Hana joins the Rates desk a month later: assigned from then, with her own due date.
        host.Clock.Advance(TimeSpan.FromDays(30));
        await host.OnboardAsync("E1,Emma Employee,emma@example.com,Rates,,+447700900123,2025-01-01,,active\nE2,Hana HR,hana@example.com,Rates,,+447700900124,2025-01-01,,active\n");
        var joined = (await obligations.ForUserAsync(hana, Ct)).Single(o => o.CourseId == course);
        (joined.State, joined.DueAt).ShouldBe((TrainingState.Outstanding, host.Clock.GetUtcNow().AddDays(14)));
        (await obligations.ForUserAsync(emma, Ct)).Single().State.ShouldBe(TrainingState.Overdue);

        await training.WithdrawAssignmentAsync(rates, Hr, Ct);
        (await obligations.ForUserAsync(emma, Ct)).ShouldBeEmpty();
        (await Should.ThrowAsync<ComplianceRuleException>(() => training.WithdrawAssignmentAsync(rates, Hr, Ct))).Message.ShouldContain("already withdrawn");
        (await Should.ThrowAsync<ComplianceRuleException>(() => training.CreateCourseAsync(new CourseDraft(" messaging POLICY essentials ", ""), Hr, Ct)))
            .Message.ShouldContain("already a course");
    }

    [Fact]
    public async Task AQuiz_IsScoredQuestionByQuestion_RecordsEveryAttempt_LimitsThem_AndAPassCompletesTheCourse()
    {
        await using var host = await TestHost.StartAsync(provider);
        var training = host.Get<TrainingService>();
        var quiz = host.Get<QuizService>();
        var emma = await UserAsync(host, "emma@example.com", "Emma Employee");
        var actor = new AuditActor(emma, "emma@example.com", null);
        var course = await training.CreateCourseAsync(new CourseDraft("Messaging policy essentials", "", ValidityMonths: 12, PassMark: 75, MaxAttempts: 2), Hr, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => training.SetQuestionsAsync(course, [new("Q", ["A", "a"], [0])], Hr, Ct)))
            .Message.ShouldContain("two or more different answers");
        (await Should.ThrowAsync<ComplianceRuleException>(() => training.SetQuestionsAsync(course, [new("Q", ["A", "B"], [2])], Hr, Ct)))
            .Message.ShouldContain("mark which of its answers are right");
        await training.SetQuestionsAsync(course, Quiz, Hr, Ct);
        await training.AssignAsync(course, Audience.Everyone, 14, Hr, Ct);

        var questions = await quiz.QuestionsAsync(course, Ct);
        questions.Count.ShouldBe(4);
        questions.Single(q => q.Text.StartsWith("Which must", StringComparison.Ordinal)).MultipleAnswers.ShouldBeTrue();
        questions.SelectMany(q => q.Options.Select(o => o.Index)).Count().ShouldBe(10); // every option, each once, whatever the order
        var ids = (await training.GetCourseAsync(course, Ct))!.Questions.ToDictionary(q => q.Number, q => q.Id);

        (await Should.ThrowAsync<ComplianceRuleException>(() => quiz.SubmitAsync(course, new Dictionary<long, IReadOnlyCollection<int>> { [ids[1]] = [1] }, actor, Ct)))
            .Message.ShouldBe("Answer every question first (not yet: 2, 3, 4).");

        // Half right (the multiple-answer question needs both, and only both): 50 %, below 75 %.
        var first = await quiz.SubmitAsync(course, Answers(ids, [1], [0], [1], [1]), actor, Ct);
        (first.Score, first.Passed, first.CorrectAnswers, first.AttemptsLeft, first.Completion).ShouldBe((50, false, 2, 1, null));
        var second = await quiz.SubmitAsync(course, Answers(ids, [1], [0, 2], [1], [0]), actor, Ct);
        (second.Score, second.Passed).ShouldBe((100, true));
        second.Completion!.Method.ShouldBe(CompletionMethod.Quiz);
        second.Completion.ExpiresAt.ShouldBe(host.Clock.GetUtcNow().AddMonths(12));
        (await host.Get<TrainingObligations>().ForUserAsync(emma, Ct)).Single().State.ShouldBe(TrainingState.Completed);

        var attempts = await quiz.AttemptsAsync(course, emma, Ct);
        attempts.Select(a => (a.Score, a.Passed)).ShouldBe([(100, true), (50, false)]);
        attempts[1].AnswersJson.ShouldContain("A lost phone");

        // A new round after the pass: two attempts again; both failed, no more.
        (await quiz.AttemptsLeftAsync(course, emma, Ct)).ShouldBe(2);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await quiz.SubmitAsync(course, Answers(ids, [0], [0], [0], [1]), actor, Ct);
        await quiz.SubmitAsync(course, Answers(ids, [0], [0], [0], [1]), actor, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => quiz.SubmitAsync(course, Answers(ids, [1], [0, 2], [1], [0]), actor, Ct)))
            .Message.ShouldContain("No attempts are left");

        // HR grants another round, with a reason: two attempts again, the earlier ones kept.
        (await quiz.ExhaustedAsync(course, Ct)).ShouldBe([emma]);
        (await Should.ThrowAsync<ComplianceRuleException>(() => quiz.GrantRoundAsync(course, emma, "ok", Hr, Ct))).Message.ShouldContain("Say why");
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await quiz.GrantRoundAsync(course, emma, "Went through the material with her on Monday.", Hr, Ct);
        (await quiz.AttemptsLeftAsync(course, emma, Ct)).ShouldBe(2);
        (await quiz.ExhaustedAsync(course, Ct)).ShouldBeEmpty();
        (await Should.ThrowAsync<ComplianceRuleException>(() => quiz.GrantRoundAsync(course, emma, "Another one just in case.", Hr, Ct)))
            .Message.ShouldContain("still has attempts left");
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        (await quiz.SubmitAsync(course, Answers(ids, [1], [0, 2], [1], [0]), actor, Ct)).Passed.ShouldBeTrue();
        (await quiz.AttemptsAsync(course, emma, Ct)).Count.ShouldBe(5);

        await using var db = await host.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.QuizAttempted, Ct)).ShouldBe(5);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.QuizRoundGranted, Ct)).ShouldBe(1);
        await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync("UPDATE \"QuizRoundGrants\" SET \"Reason\" = 'none'"));
        await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync($"UPDATE \"QuizAttempts\" SET \"Score\" = 100 WHERE \"Id\" = {attempts[1].Id}"));
        await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync($"DELETE FROM \"TrainingCompletions\" WHERE \"Id\" = {second.Completion.Id}"));
    }

    [Fact]
    public async Task ACompletion_Expires_AndTheNextRoundIsDue_TheCertificateVerifies_AndAVoidedOneDoesNot()
    {
        await using var host = await TestHost.StartAsync(provider);
        var training = host.Get<TrainingService>();
        var obligations = host.Get<TrainingObligations>();
        var emma = await UserAsync(host, "emma@example.com", "Emma Employee");
        var actor = new AuditActor(emma, "emma@example.com", null);
        var course = await training.CreateCourseAsync(new CourseDraft("Record-keeping basics", "", ValidityMonths: 6), Hr, Ct);
        await training.SetPagesAsync(course, [("Why records", "We keep **everything**.")], Hr, Ct);
        await training.AssignAsync(course, Audience.Everyone, 10, Hr, Ct);

        var completion = await training.CompleteMaterialAsync(course, actor, Ct); // no quiz: reading it completes it
        completion.VerificationCode.ShouldMatch("^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$");
        var check = (await training.VerifyAsync(completion.VerificationCode.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal), Hr, Ct))!;
        (check.IsValid, check.Completion.FullName, check.Completion.CourseTitle).ShouldBe((true, "Emma Employee", "Record-keeping basics"));
        (await training.VerifyAsync("ZZZZ-ZZZZ-ZZZZ", Hr, Ct)).ShouldBeNull();

        // The certificate, read back.
        var file = Path.Combine(host.DataDirectory, "certificate.pdf");
        await using (var output = File.Create(file))
        {
            await CertificatePdf.WriteAsync(output, completion, host.Clock.GetUtcNow(), Ct);
        }

        var text = await Poppler.TextAsync(file);
        foreach (var expected in new[] { "Emma Employee", "Record-keeping basics", completion.VerificationCode, "2026-09-02 09:30 UTC", "read the course's material" })
        {
            text.ShouldContain(expected);
        }

        // Six months on it has expired: the next round is due on the expiry (so, overdue), and the certificate says expired.
        host.Clock.Advance(TimeSpan.FromDays(185));
        var lapsed = (await obligations.ForUserAsync(emma, Ct)).Single();
        (lapsed.State, lapsed.DueAt).ShouldBe((TrainingState.Overdue, completion.ExpiresAt!.Value));
        (await training.VerifyAsync(completion.VerificationCode, Hr, Ct))!.IsExpired.ShouldBeTrue();
        var again = await training.CompleteMaterialAsync(course, actor, Ct);
        (await obligations.ForUserAsync(emma, Ct)).Single().State.ShouldBe(TrainingState.Completed);

        // A completion recorded in error is voided by a new record; the obligation is open again.
        (await Should.ThrowAsync<ComplianceRuleException>(() => training.VoidCompletionAsync(again.Id, "wrong", Hr, Ct))).Message.ShouldContain("10 to 1,000");
        await training.VoidCompletionAsync(again.Id, "Recorded for the wrong employee at the desk's kiosk.", Hr, Ct);
        var voided = (await training.VerifyAsync(again.VerificationCode, Hr, Ct))!;
        (voided.IsValid, voided.Void!.VoidedBy).ShouldBe((false, "hr@example.com"));
        (await obligations.ForUserAsync(emma, Ct)).Single().State.ShouldBe(TrainingState.Overdue);
        (await Should.ThrowAsync<ComplianceRuleException>(() => training.VoidCompletionAsync(again.Id, "Recorded twice by mistake.", Hr, Ct)))
            .Message.ShouldContain("already void");

        // HR records a course taken elsewhere, with the reason; it counts.
        await training.RecordCompletionAsync(course, emma, host.Clock.GetUtcNow().AddDays(-1), "External workshop by the firm's counsel, attendance sheet on file.", Hr, Ct);
        (await obligations.ForUserAsync(emma, Ct)).Single().State.ShouldBe(TrainingState.Completed);
        (await training.HistoryAsync(emma, Ct)).Select(h => (h.Completion.Method, h.Void is not null)).ShouldBe(
            [(CompletionMethod.Material, true), (CompletionMethod.Recorded, false), (CompletionMethod.Material, false)]); // by completion date
    }

    [Fact]
    public async Task ARequiredCourse_HoldsBackTheRoster_UntilCompleted_AndTheReportCountsByCourse()
    {
        await using var host = await TestHost.StartAsync(provider);
        var training = host.Get<TrainingService>();
        var roster = host.Get<RosterService>();
        var emma = await UserAsync(host, "emma@example.com", "Emma Employee");
        await UserAsync(host, "raj@example.com", "=Raj Mehta");
        await host.OnboardAsync("E1,Emma Employee,emma@example.com,Rates,,+447700900123,2025-01-01,,active\nE2,Raj Mehta,raj@example.com,Sales,,+447700900124,2025-01-01,,active\n");
        var course = await training.CreateCourseAsync(new CourseDraft("Messaging policy essentials", "", ValidityMonths: 12, IsRequired: true), Hr, Ct);
        (await roster.ApplyLapsesAsync(Ct)).ShouldBe(0); // not assigned yet: nothing required
        await training.AssignAsync(course, new Audience(AudienceKind.Departments, ["Rates"]), 14, Hr, Ct);

        (await roster.ApplyLapsesAsync(Ct)).ShouldBe(1); // Emma's number; Raj (Sales) is not assigned it
        await using (var db = await host.CreateDbContextAsync())
        {
            (await db.AuthorizedNumbers.SingleAsync(n => n.PhoneE164 == "+447700900123", Ct)).StatusReason
                .ShouldBe("Lapsed: Emma Employee has not completed \u201CMessaging policy essentials\u201D.");
        }

        await training.CompleteMaterialAsync(course, new AuditActor(emma, "emma@example.com", null), Ct); // restores what lapsed for it
        await using (var db = await host.CreateDbContextAsync())
        {
            (await db.AuthorizedNumbers.SingleAsync(n => n.PhoneE164 == "+447700900123", Ct)).Status.ShouldBe(AuthorizationStatus.Active);
        }

        // Everyone is assigned a second course; Raj's runs late. The report counts per course; the CSV lists people.
        var second = await training.CreateCourseAsync(new CourseDraft("Client data on phones", "", ValidityMonths: null), Hr, Ct);
        await training.AssignAsync(second, Audience.Everyone, 5, Hr, Ct);
        host.Clock.Advance(TimeSpan.FromDays(330)); // Emma's first completion expires within 60 days
        var report = host.Get<TrainingReport>();
        (await report.CoursesAsync(Ct)).Select(c => (c.Title, c.Assigned, c.Completed, c.Overdue, c.Expiring30, c.Expiring60)).ShouldBe(
        [
            ("Client data on phones", 2, 0, 2, 0, 0),
            ("Messaging policy essentials", 1, 1, 0, 0, 1),
        ]);
        var csv = Encoding.UTF8.GetString(TrainingReport.ToCsv(await report.PeopleAsync(Ct))).TrimStart('\uFEFF').Split("\r\n");
        csv[0].ShouldBe("course,name,email,department,state,due_utc,completed_utc,expires_utc");
        csv[1].ShouldBe("Client data on phones,\"'=Raj Mehta\",raj@example.com,Sales,overdue,2026-03-07T09:30:00Z,,");
    }

    private static Dictionary<long, IReadOnlyCollection<int>> Answers(Dictionary<int, long> ids, params int[][] chosen) =>
        chosen.Select((c, i) => (ids[i + 1], (IReadOnlyCollection<int>)c)).ToDictionary(x => x.Item1, x => x.Item2);

    private static async Task<string> UserAsync(TestHost host, string email, string name, string role = Roles.Employee) =>
        await host.Get<UserAdministrationService>().CreateUserAsync(new CreateUserRequest
        {
            Email = email, DisplayName = name, Password = "Long-enough-Password-2026!", Roles = [role],
        }, Hr, Ct);
}

public sealed class SqliteTrainingTests() : TrainingTests(DatabaseProvider.Sqlite);

public sealed class PostgresTrainingTests() : TrainingTests(DatabaseProvider.Postgres);
