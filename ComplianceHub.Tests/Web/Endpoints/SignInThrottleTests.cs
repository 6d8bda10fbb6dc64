using System.Diagnostics;
using System.Net;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Identity;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ComplianceHub.Tests.Web.Endpoints;

/// <summary>
/// Sign-in under attack, over HTTP on Kestrel behind a configured proxy (so each request can come from the client address
/// its X-Forwarded-For names), with the portal's clock in the test's hands: guesses from one address and at one account
/// are slowed down progressively, never by locking the account; every checked failure and every refused attempt reaches
/// the audit trail; and unknown e-mail addresses take as long to refuse as known ones.
/// </summary>
public sealed class SignInThrottleTests
{
    private const string Employee = "employee@example.com";
    private const string Officer = "officer@example.com";

    private static readonly Dictionary<string, string?> BehindProxy = new() { ["ReverseProxy:KnownProxies"] = "127.0.0.1, ::1" };

    [Fact]
    public async Task SixtyWrongPasswordsFromOneAddress_TenAreChecked_TheRestWait_AndEveryAttemptIsAudited()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = Start(clock);
        const string attacker = "198.51.100.20";

        // A spray: one guess at each of sixty addresses, known ones among them, so that only the address's count grows.
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 60; i++)
        {
            var email = i % 10 == 0 ? Employee : $"nobody{i}@example.com";
            answers.Add((await AttemptAsync(app, attacker, email, "Wrong-Password-1!")).Status);
        }

        answers.Take(10).ShouldAllBe(s => s == HttpStatusCode.OK);
        answers.Skip(10).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);

        // Another address is not held up by this one; this one may try again after a second, and then waits two.
        (await AttemptAsync(app, "198.51.100.21", "nobody@example.com", "Wrong-Password-1!")).Status.ShouldBe(HttpStatusCode.OK);
        var refused = await AttemptAsync(app, attacker, "nobody@example.com", "Wrong-Password-1!");
        refused.Html.ShouldContain("Wait 1 second before trying again");
        clock.Advance(TimeSpan.FromSeconds(1));
        (await AttemptAsync(app, attacker, "nobody@example.com", "Wrong-Password-1!")).Status.ShouldBe(HttpStatusCode.OK);
        clock.Advance(TimeSpan.FromSeconds(1.5));
        var second = await AttemptAsync(app, attacker, Officer, DemoAccounts.Password);
        second.Status.ShouldBe(HttpStatusCode.TooManyRequests, "even the right password waits: the address has not waited long enough");
        second.RetryAfter.ShouldBe(TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(0.5));
        (await AttemptAsync(app, attacker, Officer, DemoAccounts.Password)).Status.ShouldBe(HttpStatusCode.Redirect);

        // What the portal's own worker has not yet written is written now.
        await app.Services.GetRequiredService<SignInThrottle>().FlushAsync(TestContext.Current.CancellationToken);
        await using var db = await app.CreateDbContextAsync();
        var fromAttacker = await db.AuditEvents.Where(e => e.IpAddress == attacker).ToListAsync(TestContext.Current.CancellationToken);
        fromAttacker.Count(e => e.Type == AuditEventType.SignInFailed).ShouldBe(11);
        fromAttacker.Count(e => e.Type == AuditEventType.SignInSucceeded).ShouldBe(1);
        var summaries = fromAttacker.Where(e => e.Type == AuditEventType.SignInThrottled).ToList();
        summaries.Sum(e => System.Text.Json.JsonDocument.Parse(e.Details!).RootElement.GetProperty("refused").GetInt32()).ShouldBe(52);
        summaries.ShouldContain(e => e.ActorName == Officer);
    }

    [Fact]
    public async Task GuessingAtOneAccount_FromManyAddresses_SlowsItDown_ButNeverLocksItsOwnerOut()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var app = Start(clock);
        var address = 0;
        string NextAddress() => $"203.0.113.{++address}";

        for (var i = 0; i < 5; i++)
        {
            (await AttemptAsync(app, NextAddress(), Employee, "Wrong-Password-1!")).Html.ShouldContain("not right");
        }

        // Past the five free failures, each guess waits twice as long as the one before, up to a minute.
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 9; i++)
        {
            var refused = await AttemptAsync(app, NextAddress(), Employee, "Wrong-Password-1!");
            refused.Status.ShouldBe(HttpStatusCode.TooManyRequests);
            waits.Add(refused.RetryAfter!.Value);
            clock.Advance(refused.RetryAfter.Value);
            (await AttemptAsync(app, NextAddress(), Employee, "Wrong-Password-1!")).Html.ShouldContain("not right");
        }

        waits.Select(w => (int)w.TotalSeconds).ShouldBe([1, 2, 4, 8, 16, 32, 60, 60, 60]);

        // Its owner, from their own address, waits at most that minute; the account is never locked.
        var owner = await AttemptAsync(app, "192.0.2.50", Employee, DemoAccounts.Password);
        owner.Status.ShouldBe(HttpStatusCode.TooManyRequests);
        owner.Html.ShouldContain("Wait 60 seconds before trying again");
        clock.Advance(owner.RetryAfter!.Value);
        (await AttemptAsync(app, "192.0.2.50", Employee, DemoAccounts.Password)).Status.ShouldBe(HttpStatusCode.Redirect);

        await using var db = await app.CreateDbContextAsync();
        var user = await db.Users.SingleAsync(u => u.UserName == Employee, TestContext.Current.CancellationToken);
        user.LockoutEnd.ShouldBeNull();
        (await db.AuditEvents.CountAsync(e => e.ActorName == Employee && e.Type == AuditEventType.SignInFailed, TestContext.Current.CancellationToken)).ShouldBe(14);
        (await db.AuditEvents.AnyAsync(e => e.Type == AuditEventType.AccountLockedOut, TestContext.Current.CancellationToken)).ShouldBeFalse();

        // A success clears the account's count: the next mistake is free again.
        (await AttemptAsync(app, "192.0.2.50", Employee, "Wrong-Password-1!")).Html.ShouldContain("not right");
    }

    [Fact]
    public async Task AnUnknownEmailAddress_TakesAsLongToRefuseAsAKnownOne()
    {
        await using var app = Start(TimeProvider.System, new() { ["SignIn:FreeFailuresPerAddress"] = "1000", ["SignIn:FreeFailuresPerAccount"] = "1000" });
        await AttemptAsync(app, "192.0.2.1", "warm-up@example.com", "Wrong-Password-1!");

        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            known.Add((await AttemptAsync(app, "192.0.2.2", "hr@example.com", "Wrong-Password-1!")).Elapsed.TotalMilliseconds);
            unknown.Add((await AttemptAsync(app, "192.0.2.2", $"no-account-{i}@example.com", "Wrong-Password-1!")).Elapsed.TotalMilliseconds);
        }

        // Before, an unknown address was refused in about a twentieth of the time (no password hashed).
        var (knownMedian, unknownMedian) = (known.Order().ElementAt(4), unknown.Order().ElementAt(4));
        TestContext.Current.SendDiagnosticMessage($"Refusing a known e-mail address: median {knownMedian:F0} ms; an unknown one: {unknownMedian:F0} ms");
        unknownMedian.ShouldBeGreaterThan(knownMedian * 0.6, $"known {knownMedian:F0} ms, unknown {unknownMedian:F0} ms");
    }

    private static ComplianceHubWebFactory Start(TimeProvider clock, Dictionary<string, string?>? settings = null)
    {
        var app = new ComplianceHubWebFactory(
            settings: new Dictionary<string, string?>(BehindProxy.Concat(settings ?? [])),
            services: services => services.AddSingleton(clock));
        app.StartKestrel();
        return app;
    }

    /// <summary>One sign-in from <paramref name="address"/>: the form fetched, then posted; the post's answer and how long it took.</summary>
    private static async Task<Attempt> AttemptAsync(ComplianceHubWebFactory app, string address, string email, string password)
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        var form = await http.GetStringAsync("/Account/Login", ct);
        var watch = Stopwatch.StartNew();
        using var answer = await http.PostAsync("/Account/Login", new FormUrlEncodedContent(WebSignIn.LoginFields(form, email, password)), ct);
        var html = await answer.Content.ReadAsStringAsync(ct);
        watch.Stop();
        return new Attempt(answer.StatusCode, html, answer.Headers.RetryAfter?.Delta, watch.Elapsed);
    }

    private sealed record Attempt(HttpStatusCode Status, string Html, TimeSpan? RetryAfter, TimeSpan Elapsed);
}
