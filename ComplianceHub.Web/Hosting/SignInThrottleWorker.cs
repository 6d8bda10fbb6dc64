using ComplianceHub.Core.Identity;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Writes the sign-in attempts <see cref="SignInThrottle"/> refused to the audit trail every few seconds, one event per
/// client address and e-mail address, and what is left when the portal stops.
/// </summary>
internal sealed class SignInThrottleWorker(SignInThrottle throttle, ILogger<SignInThrottleWorker> logger) : SummaryWorker(logger)
{
    protected override async Task FlushAsync(CancellationToken ct)
    {
        if (await throttle.FlushAsync(ct) is > 0 and var refused)
        {
            logger.LogWarning("Refused {Count} sign-in attempt(s) made before their wait was over; see the audit trail", refused);
        }
    }
}
