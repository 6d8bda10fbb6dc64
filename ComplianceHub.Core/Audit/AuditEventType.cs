namespace ComplianceHub.Core.Audit;

/// <summary>
/// Stable numeric audit event codes, in ranges per feature (Archive 1000–1099, Roster 1100–,
/// Policies 1200–, Training 1300–, LegalHolds 1400–, Identity 1500–, Audit 1600–, System 1900–).
/// The numbers are part of the hash-chained record: never renumber or reuse one.
/// </summary>
public enum AuditEventType
{
    // Archive 1000–1099
    ExportImported = 1000,
    ExportRejected = 1001,
    ImportOriginalDownloaded = 1002,
    WebhookDeliveriesProcessed = 1010,
    WebhookDeliveryFailed = 1011,
    WebhookDeliveryRetried = 1012,
    MediaDownloaded = 1013,
    MediaDownloadFailed = 1014,
    MediaDownloadRetried = 1015,
    ArchiveSearched = 1020,
    ConversationOpened = 1021,
    AttachmentOpened = 1022,
    MessageDetailsViewed = 1023,
    SavedSearchSaved = 1024,
    SavedSearchDeleted = 1025,
    SearchIndexRepaired = 1026,
    SearchIndexInconsistent = 1027,

    // Roster 1100–1199
    RosterImported = 1100,
    RosterExported = 1101,
    RosterAlertsRaised = 1102,
    RosterAlertAcknowledged = 1103,
    NumberStatusChanged = 1104,
    RecertificationStarted = 1105,
    RecertificationDecided = 1106,
    OfficialGroupSaved = 1107,
    GroupMembershipChanged = 1108,
    GroupParticipantsImported = 1109,
    ExternalContactSaved = 1110,
    PersonAccountLinked = 1111,
    AuthorizedNumberUpdated = 1112,

    // Policies 1200–1299
    PolicyDraftSaved = 1200,
    PolicyPublished = 1201,
    PolicyRetired = 1202,
    PolicyAcknowledged = 1203,
    PolicyAcknowledgedOnBehalf = 1204,
    PolicyReminderSent = 1205,
    PolicyReceiptDownloaded = 1206,
    PolicyTrackingExported = 1207,

    // Training 1300–1399
    CourseSaved = 1300,
    CourseRetired = 1301,
    TrainingAssigned = 1302,
    TrainingAssignmentWithdrawn = 1303,
    QuizAttempted = 1304,
    TrainingCompleted = 1305,
    TrainingCompletionVoided = 1306,
    TrainingCertificateDownloaded = 1307,
    TrainingCertificateVerified = 1308,
    TrainingReportExported = 1309,
    SeminarScheduled = 1310,
    SeminarCancelled = 1311,
    SeminarEnrolmentChanged = 1312,
    SeminarAttendanceRecorded = 1313,
    QuizRoundGranted = 1314,
    ScormSessionRecorded = 1315,

    // Legal holds 1400–1499
    LegalHoldPlaced = 1400,
    LegalHoldReleased = 1401,
    LegalHoldNoticeIssued = 1402,
    LegalHoldNoticeAcknowledged = 1403,
    ProductionExported = 1410,
    ProductionDownloaded = 1411,
    RetentionRuleSet = 1420,
    RetentionRuleRetired = 1421,
    DispositionDryRun = 1422,
    DispositionRequested = 1423,
    DispositionApproved = 1424,
    DispositionRejected = 1425,
    DispositionCompleted = 1426,
    DispositionSettingsChanged = 1427,

    // Identity 1500–1599
    SignInSucceeded = 1500,
    SignInFailed = 1501,
    AccountLockedOut = 1502,
    SignedOut = 1503,
    TwoFactorSignInFailed = 1504,
    AccessDenied = 1505,
    SignInThrottled = 1506,
    TwoFactorSetupRequired = 1507,
    UserCreated = 1510,
    UserRolesChanged = 1511,
    UserLocked = 1512,
    UserUnlocked = 1513,
    PasswordResetByAdministrator = 1514,
    PasswordChanged = 1515,
    TwoFactorSettingsChanged = 1516,
    UserSelfRegistered = 1517,
    UserProfileChanged = 1518,

    // Audit 1600–1699
    AuditTrailSearched = 1600,
    IntegrityVerified = 1601,

    // System 1900–1999
    DemoDataSeeded = 1900,
    EmailDeliveryFailed = 1910,
    EmailDeliveryRetried = 1911,
    OrphanedFilesRemoved = 1920,
    ArchiveKeyRotated = 1930,
    ArchiveBackedUp = 1931,
    ArchiveRestored = 1932,
}
