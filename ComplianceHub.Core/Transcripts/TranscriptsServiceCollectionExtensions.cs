using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Transcripts;

public static class TranscriptsServiceCollectionExtensions
{
    public static IServiceCollection AddTranscripts(this IServiceCollection services) => services.AddSingleton<TranscriptService>();
}
