using Microsoft.AspNetCore.Identity;

namespace ComplianceHub.Web.Security;

/// <summary>A sign-in attempt refused unchecked because it came before the wait <see cref="ComplianceHub.Core.Identity.SignInThrottle"/> asked for was over.</summary>
public sealed class ThrottledSignInResult(TimeSpan retryAfter) : SignInResult
{
    /// <summary>How long until an attempt will be checked again.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>The wait in words, rounded up: "1 second", "12 seconds", "3 minutes".</summary>
    public string RetryAfterText => RetryAfter.TotalSeconds <= 90
        ? Plural(Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds)), "second")
        : Plural((int)Math.Ceiling(RetryAfter.TotalMinutes), "minute");

    public override string ToString() => "Throttled";

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";
}
