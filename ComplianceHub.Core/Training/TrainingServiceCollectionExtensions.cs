using ComplianceHub.Core.Roster;
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
        .AddSingleton<IAuthorizationPrerequisite, TrainingPrerequisite>();
}
