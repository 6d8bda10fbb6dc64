using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Archive.Capture;

/// <summary>The business numbers of <see cref="WhatsAppOptions.BusinessNumbers"/>, following configuration changes.</summary>
internal sealed class ConfiguredBusinessNumbers(IOptionsMonitor<WhatsAppOptions> options) : IBusinessNumbers
{
    public IReadOnlySet<string> PhonesE164 => options.CurrentValue.BusinessPhonesE164();
}
