using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;

namespace ComplianceHub.Tests.Core.Identity;

/// <summary>
/// The throttle's memory, with its clock in the test's hands (its delays, over HTTP, are in the web endpoint tests):
/// what it forgets, and what a success clears.
/// </summary>
public sealed class SignInThrottleTests
{
    [Fact]
    public async Task Failures_AreForgottenAfterQuiet_AndASuccessClearsTheAccountButNotTheAddress()
    {
        await using var host = await TestHost.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["SignIn:FreeFailuresPerAddress"] = "3",
            ["SignIn:FreeFailuresPerAccount"] = "2",
            ["SignIn:ForgetAfter"] = "00:10:00",
        });
        var throttle = host.Get<SignInThrottle>();

        throttle.Failed("192.0.2.1", "ann@example.com");
        throttle.Failed("192.0.2.1", "ANN@example.com ");
        throttle.WaitBeforeAttempt("192.0.2.9", "ann@example.com").ShouldBe(TimeSpan.FromSeconds(1), "the account's count ignores case and spaces");
        throttle.WaitBeforeAttempt("192.0.2.1", "bob@example.com").ShouldBeNull();

        throttle.Succeeded("ann@example.com");
        throttle.WaitBeforeAttempt("192.0.2.9", "ann@example.com").ShouldBeNull();
        throttle.Failed("192.0.2.1", "bob@example.com");
        throttle.WaitBeforeAttempt("192.0.2.1", "carol@example.com").ShouldBe(TimeSpan.FromSeconds(1), "the address keeps its three failures");

        host.Clock.Advance(TimeSpan.FromMinutes(10));
        throttle.WaitBeforeAttempt("192.0.2.1", "bob@example.com").ShouldBeNull();
        throttle.Failed("192.0.2.1", "bob@example.com");
        throttle.WaitBeforeAttempt("192.0.2.1", "bob@example.com").ShouldBeNull("after ten quiet minutes the count starts again");
    }
}
