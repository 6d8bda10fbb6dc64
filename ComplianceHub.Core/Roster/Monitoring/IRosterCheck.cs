namespace ComplianceHub.Core.Roster.Monitoring;

/// <summary>
/// One kind of roster finding (like <c>IIntegrityCheck</c> for the chains): given what the roster says
/// and the archive's messages it has not judged yet, the alerts it would raise. Raising each once, the
/// watermarks and the audit are <see cref="RosterMonitor"/>'s.
/// </summary>
public interface IRosterCheck
{
    /// <summary>The check's name in its watermarks (<c>FindingScans</c>).</summary>
    string Name { get; }

    Task<IReadOnlyList<RosterAlert>> FindAsync(RosterScan scan, CancellationToken ct);
}
