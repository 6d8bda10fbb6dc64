namespace ComplianceHub.Core.Dashboard;

/// <summary>The figures on the dashboard's cards. Each feature adds its own.</summary>
public sealed record DashboardSummary(
    int Users,
    int LockedOutUsers,
    int AuditEvents,
    int AuditEventsLast24Hours,
    int FailedSignInsLast24Hours,
    int Conversations,
    int ArchivedMessages,
    DateTimeOffset? LastImportAt);
