using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Notifications;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Policies;

/// <summary>
/// Writing and publishing policies, and employees' signatures. A document has at most one draft and at most one
/// version in force; a published version's content is frozen (refused in code and by database triggers) and hashed.
/// Every change is audited. A signature restores the owner's numbers that lapsed for want of it.
/// </summary>
public sealed class PolicyService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, AuditLog audit, TimeProvider clock, RosterService roster, NotificationService notifications,
    IBlobStore blobs)
{
    /// <summary>Creates a document with its first version as a draft; returns the document's id.</summary>
    public async Task<long> CreateAsync(string title, PolicyDraft draft, AuditActor actor, CancellationToken ct = default)
    {
        title = title.Trim();
        if (title.Length is 0 or > PolicyDocument.MaxTitleLength)
        {
            throw new ComplianceRuleException($"A policy needs a title of 1 to {PolicyDocument.MaxTitleLength} characters.");
        }

        draft.Validate();
        if (await FindAsync(title, ct) is not null)
        {
            throw new ComplianceRuleException($"There is already a policy called \"{title}\".");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var now = clock.GetUtcNow();
        var document = new PolicyDocument(title, actor.Name, now);
        document.Versions.Add(new PolicyVersion(0, 1, draft.Content, draft.Audience, draft.DueDays, draft.ReattestMonths, actor.Name, now)); // its id set on saving
        db.PolicyDocuments.Add(document);
        await db.SaveChangesAsync(ct);
        audit.Record(db, AuditEventType.PolicyDraftSaved, actor, Subject(document.Id), new { title, version = 1, audience = draft.Audience.Describe() });
        await db.SaveChangesAsync(ct);
        return document.Id;
    }

    /// <summary>The id of the document with this title (any case), or null.</summary>
    public async Task<long?> FindAsync(string title, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var trimmed = title.Trim();
        return (await db.PolicyDocuments.AsNoTracking().Select(d => new { d.Id, d.Title }).ToListAsync(ct))
            .FirstOrDefault(d => string.Equals(d.Title, trimmed, StringComparison.OrdinalIgnoreCase))?.Id;
    }

    /// <summary>Saves the document's draft (starting the next version from the one in force when there is none).</summary>
    public async Task<long> SaveDraftAsync(long documentId, PolicyDraft draft, AuditActor actor, CancellationToken ct = default)
    {
        draft.Validate();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var document = await LoadAsync(db, documentId, ct);
        if (document.RetiredAt is not null)
        {
            throw new ComplianceRuleException($"\"{document.Title}\" is retired: it takes no new versions.");
        }

        var now = clock.GetUtcNow();
        var version = document.Versions.SingleOrDefault(v => v.Status == PolicyVersionStatus.Draft);
        if (version is null)
        {
            version = new PolicyVersion(document.Id, document.Versions.Max(v => v.Number) + 1, draft.Content, draft.Audience, draft.DueDays, draft.ReattestMonths,
                actor.Name, now);
            if (document.Versions.SingleOrDefault(v => v.Status == PolicyVersionStatus.Published) is { AttachmentSha256: { } sha } inForce)
            {
                version.Attach(sha, inForce.AttachmentFileName!, inForce.AttachmentLength!.Value, now); // the next version keeps the PDF unless it is removed
            }

            db.PolicyVersions.Add(version);
        }
        else
        {
            version.Edit(draft.Content, draft.Audience, draft.DueDays, draft.ReattestMonths, now);
        }

        audit.Record(db, AuditEventType.PolicyDraftSaved, actor, Subject(document.Id),
            new { title = document.Title, version = version.Number, audience = draft.Audience.Describe() });
        await db.SaveChangesAsync(ct);
        return version.Id;
    }

    public const long MaxAttachmentLength = 25 * 1024 * 1024;

    /// <summary>
    /// Attaches a PDF to the document's draft (replacing any before it): kept in the blob store by its SHA-256, frozen with
    /// the version when it is published, shown to signers and named on their receipts. Audited with the draft.
    /// </summary>
    public async Task AttachPdfAsync(long documentId, Stream pdf, string fileName, AuditActor actor, CancellationToken ct = default)
    {
        fileName = Path.GetFileName(fileName.Trim());
        if (fileName.Length is 0 or > 255 || !fileName.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase))
        {
            throw new ComplianceRuleException("Attach a PDF file (its name ending in .pdf, at most 255 characters).");
        }

        await using var copy = new MemoryStream();
        await pdf.CopyToAsync(copy, ct);
        if (copy.Length > MaxAttachmentLength)
        {
            throw new ComplianceRuleException($"\"{fileName}\" is larger than {ByteSize.Describe(MaxAttachmentLength)}.");
        }

        if (copy.Length < 5 || !copy.GetBuffer().AsSpan(0, 5).SequenceEqual("%PDF-"u8))
        {
            throw new ComplianceRuleException($"\"{fileName}\" is not a PDF: it does not start with %PDF-.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var document = await LoadAsync(db, documentId, ct);
        var draft = document.Versions.SingleOrDefault(v => v.Status == PolicyVersionStatus.Draft)
            ?? throw new ComplianceRuleException($"\"{document.Title}\" has no draft: save one before attaching a PDF.");
        copy.Position = 0;
        var blob = await blobs.PutAsync(copy, ct);
        draft.Attach(blob.Sha256, fileName, blob.Length, clock.GetUtcNow());
        audit.Record(db, AuditEventType.PolicyDraftSaved, actor, Subject(document.Id),
            new { title = document.Title, version = draft.Number, attachment = fileName, attachmentSha256 = blob.Sha256 });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Removes the PDF from the document's draft.</summary>
    public async Task RemovePdfAsync(long documentId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var document = await LoadAsync(db, documentId, ct);
        var draft = document.Versions.SingleOrDefault(v => v.Status == PolicyVersionStatus.Draft && v.AttachmentSha256 != null)
            ?? throw new ComplianceRuleException("The draft has no PDF attached.");
        draft.Detach(clock.GetUtcNow());
        audit.Record(db, AuditEventType.PolicyDraftSaved, actor, Subject(document.Id), new { title = document.Title, version = draft.Number, attachment = (string?)null });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A version's attached PDF (name and content), or null when it has none.</summary>
    public async Task<(string FileName, Stream Content)?> OpenPdfAsync(long versionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await db.PolicyVersions.AsNoTracking().Where(v => v.Id == versionId && v.AttachmentSha256 != null)
            .Select(v => new { v.AttachmentSha256, v.AttachmentFileName }).SingleOrDefaultAsync(ct);
        return version is null || await blobs.OpenReadAsync(version.AttachmentSha256!, ct) is not { } stream
            ? null
            : (version.AttachmentFileName!, stream);
    }

    /// <summary>
    /// Publishes the document's draft: its content frozen and hashed, in force from now, the version before it
    /// superseded. A version after the first needs a summary of its changes and says whether it is material (everyone
    /// signs again).
    /// </summary>
    public async Task<PolicyVersion> PublishAsync(long documentId, string? changeSummary, bool material, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var document = await LoadAsync(db, documentId, ct);
        var draft = document.Versions.SingleOrDefault(v => v.Status == PolicyVersionStatus.Draft)
            ?? throw new ComplianceRuleException($"\"{document.Title}\" has no draft to publish.");
        var current = document.Versions.SingleOrDefault(v => v.Status == PolicyVersionStatus.Published);
        changeSummary = string.IsNullOrWhiteSpace(changeSummary) ? null : changeSummary.Trim();
        if (current is not null && changeSummary is null)
        {
            throw new ComplianceRuleException("Publishing a new version needs a summary of what changed.");
        }

        if (changeSummary is { Length: > PolicyVersion.MaxSummaryLength })
        {
            throw new ComplianceRuleException($"The summary of changes is longer than {PolicyVersion.MaxSummaryLength:N0} characters.");
        }

        var now = clock.GetUtcNow();
        current?.End(PolicyVersionStatus.Superseded, now);
        var sha256 = ContentSha256(draft.Content);
        draft.Publish(sha256, changeSummary, material || current is null, actor.Name, now);
        audit.Record(db, AuditEventType.PolicyPublished, actor, Subject(document.Id), new
        {
            title = document.Title,
            version = draft.Number,
            contentSha256 = sha256,
            material = draft.IsMaterial,
            changeSummary,
            audience = draft.Audience.Describe(),
            dueDays = draft.DueDays,
            reattestMonths = draft.ReattestMonths,
            superseded = current?.Number,
        });
        await db.SaveChangesAsync(ct);
        return draft;
    }

    /// <summary>Retires a document: its version in force ends and nobody is asked to sign it any more.</summary>
    public async Task RetireAsync(long documentId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var document = await LoadAsync(db, documentId, ct);
        if (document.RetiredAt is not null)
        {
            throw new ComplianceRuleException($"\"{document.Title}\" is already retired.");
        }

        var now = clock.GetUtcNow();
        document.Retire(actor.Name, now);
        document.Versions.SingleOrDefault(v => v.Status == PolicyVersionStatus.Published)?.End(PolicyVersionStatus.Retired, now);
        audit.Record(db, AuditEventType.PolicyRetired, actor, Subject(document.Id), new { title = document.Title });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Records the signed-in employee's signature of a version in force. They must have reached the end of the text,
    /// ticked "I have read and will comply", and typed their full name as their profile has it; a version is signed once.
    /// </summary>
    public async Task<PolicyAcknowledgement> AcknowledgeAsync(long versionId, PolicySignature signature, AuditActor actor, CancellationToken ct = default)
    {
        if (actor.UserId is null)
        {
            throw new ComplianceRuleException("Only a signed-in employee can sign a policy.");
        }

        if (!signature.ReachedEnd)
        {
            throw new ComplianceRuleException("Read the policy to its end before signing.");
        }

        if (!signature.Agreed)
        {
            throw new ComplianceRuleException("Tick \"I have read and will comply\" to sign.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == actor.UserId, ct)
            ?? throw new ComplianceRuleException("Your account is not known.");
        if (!TypedName.Matches(signature.TypedName, user.DisplayName))
        {
            throw new ComplianceRuleException($"The name typed does not match your profile's full name (\"{user.DisplayName}\").");
        }

        var acknowledgement = await RecordAsync(db, versionId, user, user.DisplayName, signature, null, null, ct);
        audit.Record(db, AuditEventType.PolicyAcknowledged, actor, Subject(acknowledgement.VersionId, "PolicyVersion"),
            new { version = versionId, contentSha256 = acknowledgement.ContentSha256, fullName = acknowledgement.FullName });
        await db.SaveChangesAsync(ct);
        await AfterSigningAsync(user.Id, acknowledgement.VersionId, ct);
        return acknowledgement;
    }

    /// <summary>Records a signature for an employee who cannot sign themselves, with the reason; marked as given on their behalf.</summary>
    public async Task<PolicyAcknowledgement> AcknowledgeOnBehalfAsync(long versionId, string userId, string reason, AuditActor actor, CancellationToken ct = default)
    {
        reason = reason.Trim();
        if (reason.Length is < 10 or > 1000)
        {
            throw new ComplianceRuleException("Say why the employee cannot sign themselves (10 to 1,000 characters).");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct)
            ?? throw new ComplianceRuleException("There is no such employee account.");
        var acknowledgement = await RecordAsync(db, versionId, user, user.DisplayName, new PolicySignature(user.DisplayName, true, true, actor.IpAddress, null),
            actor.Name, reason, ct);
        audit.Record(db, AuditEventType.PolicyAcknowledgedOnBehalf, actor, Subject(acknowledgement.VersionId, "PolicyVersion"),
            new { version = versionId, employee = user.Email, contentSha256 = acknowledgement.ContentSha256, reason });
        await db.SaveChangesAsync(ct);
        await AfterSigningAsync(user.Id, acknowledgement.VersionId, ct);
        return acknowledgement;
    }

    /// <summary>Every document with its version in force and its draft, by title.</summary>
    public async Task<IReadOnlyList<PolicySummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var documents = await db.PolicyDocuments.AsNoTracking().Include(d => d.Versions).ToListAsync(ct);
        return documents.OrderBy(d => d.RetiredAt is null ? 0 : 1).ThenBy(d => d.Title, StringComparer.CurrentCulture)
            .Select(d => new PolicySummary(d.Id, d.Title, d.RetiredAt,
                d.Versions.SingleOrDefault(v => v.Status == PolicyVersionStatus.Published),
                d.Versions.SingleOrDefault(v => v.Status == PolicyVersionStatus.Draft),
                d.Versions.Count))
            .ToList();
    }

    /// <summary>A document with all its versions (newest first), or null.</summary>
    public async Task<PolicyDocument?> GetAsync(long documentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var document = await db.PolicyDocuments.AsNoTracking().Include(d => d.Versions).SingleOrDefaultAsync(d => d.Id == documentId, ct);
        document?.Versions.Sort((a, b) => b.Number.CompareTo(a.Number));
        return document;
    }

    /// <summary>One version with its document's title, or null.</summary>
    public async Task<(PolicyVersion Version, string Title)?> GetVersionAsync(long versionId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.PolicyVersions.AsNoTracking().Where(v => v.Id == versionId)
            .Join(db.PolicyDocuments, v => v.DocumentId, d => d.Id, (v, d) => new { Version = v, d.Title }).SingleOrDefaultAsync(ct);
        return found is null ? null : (found.Version, found.Title);
    }

    /// <summary>One signature with the policy and version it is of, or null.</summary>
    public async Task<PolicyReceipt?> GetAcknowledgementAsync(long acknowledgementId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Receipts(db, db.PolicyAcknowledgements.Where(a => a.Id == acknowledgementId)).SingleOrDefaultAsync(ct);
    }

    /// <summary>Everything an account has signed, newest first.</summary>
    public async Task<IReadOnlyList<PolicyReceipt>> AcknowledgementsOfAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await Receipts(db, db.PolicyAcknowledgements.Where(a => a.UserId == userId)).ToListAsync(ct))
            .OrderByDescending(r => r.Acknowledgement.AcknowledgedAt).ToList();
    }

    /// <summary>The full name an account's profile has: what its owner types to sign.</summary>
    public async Task<string?> ProfileNameAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName).SingleOrDefaultAsync(ct);
    }

    private static IQueryable<PolicyReceipt> Receipts(ComplianceHubDbContext db, IQueryable<PolicyAcknowledgement> acknowledgements) =>
        acknowledgements.AsNoTracking()
            .Join(db.PolicyVersions, a => a.VersionId, v => v.Id, (a, v) => new { a, v.Number, v.DocumentId, v.PublishedAt })
            .Join(db.PolicyDocuments, x => x.DocumentId, d => d.Id, (x, d) => new PolicyReceipt(x.a, d.Title, x.Number, x.PublishedAt!.Value));

    /// <summary>What a signature settles: the numbers that lapsed for want of it come back, and the reminders of it are read.</summary>
    private async Task AfterSigningAsync(string userId, long versionId, CancellationToken ct)
    {
        await roster.RestoreLapsedAsync(userId, ct);
        await notifications.MarkItemReadAsync(userId, PolicyReminders.ItemKey(versionId), ct);
    }

    /// <summary>SHA-256 of the content's UTF-8 bytes: what a published version and every signature of it record.</summary>
    public static string ContentSha256(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private async Task<PolicyAcknowledgement> RecordAsync(
        ComplianceHubDbContext db, long versionId, ApplicationUser user, string fullName, PolicySignature signature, string? onBehalfBy, string? reason,
        CancellationToken ct)
    {
        var version = await db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId, ct)
            ?? throw new ComplianceRuleException("There is no such policy version.");
        if (version.Status != PolicyVersionStatus.Published)
        {
            throw new ComplianceRuleException(version.Status == PolicyVersionStatus.Draft
                ? "A draft cannot be signed."
                : $"Version {version.Number} is no longer in force: sign the current one.");
        }

        if (await db.PolicyAcknowledgements.AnyAsync(a => a.VersionId == versionId && a.UserId == user.Id, ct))
        {
            throw new ComplianceRuleException($"Version {version.Number} is already signed by {user.Email}.");
        }

        var acknowledgement = new PolicyAcknowledgement(versionId, user.Id, user.Email ?? user.UserName ?? user.Id, fullName, version.ContentSha256!,
            clock.GetUtcNow(), Truncate(signature.IpAddress, 64), Truncate(signature.UserAgent, 512), onBehalfBy, reason);
        db.PolicyAcknowledgements.Add(acknowledgement);
        return acknowledgement;
    }

    private static async Task<PolicyDocument> LoadAsync(ComplianceHubDbContext db, long documentId, CancellationToken ct) =>
        await db.PolicyDocuments.Include(d => d.Versions).SingleOrDefaultAsync(d => d.Id == documentId, ct)
        ?? throw new ComplianceRuleException($"There is no policy {documentId}.");

    private static string? Truncate(string? value, int max) => value is null ? null : value.Length <= max ? value : value[..max];

    private static AuditSubject Subject(long id, string type = "PolicyDocument") => new(type, id.ToString(CultureInfo.InvariantCulture));
}

/// <summary>A draft's content and who must sign it, by when, and how often again.</summary>
public sealed record PolicyDraft(string Content, Audience Audience, int DueDays = 14, int? ReattestMonths = null)
{
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Content))
        {
            throw new ComplianceRuleException("A policy version needs its text.");
        }

        if (Content.Length > PolicyVersion.MaxContentLength)
        {
            throw new ComplianceRuleException($"The policy's text is longer than {PolicyVersion.MaxContentLength:N0} characters.");
        }

        if (Audience.Kind != AudienceKind.Everyone && !Audience.Values.Any(v => !string.IsNullOrWhiteSpace(v)))
        {
            throw new ComplianceRuleException($"Name the {Audience.Kind.ToString().ToLowerInvariant()} who must sign, or choose everyone.");
        }

        if (DueDays is < 1 or > 365)
        {
            throw new ComplianceRuleException("The due date must be 1 to 365 days after publication.");
        }

        if (ReattestMonths is < 1 or > 60)
        {
            throw new ComplianceRuleException("Signing again must be asked every 1 to 60 months, or never.");
        }
    }
}

/// <summary>What the employee did on the signing page, and where from.</summary>
public sealed record PolicySignature(string TypedName, bool ReachedEnd, bool Agreed, string? IpAddress, string? UserAgent);

/// <summary>A document as the policy list shows it: its version in force and its draft, if any.</summary>
public sealed record PolicySummary(long Id, string Title, DateTimeOffset? RetiredAt, PolicyVersion? InForce, PolicyVersion? Draft, int Versions);

/// <summary>A signature with what it is of: what a receipt shows.</summary>
public sealed record PolicyReceipt(PolicyAcknowledgement Acknowledgement, string Title, int Version, DateTimeOffset PublishedAt);
