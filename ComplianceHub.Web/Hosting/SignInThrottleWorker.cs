using ComplianceHub.Core.Identity;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Writes the sign-in attempts <see cref="SignInThrottle"/> refused to the audit trail every few seconds, one event per
/// client address and e-mail address, and what is left when the portal stops.
/// </summary>
internal sealed class SignInThrottleWorker(SignInThrottle throttle, ILogger<SignInThrottleWorker> logger) : RecurringWorker(logger)
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    protected override async Task PassAsync(CancellationToken ct)
    {
        await FlushAsync(ct);
        await Task.Delay(Every, ct);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(CancellationToken.None);
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        if (await throttle.FlushAsync(ct) is > 0 and var refused)
        {
            logger.LogWarning("Refused {Count} sign-in attempt(s) made before their wait was over; see the audit trail", refused);
        }
    }
}
