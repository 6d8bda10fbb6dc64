using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage.Blobs;
using ComplianceHub.Core.Training.Scorm;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Training;

public static class TrainingServiceCollectionExtensions
{
    public static IServiceCollection AddTraining(this IServiceCollection services) => services
        .AddSingleton<TrainingService>()
        .AddSingleton<QuizService>()
        .AddSingleton<SeminarService>()
        .AddSingleton<ScormService>()
        .AddSingleton<TrainingObligations>()
        .AddSingleton<TrainingReport>()
        .AddSingleton<TrainingReminders>()
        .AddSingleton<IAuthorizationPrerequisite, TrainingPrerequisite>()
        .AddBlobUses("course file", (CourseFile f) => f.Sha256, f => new { f.Id, f.CourseId, f.FileName, f.Sha256 },
            f => (f.Sha256, $"file {f.Id} ({f.FileName}) of course {f.CourseId}"))
        .AddBlobUses("SCORM package", (ScormPackage p) => p.Sha256, p => new { p.Id, p.CourseId, p.FileName, p.Sha256 },
            p => (p.Sha256, $"package {p.Id} ({p.FileName}) of course {p.CourseId}"));
}
