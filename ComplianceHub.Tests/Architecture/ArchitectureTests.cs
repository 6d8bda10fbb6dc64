using System.Reflection;
using ComplianceHub.Core.Storage;
using ComplianceHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace ComplianceHub.Tests.Architecture;

public sealed class ArchitectureTests
{
    private static readonly Assembly Core = typeof(StorageSettings).Assembly;
    private static readonly Assembly Web = typeof(AuthorizationPolicyNames).Assembly;

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

        AuthorizationSetup.RolesByPolicy.Keys.Append(AuthorizationPolicyNames.SignedIn).Order(StringComparer.Ordinal).ShouldBe(names);
    }
}
