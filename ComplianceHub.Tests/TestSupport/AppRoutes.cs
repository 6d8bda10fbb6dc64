using ComplianceHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Tests.TestSupport;

/// <summary>A GET route the app maps, with a path to request it by, whom its metadata admits (null roles: any signed-in account), and whether it is a page (a Razor component) rather than an endpoint.</summary>
public sealed record AppRoute(string Pattern, string Path, bool Anonymous, IReadOnlySet<string>? Roles, bool IsPage);

/// <summary>The app's own route table, as the authorization matrix and the page sweep under the browser read it.</summary>
public static class AppRoutes
{
    /// <summary>Every GET route the app maps (pages and endpoints), with a value for each parameter, and who its metadata admits.</summary>
    public static List<AppRoute> Read(IServiceProvider services)
    {
        var sources = services.GetRequiredService<EndpointDataSource>();
        var routes = new List<AppRoute>();
        foreach (var endpoint in sources.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            if ((methods is not null && !methods.Contains(HttpMethods.Get)) || pattern.StartsWith("/_", StringComparison.Ordinal)
                || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is not null)
            {
                continue;
            }

            var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternParameterPart parameter => parameter.ParameterPolicies.Any(p => p.Content is "long" or "int") || parameter.Name.EndsWith("id", StringComparison.OrdinalIgnoreCase) ? "1" : "x",
                RoutePatternSeparatorPart separator => separator.Content,
                _ => "",
            }))));
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToList();
            IReadOnlySet<string>? roles = null; // signed in, any role
            foreach (var policy in policies.Where(p => p is not (AuthorizationPolicyNames.SignedIn or AuthorizationPolicyNames.AccountSetup)))
            {
                var admitted = AuthorizationSetup.RolesByPolicy[policy].ToHashSet(StringComparer.Ordinal);
                roles = roles is null ? admitted : roles.Intersect(admitted, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
            }

            if (routes.All(r => r.Path != path))
            {
                routes.Add(new AppRoute(pattern, path, anonymous, roles, endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null));
            }
        }

        return routes;
    }
}
