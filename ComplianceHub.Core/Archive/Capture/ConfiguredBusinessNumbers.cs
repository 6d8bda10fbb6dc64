using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Archive.Capture;

/// <summary>The business numbers of <see cref="WhatsAppOptions.BusinessNumbers"/> (following configuration changes) and those recorded on captured conversations.</summary>
internal sealed class ConfiguredBusinessNumbers(IOptionsMonitor<WhatsAppOptions> options, IDbContextFactory<ComplianceHubDbContext> dbFactory) : IBusinessNumbers
{
    public async Task<IReadOnlySet<string>> PhonesE164Async(CancellationToken ct = default)
    {
        var phones = new HashSet<string>(options.CurrentValue.BusinessPhonesE164(), StringComparer.Ordinal);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        phones.UnionWith(await db.Conversations.AsNoTracking().Where(c => c.BusinessPhoneE164 != null)
            .Select(c => c.BusinessPhoneE164!).Distinct().ToListAsync(ct));
        return phones;
    }
}
