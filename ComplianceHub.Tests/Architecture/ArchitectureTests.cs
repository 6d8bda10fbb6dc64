using System.Reflection;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Architecture;

public sealed class ArchitectureTests
{
    private static readonly Assembly Core = typeof(StorageSettings).Assembly;
    private static readonly Assembly Web = typeof(AuthorizationPolicyNames).Assembly;

    /// <summary>Columns named like a SHA-256 that hash something other than a stored blob's bytes.</summary>
    private static readonly string[] NotBlobNames =
    [
        "WebhookDelivery.BodySha256", // the payload, kept in the row itself
        "MediaDownload.ExpectedSha256", // what Meta says the media hashes to, before it is stored
        "IntegrityCheckpoint.LineSha256", // the checkpoint log's line
        "PolicyVersion.ContentSha256", // the frozen text
        "PolicyAcknowledgement.ContentSha256", // the text signed
        "ExportJob.ManifestSha256", // an entry inside the production's package
        "DispositionBlob.Sha256", // a file a disposition run released: the record of its removal, not a use
        "HoldNoticeAcknowledgement.TextSha256", // the notice text acknowledged
        "HoldNotice.TextSha256", // the frozen notice text
    ];

    [Fact]
    public async Task EveryColumnNamingABlob_IsRegisteredAsOne_SoTheOrphanSweepCannotTakeEvidence()
    {
        await using var host = await TestHost.StartAsync(DatabaseProvider.Sqlite);
        await using var db = await host.CreateDbContextAsync();
        var columns = db.Model.GetEntityTypes().SelectMany(e => e.GetProperties())
            .Where(p => p.ClrType == typeof(string) && p.Name.EndsWith("Sha256", StringComparison.Ordinal))
            .Select(p => $"{p.DeclaringType.ClrType.Name}.{p.Name}").ToHashSet();
        var registered = host.Get<IEnumerable<BlobUses>>().Select(u => $"{u.Entity.Name}.{u.Property}").ToHashSet();

        registered.ShouldBeSubsetOf(columns);
        columns.Except(registered).Order(StringComparer.Ordinal).ShouldBe(NotBlobNames.Order(StringComparer.Ordinal),
            "a new column naming a blob must be registered with AddBlobUses, or listed here when it does not name one");
    }

    [Fact]
    public void Core_ReferencesNeitherMudBlazorNorAspNetCoreComponents()
    {
        var references = Core.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        references.ShouldNotContain(n => n.StartsWith("MudBlazor", StringComparison.Ordinal));
        references.ShouldNotContain(n => n.StartsWith("Microsoft.AspNetCore.Components", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryPage_DeclaresWhoMayUseIt_ByANamedPolicyOrAllowAnonymous()
    {
        var pages = Web.GetTypes().Where(t => t.GetCustomAttributes<RouteAttribute>().Any()).ToList();
        pages.Count.ShouldBeGreaterThan(10);
        var knownPolicies = typeof(AuthorizationPolicyNames).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();

        foreach (var page in pages)
        {
            var authorize = page.GetCustomAttributes<AuthorizeAttribute>(inherit: true).ToList();
            var anonymous = page.GetCustomAttributes<AllowAnonymousAttribute>(inherit: true).Any();
            (authorize.Count > 0 || anonymous).ShouldBeTrue($"{page.FullName} declares no authorization");
            authorize.ShouldAllBe(a => a.Policy != null && knownPolicies.Contains(a.Policy), $"{page.FullName} must name a policy from AuthorizationPolicyNames");
        }
    }

    [Fact]
    public void AnonymousPages_AreOnlyTheSignInErrorAndNotFoundPages()
    {
        var anonymous = Web.GetTypes()
            .Where(t => t.GetCustomAttributes<RouteAttribute>().Any() && t.GetCustomAttributes<AllowAnonymousAttribute>().Any())
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => r.Template))
            .Order(StringComparer.Ordinal)
            .ToList();

        anonymous.ShouldBe([
            "/Account/AccessDenied", "/Account/InvalidUser", "/Account/Lockout", "/Account/Login",
            "/Account/LoginWith2fa", "/Account/LoginWithRecoveryCode", "/Error", "/not-found",
        ]);
    }

    [Fact]
    public void EveryPolicyName_IsRegistered()
    {
        var names = typeof(AuthorizationPolicyNames).GetFields().Select(f => (string)f.GetValue(null)!).Order(StringComparer.Ordinal);

        AuthorizationSetup.RolesByPolicy.Keys.Append(AuthorizationPolicyNames.SignedIn).Append(AuthorizationPolicyNames.AccountSetup).Order(StringComparer.Ordinal).ShouldBe(names);
    }
}
