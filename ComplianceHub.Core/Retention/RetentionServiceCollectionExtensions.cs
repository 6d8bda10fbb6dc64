using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Retention;

public static class RetentionServiceCollectionExtensions
{
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DispositionService>();
        services.AddSingleton<DispositionRunVerifier>();
        services.AddSingleton<IIntegrityCheck>(sp => sp.GetRequiredService<DispositionRunVerifier>());
        return services.AddSingleton<RetentionService>()
            // A rule's scope, target, period and reason never change (a change is a new rule); its retirement closes it
            // once. Sealed by checkpoints, so what decided a disposition cannot be rewritten afterwards.
            .AddEvidenceRecords("retention rule",
                db => db.RetentionRules.AsNoTracking(),
                r => new EvidenceRecord(r.Id,
                    new CanonicalWriter().Add((int)r.Scope).Add(r.Target).Add(r.Period).Add(r.Reason).Add(r.CreatedBy).Add(r.CreatedAt.ToUnixTimeMilliseconds()).Sha256Hex(),
                    r.RetiredAt is { } at ? new CanonicalWriter().Add(r.RetiredBy).Add(at.ToUnixTimeMilliseconds()).Sha256Hex() : null));
    }
}
