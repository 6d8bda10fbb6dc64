namespace ComplianceHub.Core.Archive;

/// <summary>
/// The firm's own WhatsApp business numbers, the ones live capture receives for: the roster does not
/// flag them as unknown senders, and they onboard as business devices. Configured for capture
/// (<c>WhatsApp:BusinessNumbers</c>); features above the archive read them here.
/// </summary>
public interface IBusinessNumbers
{
    /// <summary>The numbers in E.164, as configured now.</summary>
    IReadOnlySet<string> PhonesE164 { get; }
}
