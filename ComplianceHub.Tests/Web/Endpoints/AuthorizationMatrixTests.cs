using System.Net;
using ComplianceHub.Core.Demo;
using ComplianceHub.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

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
        var routes = AppRoutes.Read(_app.Services);
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
    private static bool Denied(HttpResponseMessage response, AppRoute route, bool signedIn)
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
}
