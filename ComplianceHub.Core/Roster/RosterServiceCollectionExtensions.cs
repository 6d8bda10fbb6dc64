using ComplianceHub.Core.Common;
using ComplianceHub.Core.Roster.Monitoring;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Roster;

public static class RosterServiceCollectionExtensions
{
    public static IServiceCollection AddRoster(this IServiceCollection services)
    {
        services.AddOptions<RosterOptions>().BindConfiguration(RosterOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ActivationPrerequisites>();
        services.AddSingleton<RosterService>();
        services.AddSingleton<RosterImportService>();
        services.AddSingleton<RosterQueryService>();
        services.AddSingleton<RosterMonitor>();
        services.AddSingleton<IRosterCheck, RevokedSenderCheck>();
        services.AddSingleton<IRosterCheck, UnknownSenderCheck>();
        services.AddSingleton<IRosterCheck, GroupChangeCheck>();
        services.AddSingleton<IRosterCheck, UnregisteredGroupCheck>();
        services.AddSingleton<IRosterCheck, SilentNumberCheck>();
        services.AddSingleton<RecertificationService>();
        services.AddSingleton<OfficialGroupService>();
        services.AddSingleton<GroupParticipantImportService>();

        // Evidence of who was in which official group when, and of every number's authorization history: sealed by checkpoints.
        services.AddEvidenceRecords("official-group stay",
            db => db.GroupMembers.AsNoTracking().Select(m => new { m.Id, m.GroupId, m.PersonId, m.PhoneE164, m.JoinedOn, m.LeftOn }),
            m => new EvidenceRecord(m.Id,
                new CanonicalWriter().Add(m.GroupId).Add(m.PersonId).Add(m.PhoneE164).Add(m.JoinedOn.DayNumber).Sha256Hex(),
                m.LeftOn is { } left ? new CanonicalWriter().Add(left.DayNumber).Sha256Hex() : null));
        services.AddEvidenceRecords("number status change",
            db => db.NumberStatusChanges.AsNoTracking(),
            c => new EvidenceRecord(c.Id,
                new CanonicalWriter().Add(c.AuthorizedNumberId).Add((long?)c.FromStatus ?? -1).Add((long)c.ToStatus).Add(c.Reason).Add(c.ChangedBy)
                    .Add(c.ChangedAt.ToUnixTimeMilliseconds()).Sha256Hex(),
                null));
        return services;
    }
}
