using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.HoldNotices;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Notifications;
using ComplianceHub.Core.Policies;
using ComplianceHub.Core.Retention;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Search;
using ComplianceHub.Core.Training;
using ComplianceHub.Core.Training.Scorm;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ComplianceHub.Core.Storage;

/// <summary>
/// The whole provider-agnostic model. Each provider has a subclass holding its own migrations and
/// provider-specific pieces; services receive it as <c>IDbContextFactory&lt;ComplianceHubDbContext&gt;</c>.
/// </summary>
/// <remarks>
/// Every model change gets two migrations, added in the same commit:
/// <code>
/// dotnet ef migrations add &lt;Name&gt; --project ComplianceHub.Core --startup-project ComplianceHub.Web \
///   --context SqliteComplianceHubDbContext --output-dir Storage/Migrations/Sqlite
/// dotnet ef migrations add &lt;Name&gt; --project ComplianceHub.Core --startup-project ComplianceHub.Web \
///   --context PostgresComplianceHubDbContext --output-dir Storage/Migrations/Postgres
/// </code>
/// </remarks>
public abstract class ComplianceHubDbContext(DbContextOptions options) : IdentityDbContext<ApplicationUser>(options)
{
    // Archive
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<ConversationCustodian> ConversationCustodians => Set<ConversationCustodian>();
    public DbSet<ChatParticipant> ChatParticipants => Set<ChatParticipant>();
    public DbSet<ChatMessage> ChatMessages => Set<ChatMessage>();
    public DbSet<ChatAttachment> ChatAttachments => Set<ChatAttachment>();
    public DbSet<MessageTombstone> MessageTombstones => Set<MessageTombstone>();
    public DbSet<ImportBatch> ImportBatches => Set<ImportBatch>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<ComplianceHub.Core.Integrity.IntegrityCheckpoint> IntegrityCheckpoints => Set<ComplianceHub.Core.Integrity.IntegrityCheckpoint>();
    public DbSet<WebhookRejection> WebhookRejections => Set<WebhookRejection>();
    public DbSet<MessageStatusEvent> MessageStatusEvents => Set<MessageStatusEvent>();
    public DbSet<MessageExportSource> MessageExportSources => Set<MessageExportSource>();
    public DbSet<MediaDownload> MediaDownloads => Set<MediaDownload>();
    public DbSet<SavedSearch> SavedSearches => Set<SavedSearch>();

    // Roster
    public DbSet<Person> People => Set<Person>();
    public DbSet<AuthorizedNumber> AuthorizedNumbers => Set<AuthorizedNumber>();
    public DbSet<NumberStatusChange> NumberStatusChanges => Set<NumberStatusChange>();
    public DbSet<RosterAlert> RosterAlerts => Set<RosterAlert>();
    public DbSet<RecertificationCampaign> RecertificationCampaigns => Set<RecertificationCampaign>();
    public DbSet<RecertificationReview> RecertificationReviews => Set<RecertificationReview>();
    public DbSet<OfficialGroup> OfficialGroups => Set<OfficialGroup>();
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();

    // Legal holds
    public DbSet<LegalHold> LegalHolds => Set<LegalHold>();
    public DbSet<LegalHoldConversation> LegalHoldConversations => Set<LegalHoldConversation>();
    public DbSet<LegalHoldCustodian> LegalHoldCustodians => Set<LegalHoldCustodian>();
    public DbSet<RetentionRule> RetentionRules => Set<RetentionRule>();
    public DbSet<HoldNotice> HoldNotices => Set<HoldNotice>();
    public DbSet<HoldNoticeRecipient> HoldNoticeRecipients => Set<HoldNoticeRecipient>();
    public DbSet<HoldNoticeAcknowledgement> HoldNoticeAcknowledgements => Set<HoldNoticeAcknowledgement>();
    public DbSet<DispositionRun> DispositionRuns => Set<DispositionRun>();
    public DbSet<DispositionItem> DispositionItems => Set<DispositionItem>();
    public DbSet<DispositionBlob> DispositionBlobs => Set<DispositionBlob>();
    public DbSet<DispositionSetting> DispositionSettings => Set<DispositionSetting>();
    public DbSet<PolicyDocument> PolicyDocuments => Set<PolicyDocument>();
    public DbSet<PolicyVersion> PolicyVersions => Set<PolicyVersion>();
    public DbSet<PolicyAcknowledgement> PolicyAcknowledgements => Set<PolicyAcknowledgement>();

    // Training
    public DbSet<Course> Courses => Set<Course>();
    public DbSet<CoursePage> CoursePages => Set<CoursePage>();
    public DbSet<QuizQuestion> QuizQuestions => Set<QuizQuestion>();
    public DbSet<TrainingAssignment> TrainingAssignments => Set<TrainingAssignment>();
    public DbSet<TrainingCompletion> TrainingCompletions => Set<TrainingCompletion>();
    public DbSet<TrainingCompletionVoid> TrainingCompletionVoids => Set<TrainingCompletionVoid>();
    public DbSet<QuizAttempt> QuizAttempts => Set<QuizAttempt>();
    public DbSet<Seminar> Seminars => Set<Seminar>();
    public DbSet<SeminarEnrolment> SeminarEnrolments => Set<SeminarEnrolment>();
    public DbSet<CourseFile> CourseFiles => Set<CourseFile>();
    public DbSet<QuizRoundGrant> QuizRoundGrants => Set<QuizRoundGrant>();
    public DbSet<ScormPackage> ScormPackages => Set<ScormPackage>();
    public DbSet<ScormAttempt> ScormAttempts => Set<ScormAttempt>();

    // Notifications
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<EmailDelivery> EmailDeliveries => Set<EmailDelivery>();

    // Productions
    public DbSet<ExportJob> ExportJobs => Set<ExportJob>();

    // Audit
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ComplianceHubDbContext).Assembly);

        // ArchiveVisibility: an import's messages are seen only once it has completed.
        // Written as NOT IN over the running batches, which the database reads once per query, not once per row.
        builder.Entity<ChatMessage>().HasQueryFilter(m => m.ImportBatchId == null
            || !ImportBatches.Where(b => b.CompletedAt == null).Select(b => (long?)b.Id).Contains(m.ImportBatchId));
        builder.Entity<MessageExportSource>().HasQueryFilter(s => !ImportBatches.Where(b => b.CompletedAt == null).Select(b => b.Id).Contains(s.ImportBatchId));
    }

    /// <summary>
    /// Serialises writers of the audit chain until the current transaction ends. Called inside the
    /// transaction, before the chain head is read.
    /// </summary>
    protected abstract Task LockAuditChainAsync(CancellationToken ct);

    /// <summary>
    /// Serialises writers of archive messages (imports and webhook processors, on every host sharing a
    /// PostgreSQL database) until the current transaction ends, so two never append to one conversation's
    /// chain or take the same search key at once. Re-entrant within a transaction. SQLite's single write
    /// lock already does this.
    /// </summary>
    internal abstract Task LockArchiveWritesAsync(CancellationToken ct);

    /// <summary>An instant as a parameter of hand-written SQL compares with the provider's stored instants (Unix milliseconds on SQLite).</summary>
    internal abstract object InstantParameter(DateTimeOffset value);

    /// <summary>
    /// Readies this context's connection, before a disposition removes anything on it, to leave nothing of what it removes
    /// in the database's free space (SQLite: <c>secure_delete</c>, freed content overwritten with zeros).
    /// </summary>
    internal virtual Task PrepareRemovalAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// After a disposition: makes what it removed unrecoverable from the database's files (SQLite: the write-ahead log, which
    /// still holds the pages as they were, checkpointed and truncated; PostgreSQL: the tables vacuumed, dead rows pruned).
    /// Returns what was done, for the run's log.
    /// </summary>
    internal abstract Task<string> PurgeRemovedAsync(CancellationToken ct);

    /// <summary>Audit events recorded in this unit of work, sealed into the chain by the next save.</summary>
    private readonly List<AuditEvent> _pendingAuditEvents = [];

    /// <summary>Queues an event for the next save (see <see cref="AuditLog.Record"/>).</summary>
    internal void EnqueueAuditEvent(AuditEvent auditEvent) => _pendingAuditEvents.Add(auditEvent);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAppendOnly();
        if (_pendingAuditEvents.Count > 0)
        {
            // Sealing reads the chain head under a lock; only the async path does that.
            throw new InvalidOperationException("Audit events are saved with SaveChangesAsync.");
        }

        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>This context's saves run inside a write turn its owner holds (<see cref="WriteTurns"/>), so they take none of their own.</summary>
    internal bool HoldsWriteTurn { get; set; }

    /// <summary>Whether saves queue for the process's write turn: SQLite, whose single write lock is otherwise taken by polling.</summary>
    protected virtual bool SavesTakeWriteTurn => false;

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        WriteContention.Enter();
        IDisposable? turn = null;
        try
        {
            // Inside an explicit transaction the database lock may be held already: waiting for a turn then could
            // deadlock with a turn holder waiting for that lock.
            if (SavesTakeWriteTurn && !HoldsWriteTurn && Database.CurrentTransaction is null
                && this.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService(typeof(WriteTurns)) is WriteTurns turns)
            {
                turn = await turns.EnterAsync(cancellationToken);
            }

            return await SaveAndSealAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            turn?.Dispose();
            WriteContention.Exit();
        }
    }

    private async Task<int> SaveAndSealAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        GuardAppendOnly();
        if (_pendingAuditEvents.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        var ownTransaction = Database.CurrentTransaction is null
            ? await Database.BeginTransactionAsync(cancellationToken)
            : null;
        var pending = _pendingAuditEvents.ToList();
        _pendingAuditEvents.Clear();
        try
        {
            await LockAuditChainAsync(cancellationToken);
            var head = await AuditEvents.AsNoTracking()
                .OrderByDescending(e => e.Id)
                .Select(e => new { e.Id, e.Hash })
                .FirstOrDefaultAsync(cancellationToken);

            var id = head?.Id ?? 0;
            var previousHash = head?.Hash ?? AuditEvent.GenesisHash;
            foreach (var auditEvent in pending)
            {
                auditEvent.Seal(++id, previousHash);
                previousHash = auditEvent.Hash;
            }

            AuditEvents.AddRange(pending);
            var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }

            return written;
        }
        catch
        {
            // The unit of work failed: its audit records must not linger, sealed at positions now taken.
            foreach (var auditEvent in pending)
            {
                Entry(auditEvent).State = EntityState.Detached;
            }

            throw;
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }

    private void GuardAppendOnly()
    {
        foreach (var entry in ChangeTracker.Entries<IAppendOnly>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException(
                    $"{entry.Entity.GetType().Name} cannot be {entry.State.ToString().ToLowerInvariant()}: its rows are append-only.");
            }
        }

        foreach (var entry in ChangeTracker.Entries<AuditEvent>())
        {
            if (entry.State == EntityState.Added && !entry.Entity.IsSealed)
            {
                throw new InvalidOperationException("Audit events are written through AuditLog.Record, which chains them.");
            }
        }
    }
}
