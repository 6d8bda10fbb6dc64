using System.Text;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Training;
using ComplianceHub.Core.Training.Scorm;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Core.Training;

/// <summary>
/// SCORM 1.2 packages on courses (checked on upload, served file by file), the run-time data a SCO commits (checked,
/// kept across sessions, status decided by the mastery score) and the completion it makes; files handed out with a
/// course. On both databases. The browser's side of the API is driven in chromium by the end-to-end test.
/// </summary>
public abstract class ScormTests(DatabaseProvider provider)
{
    private static readonly AuditActor Hr = new("hr-id", "hr@example.com", "10.0.0.2");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APackage_IsCheckedOnUpload_AndEachRefusalSaysWhatIsWrong_KeepingNothing()
    {
        await using var host = await TestHost.StartAsync(provider);
        var scorm = host.Get<ScormService>();
        var course = await host.Get<TrainingService>().CreateCourseAsync(new CourseDraft("Off-channel communication", ""), Hr, Ct);

        async Task<string> RefusedAsync(byte[] zip, string name = "course.zip") =>
            (await Should.ThrowAsync<ComplianceRuleException>(() => scorm.UploadAsync(course, new MemoryStream(zip), name, Hr, Ct))).Message;

        var working = ScormPackages.Working();
        (await RefusedAsync(ScormPackages.Build(), "course.pdf")).ShouldContain(".zip file");
        (await RefusedAsync("not a zip at all"u8.ToArray())).ShouldContain("is not a readable zip file");
        (await RefusedAsync(ScormPackages.Build(Without(working, "imsmanifest.xml")))).ShouldContain("has no imsmanifest.xml");
        (await RefusedAsync(ScormPackages.Build(working.ToDictionary(f => "course/" + f.Key, f => f.Value)))).ShouldContain("not at the root of the zip");
        (await RefusedAsync(ScormPackages.Build(With(working, "imsmanifest.xml", "<manifest><organizations>"))))
            .ShouldContain("imsmanifest.xml is not well-formed XML (line 1");
        (await RefusedAsync(ScormPackages.Build(With(working, "imsmanifest.xml", ScormPackages.Manifest(schema: "2004 4th Edition")))))
            .ShouldContain("SCORM 2004 package");
        (await RefusedAsync(ScormPackages.Build(With(working, "imsmanifest.xml", ScormPackages.Manifest(scormType: "asset"))))).ShouldContain("has no SCO");
        (await RefusedAsync(ScormPackages.Build(With(working, "imsmanifest.xml", ScormPackages.Manifest(scos: 2))))).ShouldContain("has 2 SCOs");
        (await RefusedAsync(ScormPackages.Build(With(working, "imsmanifest.xml", ScormPackages.Manifest(launch: "content/start.html")))))
            .ShouldContain("the launch file \"content/start.html\" named in imsmanifest.xml is not in the zip");
        (await RefusedAsync(ScormPackages.Build(With(working, "imsmanifest.xml", ScormPackages.Manifest(launch: "../outside.html")))))
            .ShouldContain("points outside the package");
        (await RefusedAsync(ScormPackages.Build(With(working, "../../etc/evil.html", "x")))).ShouldContain("\"../../etc/evil.html\" points outside the package");
        (await RefusedAsync(ScormPackages.Build(With(working, "imsmanifest.xml", ScormPackages.Manifest(mastery: "eighty")))))
            .ShouldContain("masteryscore \"eighty\" is not a number from 0 to 100");
        (await RefusedAsync(ScormPackages.Build(With(working, "imsmanifest.xml",
            "<?xml version=\"1.0\"?><!DOCTYPE manifest [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><manifest>&x;</manifest>")))).ShouldContain("not well-formed XML");

        // A course with a quiz is completed by the quiz; a package would be a second assessment.
        var quizzed = await host.Get<TrainingService>().CreateCourseAsync(new CourseDraft("Quizzed", ""), Hr, Ct);
        await host.Get<TrainingService>().SetQuestionsAsync(quizzed, [new QuestionDraft("Q?", ["Yes", "No"], [0])], Hr, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => scorm.UploadAsync(quizzed, new MemoryStream(ScormPackages.Build()), "course.zip", Hr, Ct)))
            .Message.ShouldContain("has a quiz");

        (await scorm.CurrentAsync(course, Ct)).ShouldBeNull();
        await using var db = await host.CreateDbContextAsync();
        (await db.ScormPackages.CountAsync(Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task APackage_IsServedFileByFile_InsideItOnly_AndReplacingItKeepsTheOldOneOnRecord()
    {
        await using var host = await TestHost.StartAsync(provider);
        var scorm = host.Get<ScormService>();
        var training = host.Get<TrainingService>();
        var course = await training.CreateCourseAsync(new CourseDraft("Off-channel communication", ""), Hr, Ct);

        var first = await scorm.UploadAsync(course, new MemoryStream(ScormPackages.Build()), "offchannel-v1.zip", Hr, Ct);
        (first.Title, first.LaunchPath, first.LaunchUrl, first.MasteryScore, first.LaunchData, first.EntryCount)
            .ShouldBe(("Off-channel communication", "content/index.html", "content/index.html", 80, "desk=rates", 3));

        await using (var logo = (await scorm.OpenFileAsync(first.Id, "content/images/logo.png", Ct))!.Content)
        {
            var read = new MemoryStream();
            await logo.CopyToAsync(read, Ct);
            read.ToArray().ShouldBe(ScormPackages.Png);
        }

        var html = (await scorm.OpenFileAsync(first.Id, "Content/Index.HTML", Ct))!; // case differs, as packages made on Windows often do
        await using (html.Content)
        {
            html.Path.ShouldBe("Content/Index.HTML");
            (await new StreamReader(html.Content).ReadToEndAsync(Ct)).ShouldContain("findAPI");
        }

        (await scorm.OpenFileAsync(first.Id, "../imsmanifest.xml", Ct)).ShouldBeNull();
        (await scorm.OpenFileAsync(first.Id, "/etc/passwd", Ct)).ShouldBeNull();
        (await scorm.OpenFileAsync(first.Id, "content/missing.js", Ct)).ShouldBeNull();
        (await scorm.OpenFileAsync(first.Id, "content/", Ct)).ShouldBeNull();

        // A course with a package is completed by it: no quiz, no "I have read it".
        (await Should.ThrowAsync<ComplianceRuleException>(() => training.SetQuestionsAsync(course, [new QuestionDraft("Q?", ["Yes", "No"], [0])], Hr, Ct)))
            .Message.ShouldContain("completed through its SCORM package");

        var second = await scorm.UploadAsync(course, new MemoryStream(ScormPackages.Build(ScormPackages.Working(mastery: null))), "offchannel-v2.zip", Hr, Ct);
        (await scorm.CurrentAsync(course, Ct))!.Id.ShouldBe(second.Id);
        await scorm.RemoveAsync(course, Hr, Ct);
        (await scorm.CurrentAsync(course, Ct)).ShouldBeNull();
        (await Should.ThrowAsync<ComplianceRuleException>(() => scorm.RemoveAsync(course, Hr, Ct))).Message.ShouldContain("has no SCORM package");

        await using var db = await host.CreateDbContextAsync();
        (await db.ScormPackages.Select(p => p.FileName).OrderBy(f => f).ToListAsync(Ct)).ShouldBe(["offchannel-v1.zip", "offchannel-v2.zip"]);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.CourseSaved && e.Details!.Contains("scormPackage"), Ct)).ShouldBe(3);
        await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync("DELETE FROM \"ScormPackages\""));
    }

    [Fact]
    public async Task TheRuntimeData_IsCheckedAndKeptAcrossSessions_TheMasteryScoreDecides_AndAPassCompletesTheCourseOnce()
    {
        await using var host = await TestHost.StartAsync(provider);
        var scorm = host.Get<ScormService>();
        var training = host.Get<TrainingService>();
        var ann = await UserAsync(host, "ann@example.com", "Ann Marie Rates");
        var bob = await UserAsync(host, "bob@example.com", "Bob Other");
        var annActor = new AuditActor(ann, "ann@example.com", null);
        var bobActor = new AuditActor(bob, "bob@example.com", null);
        var course = await training.CreateCourseAsync(new CourseDraft("Off-channel communication", "", ValidityMonths: 12), Hr, Ct);
        await training.AssignAsync(course, new Audience(AudienceKind.People, ["ann@example.com"]), 30, Hr, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => scorm.LaunchAsync(course, annActor, Ct))).Message.ShouldContain("no SCORM package");
        var package = await scorm.UploadAsync(course, new MemoryStream(ScormPackages.Build()), "offchannel.zip", Hr, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => training.CompleteMaterialAsync(course, annActor, Ct))).Message.ShouldContain("playing its SCORM package");
        (await Should.ThrowAsync<ComplianceRuleException>(() => scorm.LaunchAsync(course, bobActor, Ct))).Message.ShouldContain("not assigned to you");
        (await scorm.HasPlayedAsync(package.Id, ann, Ct)).ShouldBeFalse();

        // First session: what the SCO reads at launch.
        var launch = await scorm.LaunchAsync(course, annActor, Ct);
        (launch.PackageId, launch.LaunchUrl).ShouldBe((package.Id, "content/index.html"));
        launch.Values["cmi.core.student_name"].ShouldBe("Rates, Ann Marie");
        launch.Values["cmi.core.student_id"].ShouldBe("ann@example.com");
        (launch.Values["cmi.core.entry"], launch.Values["cmi.core.lesson_status"], launch.Values["cmi.core.credit"]).ShouldBe(("ab-initio", "not attempted", "credit"));
        (launch.Values["cmi.launch_data"], launch.Values["cmi.student_data.mastery_score"], launch.Values["cmi.core.total_time"]).ShouldBe(("desk=rates", "80", "0000:00:00.00"));
        (await scorm.HasPlayedAsync(package.Id, ann, Ct)).ShouldBeTrue();

        // A value the data model does not allow refuses the whole commit; someone else's attempt is not theirs to commit.
        (await Should.ThrowAsync<ComplianceRuleException>(() => scorm.CommitAsync(launch.AttemptId,
            new Dictionary<string, string> { ["cmi.core.lesson_location"] = "slide-9", ["cmi.core.lesson_status"] = "done" }, false, annActor, Ct)))
            .Message.ShouldBe("cmi.core.lesson_status: \"done\" is not a lesson status a SCO may set. Nothing from this commit was kept.");
        (await Should.ThrowAsync<ComplianceRuleException>(() => scorm.CommitAsync(launch.AttemptId,
            new Dictionary<string, string> { ["cmi.core.student_name"] = "Someone Else" }, false, annActor, Ct))).Message.ShouldContain("not an element a SCO can set");
        (await Should.ThrowAsync<ComplianceRuleException>(() => scorm.CommitAsync(launch.AttemptId,
            new Dictionary<string, string> { ["cmi.suspend_data"] = new string('x', 4097) }, false, annActor, Ct))).Message.ShouldContain("longer than the 4,096 allowed");
        (await Should.ThrowAsync<ComplianceRuleException>(() => scorm.CommitAsync(launch.AttemptId,
            new Dictionary<string, string> { ["cmi.core.session_time"] = "2 minutes" }, true, annActor, Ct))).Message.ShouldContain("not a SCORM time span");
        (await Should.ThrowAsync<ComplianceRuleException>(() => scorm.CommitAsync(launch.AttemptId,
            new Dictionary<string, string> { ["cmi.core.lesson_status"] = "passed" }, false, bobActor, Ct))).Message.ShouldContain("no such SCORM session of yours");

        var midway = await scorm.CommitAsync(launch.AttemptId, new Dictionary<string, string>
        {
            ["cmi.core.lesson_status"] = "incomplete", ["cmi.core.lesson_location"] = "slide-2", ["cmi.suspend_data"] = "{\"seen\":[1,2]}",
            ["cmi.interactions.0.id"] = "q1", ["cmi.interactions.0.result"] = "correct",
        }, false, annActor, Ct);
        (midway.LessonStatus, midway.Score, midway.Completion).ShouldBe(("incomplete", null, null));
        await scorm.CommitAsync(launch.AttemptId, new Dictionary<string, string> { ["cmi.core.exit"] = "suspend", ["cmi.core.session_time"] = "0000:12:30.5" }, true, annActor, Ct);

        // Second session resumes the same attempt where it stopped; a fail under the mastery score does not complete.
        var resumed = await scorm.LaunchAsync(course, annActor, Ct);
        resumed.AttemptId.ShouldBe(launch.AttemptId);
        (resumed.Values["cmi.core.entry"], resumed.Values["cmi.core.lesson_location"], resumed.Values["cmi.suspend_data"]).ShouldBe(("resume", "slide-2", "{\"seen\":[1,2]}"));
        (resumed.Values["cmi.interactions.0.result"], resumed.Values["cmi.core.total_time"]).ShouldBe(("correct", "0000:12:30.50"));
        var failed = await scorm.CommitAsync(launch.AttemptId, new Dictionary<string, string>
        {
            ["cmi.core.score.raw"] = "30", ["cmi.core.score.min"] = "0", ["cmi.core.score.max"] = "50", ["cmi.core.lesson_status"] = "completed", ["cmi.core.exit"] = "",
            ["cmi.core.session_time"] = "0000:05:00",
        }, true, annActor, Ct);
        (failed.LessonStatus, failed.Score, failed.Completion).ShouldBe(("failed", 60, null)); // 30 is under 80 whatever the SCO says; 30 of 50 is 60 %
        (await host.Get<TrainingObligations>().ForUserAsync(ann, Ct)).Single().State.ShouldBe(TrainingState.Outstanding);

        // Third session: entry is "" (the last exit was not a suspend); 90 of 100 passes and completes the course with 90 %.
        host.Clock.Advance(TimeSpan.FromDays(1));
        var third = await scorm.LaunchAsync(course, annActor, Ct);
        (third.AttemptId, third.Values["cmi.core.entry"], third.Values["cmi.core.total_time"]).ShouldBe((launch.AttemptId, "", "0000:17:30.50"));
        var passed = await scorm.CommitAsync(launch.AttemptId, new Dictionary<string, string>
        {
            ["cmi.core.score.raw"] = "90", ["cmi.core.score.max"] = "100", ["cmi.core.lesson_status"] = "passed", ["cmi.core.session_time"] = "0000:03:00",
        }, false, annActor, Ct);
        (passed.LessonStatus, passed.Score).ShouldBe(("passed", 90));
        var completion = passed.Completion!;
        (completion.Method, completion.Score, completion.RecordedBy, completion.ExpiresAt)
            .ShouldBe((CompletionMethod.Scorm, 90, "ann@example.com", host.Clock.GetUtcNow().AddMonths(12)));
        var obligation = (await host.Get<TrainingObligations>().ForUserAsync(ann, Ct)).Single();
        (obligation.State, obligation.CompletionId).ShouldBe((TrainingState.Completed, completion.Id));

        // The LMSFinish that follows (and any late commit) completes nothing twice and changes neither status nor score,
        // but its session's time counts; the course is done for this round.
        var after = await scorm.CommitAsync(launch.AttemptId, new Dictionary<string, string>
        {
            ["cmi.core.exit"] = "", ["cmi.core.session_time"] = "0000:03:00", ["cmi.core.lesson_status"] = "failed", ["cmi.core.score.raw"] = "10",
        }, true, annActor, Ct);
        (after.LessonStatus, after.Score, after.Completion).ShouldBe(("passed", 90, null));
        (await Should.ThrowAsync<ComplianceRuleException>(() => scorm.LaunchAsync(course, annActor, Ct))).Message.ShouldContain("completed this course");

        // When the completion expires, the next round starts a new attempt from the beginning.
        host.Clock.Advance(TimeSpan.FromDays(370));
        var nextRound = await scorm.LaunchAsync(course, annActor, Ct);
        nextRound.AttemptId.ShouldNotBe(launch.AttemptId);
        (nextRound.Values["cmi.core.entry"], nextRound.Values["cmi.core.lesson_status"]).ShouldBe(("ab-initio", "not attempted"));

        var attempts = await scorm.AttemptsAsync(course, ann, Ct);
        attempts.Select(a => (a.Sessions, a.CompletionId, a.TotalSeconds)).ShouldBe([(0, (long?)null, 0d), (3, completion.Id, 1230.5)]);
        await using var db = await host.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.ScormSessionRecorded, Ct)).ShouldBe(3);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.TrainingCompleted, Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task FilesHandedOutWithACourse_AreKeptByHash_ListedInOrder_AndRemovedOnlyFromView()
    {
        await using var host = await TestHost.StartAsync(provider);
        var training = host.Get<TrainingService>();
        var course = await training.CreateCourseAsync(new CourseDraft("Off-channel communication", ""), Hr, Ct);
        var pdf = "%PDF-1.7 handout"u8.ToArray();

        var handout = await training.AttachFileAsync(course, new MemoryStream(pdf), "Handout.pdf", Hr, Ct);
        await training.AttachFileAsync(course, new MemoryStream(Encoding.UTF8.GetBytes("Name,Desk\n")), "sign-up sheet.csv", Hr, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => training.AttachFileAsync(course, new MemoryStream(pdf), "Handout.pdf", Hr, Ct)))
            .Message.ShouldContain("already has a file called \"Handout.pdf\"");
        (await Should.ThrowAsync<ComplianceRuleException>(() => training.AttachFileAsync(course, new MemoryStream(), "empty.txt", Hr, Ct))).Message.ShouldContain("is empty");

        (await training.FilesAsync(course, Ct)).Select(f => (f.FileName, f.Length)).ShouldBe([("Handout.pdf", pdf.Length), ("sign-up sheet.csv", 10L)]);
        var opened = (await training.OpenFileAsync(handout.Id, Ct))!.Value;
        await using (opened.Content)
        {
            var read = new MemoryStream();
            await opened.Content.CopyToAsync(read, Ct);
            read.ToArray().ShouldBe(pdf);
        }

        await training.RemoveFileAsync(handout.Id, Hr, Ct);
        (await training.FilesAsync(course, Ct)).Select(f => f.FileName).ShouldBe(["sign-up sheet.csv"]);
        (await training.OpenFileAsync(handout.Id, Ct)).ShouldBeNull();
        (await Should.ThrowAsync<ComplianceRuleException>(() => training.RemoveFileAsync(handout.Id, Hr, Ct))).Message.ShouldContain("no such file");

        await using var db = await host.CreateDbContextAsync();
        (await db.CourseFiles.CountAsync(Ct)).ShouldBe(2);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.CourseSaved && (e.Details!.Contains("fileAdded") || e.Details!.Contains("fileRemoved")), Ct)).ShouldBe(3);
        await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync("DELETE FROM \"CourseFiles\""));
    }

    private static Dictionary<string, byte[]> With(Dictionary<string, byte[]> files, string path, string content) =>
        new(files) { [path] = Encoding.UTF8.GetBytes(content) };

    private static Dictionary<string, byte[]> Without(Dictionary<string, byte[]> files, string path) =>
        files.Where(f => f.Key != path).ToDictionary(f => f.Key, f => f.Value);

    private static async Task<string> UserAsync(TestHost host, string email, string name) =>
        await host.Get<UserAdministrationService>().CreateUserAsync(new CreateUserRequest
        {
            Email = email, DisplayName = name, Password = "Long-enough-Password-2026!", Roles = [Roles.Employee],
        }, Hr, Ct);
}

public sealed class SqliteScormTests() : ScormTests(DatabaseProvider.Sqlite);

public sealed class PostgresScormTests() : ScormTests(DatabaseProvider.Postgres);
