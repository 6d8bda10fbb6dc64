namespace ComplianceHub.Core.Archive;

/// <summary>
/// The firm's own WhatsApp business numbers: the roster does not flag them as unknown senders, and they
/// onboard as business devices. Those configured for capture (<c>WhatsApp:BusinessNumbers</c>) and those
/// the archive recorded when it captured a conversation on them, so every process reading the archive
/// (the portal, the command line with another environment) knows the same numbers.
/// </summary>
public interface IBusinessNumbers
{
    /// <summary>The numbers in E.164.</summary>
    Task<IReadOnlySet<string>> PhonesE164Async(CancellationToken ct = default);
}
