using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Policies;

public static class PoliciesServiceCollectionExtensions
{
    public static IServiceCollection AddPolicies(this IServiceCollection services) => services
        .AddSingleton<PolicyService>()
        .AddSingleton<PolicyObligations>()
        .AddSingleton<PolicyReport>()
        .AddSingleton<PolicyReminders>()
        .AddSingleton<IAuthorizationPrerequisite, PolicyPrerequisite>()
        .AddBlobUses("policy attachment", (PolicyVersion v) => v.AttachmentSha256, v => new { v.Id, v.DocumentId, v.Number, v.AttachmentFileName, v.AttachmentSha256 },
            v => (v.AttachmentSha256, $"version {v.Number} of policy {v.DocumentId} ({v.AttachmentFileName})"));
}
