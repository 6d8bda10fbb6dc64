namespace ComplianceHub.Core.Audit;

/// <summary>Human-readable names and feature groups for <see cref="AuditEventType"/>.</summary>
public static class AuditEventTypeInfo
{
    public static string Describe(AuditEventType type) => type switch
    {
        AuditEventType.ExportImported => "Export imported",
        AuditEventType.ExportRejected => "Export rejected",
        AuditEventType.ImportOriginalDownloaded => "Original export downloaded",
        AuditEventType.WebhookDeliveriesProcessed => "Webhook deliveries archived",
        AuditEventType.WebhookDeliveryFailed => "Webhook delivery failed processing",
        AuditEventType.WebhookDeliveryRetried => "Webhook delivery retried",
        AuditEventType.MediaDownloaded => "Captured media downloaded",
        AuditEventType.MediaDownloadFailed => "Captured media download failed",
        AuditEventType.MediaDownloadRetried => "Captured media download retried",
        AuditEventType.ArchiveSearched => "Archive searched",
        AuditEventType.ConversationOpened => "Conversation opened",
        AuditEventType.AttachmentOpened => "Attachment opened",
        AuditEventType.MessageDetailsViewed => "Message details viewed",
        AuditEventType.SavedSearchSaved => "Saved search saved",
        AuditEventType.SavedSearchDeleted => "Saved search deleted",
        AuditEventType.RosterImported => "Roster imported",
        AuditEventType.RosterExported => "Roster exported",
        AuditEventType.RosterAlertsRaised => "Roster alerts raised",
        AuditEventType.RosterAlertAcknowledged => "Roster alert acknowledged",
        AuditEventType.NumberStatusChanged => "Authorized number status changed",
        AuditEventType.RecertificationStarted => "Re-certification started",
        AuditEventType.RecertificationDecided => "Re-certification decision",
        AuditEventType.OfficialGroupSaved => "Official group saved",
        AuditEventType.GroupMembershipChanged => "Group participant changed",
        AuditEventType.GroupParticipantsImported => "Group participants imported",
        AuditEventType.ExternalContactSaved => "External contact saved",
        AuditEventType.PersonAccountLinked => "Roster person linked to account",
        AuditEventType.AuthorizedNumberUpdated => "Authorized number details changed",
        AuditEventType.PolicyDraftSaved => "Policy draft saved",
        AuditEventType.PolicyPublished => "Policy version published",
        AuditEventType.PolicyRetired => "Policy retired",
        AuditEventType.PolicyAcknowledged => "Policy signed",
        AuditEventType.PolicyAcknowledgedOnBehalf => "Policy signed on an employee's behalf",
        AuditEventType.LegalHoldPlaced => "Legal hold placed",
        AuditEventType.LegalHoldReleased => "Legal hold released",
        AuditEventType.ProductionExported => "Production exported",
        AuditEventType.ProductionDownloaded => "Production downloaded",
        AuditEventType.SignInSucceeded => "Signed in",
        AuditEventType.SignInFailed => "Sign-in failed",
        AuditEventType.AccountLockedOut => "Account locked out",
        AuditEventType.SignedOut => "Signed out",
        AuditEventType.TwoFactorSignInFailed => "Two-factor sign-in failed",
        AuditEventType.AccessDenied => "Access denied",
        AuditEventType.UserCreated => "User created",
        AuditEventType.UserRolesChanged => "User roles changed",
        AuditEventType.UserLocked => "User locked",
        AuditEventType.UserUnlocked => "User unlocked",
        AuditEventType.PasswordResetByAdministrator => "Password reset by administrator",
        AuditEventType.PasswordChanged => "Password changed",
        AuditEventType.TwoFactorSettingsChanged => "Two-factor settings changed",
        AuditEventType.UserSelfRegistered => "User registered",
        AuditEventType.UserProfileChanged => "Profile changed",
        AuditEventType.AuditTrailSearched => "Audit trail searched",
        AuditEventType.IntegrityVerified => "Integrity verified",
        AuditEventType.DemoDataSeeded => "Demo data seeded",
    };

    public static string Feature(AuditEventType type) => (int)type switch
    {
        >= 1000 and < 1100 => "Archive",
        >= 1100 and < 1200 => "Roster",
        >= 1200 and < 1300 => "Policies",
        >= 1300 and < 1400 => "Training",
        >= 1400 and < 1500 => "Legal holds",
        >= 1500 and < 1600 => "Identity",
        >= 1600 and < 1700 => "Audit",
        _ => "System",
    };

    public static IReadOnlyList<AuditEventType> All { get; } = Enum.GetValues<AuditEventType>();
}
