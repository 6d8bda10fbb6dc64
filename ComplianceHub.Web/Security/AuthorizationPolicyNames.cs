namespace ComplianceHub.Web.Security;

/// <summary>
/// One policy per area of the portal. Pages and endpoints name one of these; the navigation shows an
/// area only to those its policy admits. (Not "Policies": that name belongs to the feature.)
/// </summary>
public static class AuthorizationPolicyNames
{
    /// <summary>Any signed-in account: dashboard, My compliance.</summary>
    public const string SignedIn = nameof(SignedIn);

    /// <summary>
    /// One's own account settings and signing out: any signed-in account, even one that still owes the two-factor
    /// set-up its role requires (every other policy waits for that).
    /// </summary>
    public const string AccountSetup = nameof(AccountSetup);

    /// <summary>Browse and search the archive: compliance officers, auditors (read-only), administrators.</summary>
    public const string ArchiveRead = nameof(ArchiveRead);

    /// <summary>Import into the archive: compliance officers and administrators.</summary>
    public const string ArchiveImport = nameof(ArchiveImport);

    /// <summary>The roster of authorized users: compliance officers, administrators; HR may view.</summary>
    public const string RosterRead = nameof(RosterRead);

    /// <summary>Changing the roster (CSV onboarding, statuses): compliance officers and administrators.</summary>
    public const string RosterManage = nameof(RosterManage);

    /// <summary>Messaging policy documents: compliance officers, administrators; HR may view.</summary>
    public const string PoliciesRead = nameof(PoliciesRead);

    /// <summary>Write, publish and retire policy versions: compliance officers and administrators.</summary>
    public const string PoliciesManage = nameof(PoliciesManage);

    /// <summary>Remind people of policies they owe and record a signature on someone's behalf: compliance officers and HR.</summary>
    public const string PoliciesTrack = nameof(PoliciesTrack);

    /// <summary>Training assignments and completion: HR, compliance officers, administrators.</summary>
    public const string TrainingRead = nameof(TrainingRead);

    /// <summary>Write courses, assign them, record and void completions: HR and compliance officers.</summary>
    public const string TrainingManage = nameof(TrainingManage);

    /// <summary>Legal holds: compliance officers, administrators; auditors read-only.</summary>
    public const string LegalHoldsRead = nameof(LegalHoldsRead);

    /// <summary>Place and release legal holds: compliance officers, administrators.</summary>
    public const string LegalHoldsManage = nameof(LegalHoldsManage);

    /// <summary>Set and retire retention rules, run a disposition's dry run: compliance officers (everyone who reads legal holds sees the rules).</summary>
    public const string RetentionManage = nameof(RetentionManage);

    /// <summary>The audit trail: compliance officers and auditors.</summary>
    public const string AuditRead = nameof(AuditRead);

    /// <summary>User accounts and system settings: administrators.</summary>
    public const string Administration = nameof(Administration);
}
