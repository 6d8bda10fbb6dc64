using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Retention;

/// <summary>
/// The disposition settings in force: the latest change made in the portal or on the command line, or before any, the
/// configuration's (<see cref="ChangedBy"/> null).
/// </summary>
public sealed record DispositionSettings(bool Enabled, bool RequireApproval, string? ChangedBy, DateTimeOffset? ChangedAt)
{
    internal static async Task<DispositionSettings> CurrentAsync(ComplianceHubDbContext db, RetentionOptions options, CancellationToken ct)
    {
        var latest = await db.DispositionSettings.AsNoTracking().OrderByDescending(s => s.Id).FirstOrDefaultAsync(ct);
        return latest is null
            ? new DispositionSettings(options.DispositionEnabled, options.RequireApproval, null, null)
            : new DispositionSettings(latest.Enabled, latest.RequireApproval, latest.ChangedBy, latest.ChangedAt);
    }
}
