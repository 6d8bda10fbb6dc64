using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Training.Scorm;

/// <summary>What the player needs to start a session: the package, the attempt, the file to open and the data model's values.</summary>
public sealed record ScormLaunch(long PackageId, long AttemptId, string LaunchUrl, IReadOnlyDictionary<string, string> Values);

/// <summary>What a commit left: the lesson status and score as the portal keeps them, and the completion when it completed the course.</summary>
public sealed record ScormCommitOutcome(string LessonStatus, int? Score, TrainingCompletion? Completion);

/// <summary>A file of a package, opened for reading (disposing it closes the package).</summary>
public sealed record ScormFile(string Path, long Length, Stream Content);

/// <summary>
/// SCORM 1.2 packages on courses: uploading one (checked, kept whole in the blob store), the files a player's frame
/// asks for, and the run-time data an employee's SCO commits through the portal's API. A SCO that reports "passed" or
/// "completed" (a score under the package's mastery score makes it "failed") completes the course, with its score.
/// </summary>
public sealed class ScormService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, TimeProvider clock, IBlobStore blobs, TrainingService training, TrainingObligations obligations)
{
    /// <summary>Checks a package and makes it the course's (the one before it, if any, is kept on record but no longer played).</summary>
    public async Task<ScormPackage> UploadAsync(long courseId, Stream zip, string fileName, AuditActor actor, CancellationToken ct = default)
    {
        fileName = Path.GetFileName(fileName.Trim());
        if (fileName.Length is 0 or > 255 || !fileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            throw new ComplianceRuleException("Upload the SCORM package as the .zip file the authoring tool published (its name at most 255 characters).");
        }

        var temp = Path.GetTempFileName();
        try
        {
            await using (var copy = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await zip.CopyToAsync(copy, ct);
                if (copy.Length > ScormManifest.MaxPackageLength)
                {
                    throw new ComplianceRuleException($"\"{fileName}\" is larger than {ByteSize.Describe(ScormManifest.MaxPackageLength)}.");
                }
            }

            ScormManifest manifest;
            try
            {
                await using var archive = await ZipFile.OpenReadAsync(temp, ct);
                manifest = ScormManifest.Read(archive, fileName);
                if (ZipLengths.FindMismatch(temp) is { } mismatch)
                {
                    throw new ComplianceRuleException(
                        $"\"{fileName}\": the entry \"{mismatch.Entry}\" inflates to {mismatch.Actual:N0} bytes but its header declares {mismatch.Declared:N0}; the file is refused.");
                }
            }
            catch (EndOfStreamException ex)
            {
                throw new ComplianceRuleException($"\"{fileName}\" is not a readable zip file ({ex.Message}).");
            }
            catch (InvalidDataException ex)
            {
                throw new ComplianceRuleException($"\"{fileName}\" is not a readable zip file ({ex.Message}).");
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var course = await db.Courses.Include(c => c.Questions).SingleOrDefaultAsync(c => c.Id == courseId, ct)
                ?? throw new ComplianceRuleException($"There is no course {courseId}.");
            if (course.HasQuiz)
            {
                throw new ComplianceRuleException($"\u201C{course.Title}\u201D has a quiz; a SCORM package carries its own assessment. Remove the quiz's questions first.");
            }

            BlobReference blob;
            await using (var read = File.OpenRead(temp))
            {
                blob = await blobs.PutAsync(read, ct);
            }

            var now = clock.GetUtcNow();
            foreach (var previous in await db.ScormPackages.Where(p => p.CourseId == courseId && p.RemovedAt == null).ToListAsync(ct))
            {
                previous.Remove(now);
            }

            var package = new ScormPackage(courseId, fileName, blob.Sha256, blob.Length, manifest, actor.Name, now);
            db.ScormPackages.Add(package);
            course.Touch(now);
            audit.Record(db, AuditEventType.CourseSaved, actor, TrainingService.Subject(courseId), new
            {
                title = course.Title, scormPackage = fileName, sha256 = blob.Sha256, launch = manifest.LaunchPath, masteryScore = manifest.MasteryScore, files = manifest.EntryCount,
            });
            await db.SaveChangesAsync(ct);
            return package;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Stops playing the course's package (kept on record); the course is then completed by its material or quiz.</summary>
    public async Task RemoveAsync(long courseId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var package = await db.ScormPackages.SingleOrDefaultAsync(p => p.CourseId == courseId && p.RemovedAt == null, ct)
            ?? throw new ComplianceRuleException("The course has no SCORM package.");
        var course = await db.Courses.SingleAsync(c => c.Id == courseId, ct);
        var now = clock.GetUtcNow();
        package.Remove(now);
        course.Touch(now);
        audit.Record(db, AuditEventType.CourseSaved, actor, TrainingService.Subject(courseId), new { title = course.Title, scormPackage = (string?)null, removed = package.FileName });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The package a course plays, or null.</summary>
    public async Task<ScormPackage?> CurrentAsync(long courseId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ScormPackages.AsNoTracking().Where(p => p.CourseId == courseId && p.RemovedAt == null).OrderByDescending(p => p.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Starts (or resumes) the signed-in employee's play of the course's package for the round they owe: the attempt
    /// and the values its SCO reads. Only for someone the course is assigned to and who has not completed this round.
    /// </summary>
    public async Task<ScormLaunch> LaunchAsync(long courseId, AuditActor actor, CancellationToken ct = default)
    {
        var userId = actor.UserId ?? throw new ComplianceRuleException("Only a signed-in employee can take a course.");
        var obligation = (await obligations.ForUserAsync(userId, ct)).FirstOrDefault(o => o.CourseId == courseId)
            ?? throw new ComplianceRuleException("This course is not assigned to you.");
        if (obligation.IsCompleted)
        {
            throw new ComplianceRuleException("You have completed this course for now; it opens again when your completion expires.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var package = await db.ScormPackages.AsNoTracking().Where(p => p.CourseId == courseId && p.RemovedAt == null).OrderByDescending(p => p.Id).FirstOrDefaultAsync(ct)
            ?? throw new ComplianceRuleException("This course has no SCORM package to play.");
        var attempt = await db.ScormAttempts.Where(a => a.PackageId == package.Id && a.UserId == userId && a.CompletionId == null).OrderByDescending(a => a.Id).FirstOrDefaultAsync(ct);
        if (attempt is null)
        {
            attempt = new ScormAttempt(package.Id, courseId, userId, clock.GetUtcNow());
            db.ScormAttempts.Add(attempt);
            await db.SaveChangesAsync(ct);
        }

        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, ct);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cmi.core.student_id"] = user.Email ?? user.UserName ?? user.Id,
            ["cmi.core.student_name"] = StudentName(user.DisplayName),
            ["cmi.core.lesson_location"] = attempt.LessonLocation,
            ["cmi.core.credit"] = "credit",
            ["cmi.core.lesson_status"] = attempt.LessonStatus,
            ["cmi.core.entry"] = attempt.Sessions == 0 ? "ab-initio" : attempt.Exit == "suspend" ? "resume" : "",
            ["cmi.core.score.raw"] = Format(attempt.ScoreRaw),
            ["cmi.core.score.min"] = Format(attempt.ScoreMin),
            ["cmi.core.score.max"] = Format(attempt.ScoreMax),
            ["cmi.core.total_time"] = ScormDataModel.FormatTimespan(TimeSpan.FromSeconds(attempt.TotalSeconds)),
            ["cmi.core.lesson_mode"] = "normal",
            ["cmi.suspend_data"] = attempt.SuspendData,
            ["cmi.launch_data"] = package.LaunchData ?? "",
            ["cmi.comments"] = attempt.Comments,
            ["cmi.comments_from_lms"] = "",
            ["cmi.student_data.mastery_score"] = package.MasteryScore?.ToString(CultureInfo.InvariantCulture) ?? "",
            ["cmi.student_data.max_time_allowed"] = package.MaxTimeAllowed ?? "",
            ["cmi.student_data.time_limit_action"] = package.TimeLimitAction ?? "",
        };
        foreach (var (element, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(attempt.OtherDataJson) ?? [])
        {
            values[element] = value;
        }

        return new ScormLaunch(package.Id, attempt.Id, package.LaunchUrl, values);
    }

    /// <summary>
    /// Keeps what the SCO set since the session started (LMSCommit, or LMSFinish when <paramref name="finish"/>): every
    /// element checked against the data model, or nothing kept. Passed or completed completes the course, once.
    /// </summary>
    public async Task<ScormCommitOutcome> CommitAsync(long attemptId, IReadOnlyDictionary<string, string> values, bool finish, AuditActor actor, CancellationToken ct = default)
    {
        foreach (var (element, value) in values)
        {
            if (ScormDataModel.Check(element, value) is { } problem)
            {
                throw new ComplianceRuleException($"{element}: {problem}. Nothing from this commit was kept.");
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var attempt = await db.ScormAttempts.SingleOrDefaultAsync(a => a.Id == attemptId && a.UserId == actor.UserId, ct)
            ?? throw new ComplianceRuleException("There is no such SCORM session of yours.");
        var package = await db.ScormPackages.AsNoTracking().SingleAsync(p => p.Id == attempt.PackageId, ct);
        // Once the attempt has completed the course, later commits (the LMSFinish that follows, a SCO that commits on
        // unload) only add the session's time: the status and score that completed it stand.
        var closed = attempt.CompletionId is not null;
        var other = JsonSerializer.Deserialize<Dictionary<string, string>>(attempt.OtherDataJson) ?? [];
        TimeSpan? session = null;
        foreach (var (element, value) in values)
        {
            switch (element)
            {
                case "cmi.core.session_time": session = ScormDataModel.ParseTimespan(value); break;
                case "cmi.core.exit": attempt.Exit = value; break;
                case var _ when closed: break;
                case "cmi.core.lesson_status": attempt.LessonStatus = value; break;
                case "cmi.core.lesson_location": attempt.LessonLocation = value; break;
                case "cmi.core.score.raw": attempt.ScoreRaw = ScormDataModel.ParseScore(value); break;
                case "cmi.core.score.min": attempt.ScoreMin = ScormDataModel.ParseScore(value); break;
                case "cmi.core.score.max": attempt.ScoreMax = ScormDataModel.ParseScore(value); break;
                case "cmi.suspend_data": attempt.SuspendData = value; break;
                case "cmi.comments": attempt.Comments = value; break;
                default: other[element] = value; break;
            }
        }

        var otherJson = JsonSerializer.Serialize(other);
        if (otherJson.Length > ScormDataModel.MaxOtherData)
        {
            throw new ComplianceRuleException($"The SCO's interactions and objectives exceed {ByteSize.Describe(ScormDataModel.MaxOtherData)}. Nothing from this commit was kept.");
        }

        attempt.OtherDataJson = otherJson;

        // SCORM 1.2: with a mastery score and a score, the LMS decides passed or failed once the SCO says it is done.
        if (!closed && package.MasteryScore is { } mastery && attempt.ScoreRaw is { } raw && attempt.LessonStatus is "completed" or "passed" or "failed")
        {
            attempt.LessonStatus = raw >= mastery ? "passed" : "failed";
        }

        if (finish)
        {
            attempt.Sessions++;
            attempt.TotalSeconds += session?.TotalSeconds ?? 0;
        }

        attempt.UpdatedAt = clock.GetUtcNow();
        var course = await db.Courses.SingleAsync(c => c.Id == attempt.CourseId, ct);
        if (finish)
        {
            audit.Record(db, AuditEventType.ScormSessionRecorded, actor, TrainingService.Subject(course.Id), new
            {
                course = course.Title, package = package.FileName, attempt = attempt.Id, status = attempt.LessonStatus, score = Percent(attempt),
                sessionTime = session is { } s ? ScormDataModel.FormatTimespan(s) : null, totalTime = ScormDataModel.FormatTimespan(TimeSpan.FromSeconds(attempt.TotalSeconds)),
            });
        }

        await db.SaveChangesAsync(ct);
        if (closed || attempt.LessonStatus is not ("passed" or "completed"))
        {
            return new ScormCommitOutcome(attempt.LessonStatus, Percent(attempt), null);
        }

        var completion = await training.CompleteAsync(db, course, attempt.UserId, CompletionMethod.Scorm, Percent(attempt), actor, null, ct);
        attempt.CompletionId = completion.Id;
        await db.SaveChangesAsync(ct);
        return new ScormCommitOutcome(attempt.LessonStatus, Percent(attempt), completion);
    }

    /// <summary>Whether an account may fetch a package's files without seeing training as HR does: it has played it.</summary>
    public async Task<bool> HasPlayedAsync(long packageId, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ScormAttempts.AnyAsync(a => a.PackageId == packageId && a.UserId == userId, ct);
    }

    /// <summary>Opens one file of a package (its path relative to the package's root), or null when there is no such file.</summary>
    public async Task<ScormFile?> OpenFileAsync(long packageId, string path, CancellationToken ct = default)
    {
        if (ScormManifest.SafePath(path) is not { } safe)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sha256 = await db.ScormPackages.AsNoTracking().Where(p => p.Id == packageId).Select(p => p.Sha256).SingleOrDefaultAsync(ct);
        if (sha256 is null || await blobs.OpenReadAsync(sha256, ct) is not { } blob)
        {
            return null;
        }

        ZipArchive? zip = null;
        try
        {
            zip = await ZipArchive.CreateAsync(blob, ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, ct);
            if (ScormManifest.FindEntry(zip, safe) is not { } entry || entry.FullName.EndsWith('/'))
            {
                await zip.DisposeAsync();
                return null;
            }

            return new ScormFile(safe, entry.Length, new OwningReadStream(await entry.OpenAsync(ct), entry.Length, zip));
        }
        catch
        {
            if (zip is null)
            {
                await blob.DisposeAsync();
            }
            else
            {
                await zip.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The attempts of a course's packages by one account, newest first (for HR's view of a person).</summary>
    public async Task<IReadOnlyList<ScormAttempt>> AttemptsAsync(long courseId, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ScormAttempts.AsNoTracking().Where(a => a.CourseId == courseId && a.UserId == userId).OrderByDescending(a => a.Id).ToListAsync(ct);
    }

    /// <summary>The score in percent: the raw score within its min and max when the SCO gave them, else the raw score.</summary>
    internal static int? Percent(ScormAttempt attempt) => attempt.ScoreRaw is not { } raw
        ? null
        : (int)Math.Round(attempt is { ScoreMin: { } min, ScoreMax: { } max } && max > min ? Math.Clamp((raw - min) / (max - min) * 100, 0, 100) : raw, MidpointRounding.AwayFromZero);

    private static string Format(decimal? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "";

    /// <summary>SCORM 1.2 wants "Last, First".</summary>
    private static string StudentName(string displayName)
    {
        var parts = displayName.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length < 2 ? displayName.Trim() : $"{parts[^1]}, {string.Join(' ', parts[..^1])}";
    }
}
