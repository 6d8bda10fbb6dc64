using System.Net;
using ComplianceHub.Core.Demo;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Tests.Web.Endpoints;

/// <summary>
/// Every page and endpoint the app maps, from its own route table, requested as an anonymous caller and as each role:
/// the answer must match what its authorization metadata says (a named policy's roles, signed-in only, or anonymous),
/// and the whole matrix must equal the reviewed one in <c>authorization-matrix.txt</c>. A page or endpoint added later,
/// or one whose policy changes, changes the matrix: the test fails until the file is updated (the new matrix is written
/// beside it as <c>.received.txt</c>), so who may use what is a reviewed decision.
/// </summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime
{
    private readonly ComplianceHubWebFactory _app = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task EveryRouteAgainstAnonymousAndEachRole_IsAllowedOrDeniedAsItsMetadataSays()
    {
        var ct = TestContext.Current.CancellationToken;
        var routes = Routes();
        routes.Count.ShouldBeGreaterThan(40);
        var callers = new List<(string Name, string? Role, HttpClient Client)> { ("anonymous", null, Client()) };
        foreach (var account in DemoAccounts.All)
        {
            var client = Client();
            (await WebSignIn.SignInAsync(client, account.Email)).StatusCode.ShouldBe(HttpStatusCode.Redirect, account.Email);
            callers.Add((account.Email, account.Role, client));
        }

        var wrong = new List<string>();
        var matrix = new List<string>();
        var checks = 0;
        foreach (var route in routes.OrderBy(r => r.Pattern, StringComparer.Ordinal))
        {
            var row = new List<string>();
            foreach (var (name, role, client) in callers)
            {
                var allowed = route.Anonymous || (role is not null && (route.Roles is null || route.Roles.Contains(role)));
                using var response = await client.GetAsync(route.Path, ct);
                var denied = Denied(response, route, signedIn: role is not null);
                row.Add($"{role ?? "anonymous"}:{(denied ? "deny" : "allow")}");
                checks++;
                if (denied == allowed)
                {
                    wrong.Add($"{route.Path} ({route.Pattern}) as {name}: expected {(allowed ? "allowed" : "denied")}, got {(int)response.StatusCode} {response.Headers.Location}");
                }
            }

            matrix.Add($"{route.Pattern} {string.Join(' ', row)}");
        }

        TestContext.Current.SendDiagnosticMessage($"authorization matrix: {routes.Count} routes × {callers.Count} callers = {checks} checks");
        wrong.ShouldBeEmpty();
        var reviewed = Path.Combine(SourceDirectory(), "authorization-matrix.txt");
        var actual = string.Join('\n', matrix) + "\n";
        if (!File.Exists(reviewed) || await File.ReadAllTextAsync(reviewed, ct) != actual)
        {
            await File.WriteAllTextAsync(Path.ChangeExtension(reviewed, ".received.txt"), actual, ct);
            actual.ShouldBe(File.Exists(reviewed) ? await File.ReadAllTextAsync(reviewed, ct) : "",
                $"who may use which page or endpoint changed; review {Path.ChangeExtension(reviewed, ".received.txt")} and copy it over {reviewed}");
        }
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private HttpClient Client() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>
    /// Refused by authorization: sent to sign in when anonymous, or to access denied when signed in, with this route to
    /// return to (the cookie handler's challenge and forbid); or 401/403 from a route that does not admit everyone (a
    /// route open to all may answer 403 for its own reasons, as the webhook's handshake does without its token).
    /// </summary>
    private static bool Denied(HttpResponseMessage response, Route route, bool signedIn)
    {
        if (response.Headers.Location is { } location)
        {
            var target = new Uri(new Uri("http://localhost/"), location);
            var returnUrl = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(target.Query).TryGetValue("ReturnUrl", out var value) ? value.ToString() : null;
            return target.AbsolutePath.Equals(signedIn ? "/Account/AccessDenied" : "/Account/Login", StringComparison.OrdinalIgnoreCase)
                && returnUrl is not null && returnUrl.StartsWith(route.Path, StringComparison.OrdinalIgnoreCase);
        }

        return !route.Anonymous && response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
    }

    private sealed record Route(string Pattern, string Path, bool Anonymous, IReadOnlySet<string>? Roles);

    /// <summary>Every GET route the app maps (pages and endpoints), with a value for each parameter, and who its metadata admits.</summary>
    private List<Route> Routes()
    {
        var sources = _app.Services.GetRequiredService<EndpointDataSource>();
        var routes = new List<Route>();
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
                routes.Add(new Route(pattern, path, anonymous, roles));
            }
        }

        return routes;
    }
}
