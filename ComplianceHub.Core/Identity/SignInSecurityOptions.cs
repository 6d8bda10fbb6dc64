using System.ComponentModel.DataAnnotations;

namespace ComplianceHub.Core.Identity;

/// <summary>
/// How sign-in defends itself, bound from the configuration section <c>SignIn</c> (environment variables such as
/// <c>SignIn__RequireTwoFactor</c>). See <see cref="SignInThrottle"/> for what the throttle settings mean.
/// </summary>
public sealed class SignInSecurityOptions
{
    public const string SectionName = "SignIn";

    /// <summary>
    /// Administrators and compliance officers must sign in with a second factor: one who has not set up an
    /// authenticator app is sent to set it up after the password, and can use nothing else until it is done.
    /// </summary>
    public bool RequireTwoFactor { get; set; }

    /// <summary>Failed sign-ins from one client address, within <see cref="ForgetAfter"/> of each other, before each further one waits.</summary>
    [Range(1, 10_000)]
    public int FreeFailuresPerAddress { get; set; } = 10;

    /// <summary>Failed sign-ins for one e-mail address (whether or not it has an account) before each further one waits.</summary>
    [Range(1, 10_000)]
    public int FreeFailuresPerAccount { get; set; } = 5;

    /// <summary>The longest wait one client address is made to keep between attempts.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxDelayPerAddress { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The longest wait an account's attempts are made to keep. Short on purpose: whoever guesses at an account can
    /// delay its owner by this much at most, never lock them out, while guesses are held to one per this period.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxDelayPerAccount { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failures are forgotten once none has followed for this long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromMinutes(30);
}
