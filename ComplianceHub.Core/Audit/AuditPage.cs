namespace ComplianceHub.Core.Audit;

/// <summary>One page of audit events, newest first, with the cursor for the next page (null at the end).</summary>
public sealed record AuditPage(IReadOnlyList<AuditEvent> Items, long? NextBeforeId, int TotalCount);
