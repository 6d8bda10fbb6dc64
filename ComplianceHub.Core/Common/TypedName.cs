using System.Text;

namespace ComplianceHub.Core.Common;

/// <summary>A name typed as a signature (a policy's, a hold notice's), compared with the signer's profile name.</summary>
public static class TypedName
{
    /// <summary>The same name ignoring case, accents' composition and runs of spaces.</summary>
    public static bool Matches(string typed, string profile)
    {
        static string Normal(string s) => string.Join(' ', s.Normalize(NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return profile.Length > 0 && string.Equals(Normal(typed), Normal(profile), StringComparison.OrdinalIgnoreCase);
    }
}
