using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Notifications;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.HoldNotices;

/// <summary>
/// Legal-hold notices: a hold's notice, issued to each of its custodians who has a sign-in account (its named custodians and
/// the custodians of the conversations it names), versioned like a policy (an amendment is a new version everyone
/// acknowledges again); custodians acknowledge it as they sign a policy (read to its end, tick, type their full name);
/// reminders for those who have not, each reminder period; and, once the hold is released, a notice saying so. Issuing
/// and acknowledging are audited; acknowledgements are immutable.
/// </summary>
public sealed class HoldNoticeService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, NotificationService notifications, AuditLog audit, TimeProvider clock)
{
    public const string Category = "hold";

    /// <summary>What a notice is about, in the notifications.</summary>
    public static string ItemKey(long noticeId) => $"hold-notice:{noticeId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The text a first notice starts from, for the officer to adapt.</summary>
    public static string DefaultText(string holdName, string? matterNumber) => string.Join("\n",
        $"LEGAL HOLD NOTICE: {holdName}{(matterNumber is null ? "" : $" (matter {matterNumber})")}",
        "",
        "The firm is under a duty to preserve records relevant to this matter. You are identified as a custodian: you hold or may hold relevant business communications, including WhatsApp messages, attachments and voice notes.",
        "",
        "Until you are told in writing that this hold is released:",
        "- do not delete, edit or forward-and-delete any WhatsApp chat, message, photo, document or voice note that concerns the matter, on any device you use for business;",
        "- do not uninstall WhatsApp, reset or replace a device you use for business, or change its number, without first speaking to Compliance;",
        "- keep the chats exported to the archive as they are; the archive preserves what it holds whatever its retention period.",
        "",
        "This duty overrides any routine deletion practice. If you are unsure whether something is relevant, keep it and ask Compliance. Failing to preserve records can expose you and the firm to serious legal consequences.",
        "",
        "Acknowledge below that you have read this notice and will comply with it.");

    /// <summary>
    /// Issues a notice (its first version, or an amendment) to the hold's custodians with accounts, each notified. Refused for
    /// a released hold, an empty or over-long text, or a hold none of whose custodians has an account.
    /// </summary>
    public async Task<HoldNotice> IssueAsync(long holdId, string text, AuditActor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        text = (text ?? "").Trim().ReplaceLineEndings("\n");
        if (text.Length == 0 || text.Length > HoldNotice.MaxTextLength)
        {
            throw new ComplianceRuleException($"A hold notice needs its text, in at most {HoldNotice.MaxTextLength:N0} characters.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hold = await db.LegalHolds.AsNoTracking().SingleOrDefaultAsync(h => h.Id == holdId, ct)
            ?? throw new ComplianceRuleException($"There is no legal hold {holdId}.");
        if (hold.ReleasedAt is not null)
        {
            throw new ComplianceRuleException($"\"{hold.Name}\" was released on {hold.ReleasedAt:yyyy-MM-dd}: there is nothing to preserve any more.");
        }

        var recipients = await CustodianAccountsAsync(db, holdId, ct);
        if (recipients.Count == 0)
        {
            throw new ComplianceRuleException("None of this hold's custodians has a sign-in account to receive the notice: give them one (Administration → Users) first.");
        }

        var latest = await db.HoldNotices.Where(n => n.HoldId == holdId).MaxAsync(n => (int?)n.Version, ct) ?? 0;
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var notice = new HoldNotice(holdId, latest + 1, text, sha, actor.Name, clock.GetUtcNow());
        db.HoldNotices.Add(notice);
        await db.SaveChangesAsync(ct);
        db.HoldNoticeRecipients.AddRange(recipients.Select(r => new HoldNoticeRecipient(notice.Id, r.Id, r.Email!, r.DisplayName)));
        audit.Record(db, AuditEventType.LegalHoldNoticeIssued, actor, new AuditSubject("LegalHold", holdId.ToString(CultureInfo.InvariantCulture)), new
        {
            hold = hold.Name,
            version = notice.Version,
            textSha256 = sha,
            recipients = recipients.Select(r => r.Email).Order(StringComparer.Ordinal),
        });
        await db.SaveChangesAsync(ct);

        foreach (var recipient in recipients)
        {
            await notifications.NotifyAsync(recipient.Id, Request(hold.Name, notice, "issued"), ct);
        }

        return notice;
    }

    /// <summary>A hold's notice versions, newest first, each with its recipients and who acknowledged it when.</summary>
    public async Task<IReadOnlyList<HoldNoticeStatus>> ForHoldAsync(long holdId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var notices = await db.HoldNotices.AsNoTracking().Where(n => n.HoldId == holdId).OrderByDescending(n => n.Version).ToListAsync(ct);
        var ids = notices.Select(n => n.Id).ToList();
        var recipients = (await db.HoldNoticeRecipients.AsNoTracking().Where(r => ids.Contains(r.NoticeId)).ToListAsync(ct)).ToLookup(r => r.NoticeId);
        var acknowledged = (await db.HoldNoticeAcknowledgements.AsNoTracking().Where(a => ids.Contains(a.NoticeId)).ToListAsync(ct))
            .ToDictionary(a => (a.NoticeId, a.UserId));
        return notices.Select(n => new HoldNoticeStatus(n, recipients[n.Id].OrderBy(r => r.FullName, StringComparer.CurrentCulture)
                .Select(r => new HoldNoticeRecipientStatus(r.UserId, r.FullName, r.Email, acknowledged.GetValueOrDefault((n.Id, r.UserId))?.AcknowledgedAt))
                .ToList()))
            .ToList();
    }

    /// <summary>The latest notice of each active hold sent to this account that it has not acknowledged, oldest first.</summary>
    public async Task<IReadOnlyList<PendingHoldNotice>> PendingForAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await PendingAsync(db, db.HoldNoticeRecipients.Where(r => r.UserId == userId), ct);
    }

    /// <summary>A notice as its recipient reads it, with whether and when they acknowledged it; null when it was not sent to them.</summary>
    public async Task<HoldNoticeForRecipient?> ForRecipientAsync(long noticeId, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.HoldNoticeRecipients.AnyAsync(r => r.NoticeId == noticeId && r.UserId == userId, ct))
        {
            return null;
        }

        var notice = await db.HoldNotices.AsNoTracking().SingleAsync(n => n.Id == noticeId, ct);
        var hold = await db.LegalHolds.AsNoTracking().SingleAsync(h => h.Id == notice.HoldId, ct);
        var latest = await db.HoldNotices.Where(n => n.HoldId == notice.HoldId).MaxAsync(n => n.Version, ct);
        var acknowledgement = await db.HoldNoticeAcknowledgements.AsNoTracking().SingleOrDefaultAsync(a => a.NoticeId == noticeId && a.UserId == userId, ct);
        return new HoldNoticeForRecipient(notice, hold.Name, hold.MatterNumber, hold.ReleasedAt, notice.Version == latest, acknowledgement);
    }

    /// <summary>The account's full name as its profile has it: what its typed name must match.</summary>
    public async Task<string?> ProfileNameAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName).SingleOrDefaultAsync(ct);
    }

    /// <summary>
    /// Records the signed-in custodian's acknowledgement of a notice version they received: read to its end, ticked and their
    /// full name typed as their profile has it. Audited; refused when already acknowledged, superseded or released.
    /// </summary>
    public async Task<HoldNoticeAcknowledgement> AcknowledgeAsync(long noticeId, HoldNoticeSignature signature, AuditActor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.UserId is not { } userId)
        {
            throw new ComplianceRuleException("Only a signed-in custodian can acknowledge a hold notice.");
        }

        if (!signature.ReachedEnd)
        {
            throw new ComplianceRuleException("Read the notice to its end before acknowledging it.");
        }

        if (!signature.Agreed)
        {
            throw new ComplianceRuleException("Tick \"I have read this notice and will preserve what it asks\" to acknowledge it.");
        }

        var notice = await ForRecipientAsync(noticeId, userId, ct) ?? throw new ComplianceRuleException("This notice was not sent to you.");
        if (notice.Acknowledgement is { } already)
        {
            throw new ComplianceRuleException($"You acknowledged this notice on {already.AcknowledgedAt:yyyy-MM-dd HH:mm} UTC.");
        }

        if (notice.ReleasedAt is not null)
        {
            throw new ComplianceRuleException("This hold has been released: there is nothing to acknowledge any more.");
        }

        if (!notice.IsLatest)
        {
            throw new ComplianceRuleException("This notice has been amended since: acknowledge its latest version.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct) ?? throw new ComplianceRuleException("Your account is not known.");
        if (!TypedName.Matches(signature.TypedName, user.DisplayName))
        {
            throw new ComplianceRuleException($"The name typed does not match your profile's full name (\"{user.DisplayName}\").");
        }

        var acknowledgement = new HoldNoticeAcknowledgement(noticeId, userId, user.Email ?? "", user.DisplayName, notice.Notice.TextSha256, clock.GetUtcNow(),
            Truncate(signature.IpAddress, 64), Truncate(signature.UserAgent, 512));
        db.HoldNoticeAcknowledgements.Add(acknowledgement);
        audit.Record(db, AuditEventType.LegalHoldNoticeAcknowledged, actor, new AuditSubject("LegalHold", notice.Notice.HoldId.ToString(CultureInfo.InvariantCulture)), new
        {
            hold = notice.HoldName,
            version = notice.Notice.Version,
            textSha256 = notice.Notice.TextSha256,
            fullName = user.DisplayName,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new ComplianceRuleException("You have already acknowledged this notice.");
        }

        await notifications.MarkItemReadAsync(userId, ItemKey(noticeId), ct);
        return acknowledgement;
    }

    /// <summary>
    /// This period's reminders to custodians who have not acknowledged their notice, and to everyone sent a notice of a
    /// released hold, a notice that it is released (once). Returns how many were sent.
    /// </summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        var period = notifications.ReminderPeriod(clock.GetUtcNow());
        var done = await notifications.NotifiedInAsync(Category, period, ct);
        var sent = 0;
        List<(string UserId, PendingHoldNotice Notice)> pending;
        List<(string UserId, long HoldId, string Name, string? Reason)> released;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var recipients = db.HoldNoticeRecipients;
            pending = (await PendingAsync(db, recipients, ct)).Select(p => (p.UserId, p)).ToList();
            released = (await (from r in db.HoldNoticeRecipients
                               join n in db.HoldNotices on r.NoticeId equals n.Id
                               join h in db.LegalHolds on n.HoldId equals h.Id
                               where h.ReleasedAt != null
                               select new { r.UserId, HoldId = h.Id, h.Name, h.ReleaseReason }).Distinct().ToListAsync(ct))
                .Select(x => (x.UserId, x.HoldId, x.Name, (string?)x.ReleaseReason)).ToList();
        }

        foreach (var (userId, notice) in pending.Where(p => !done.Contains((p.UserId, ItemKey(p.Notice.NoticeId)))))
        {
            var request = new NotificationRequest(Category, ItemKey(notice.NoticeId), period,
                $"Reminder: acknowledge the legal hold notice \u201C{notice.HoldName}\u201D",
                $"You were sent a legal hold notice for \u201C{notice.HoldName}\u201D on {notice.IssuedAt:d MMMM yyyy} and have not acknowledged it. "
                + "Preserve everything it names, then read it to its end and acknowledge it in My compliance.",
                Link(notice.NoticeId));
            if (await notifications.NotifyAsync(userId, request, ct))
            {
                sent++;
            }
        }

        foreach (var (userId, holdId, name, reason) in released)
        {
            if (await NotifyReleasedAsync(userId, holdId, name, reason, ct))
            {
                sent++;
            }
        }

        return sent;
    }

    /// <summary>Tells each custodian sent a notice of this (released) hold that it is released, now rather than at the next pass; returns how many.</summary>
    public async Task<int> NotifyReleaseAsync(long holdId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hold = await db.LegalHolds.AsNoTracking().SingleOrDefaultAsync(h => h.Id == holdId && h.ReleasedAt != null, ct);
        if (hold is null)
        {
            return 0;
        }

        var users = await (from r in db.HoldNoticeRecipients
                           join n in db.HoldNotices on r.NoticeId equals n.Id
                           where n.HoldId == holdId
                           select r.UserId).Distinct().ToListAsync(ct);
        var sent = 0;
        foreach (var userId in users)
        {
            if (await NotifyReleasedAsync(userId, holdId, hold.Name, hold.ReleaseReason, ct))
            {
                sent++;
            }
        }

        return sent;
    }

    private async Task<bool> NotifyReleasedAsync(string userId, long holdId, string name, string? reason, CancellationToken ct) =>
        await notifications.NotifyAsync(userId, new NotificationRequest(Category, $"hold-released:{holdId.ToString(CultureInfo.InvariantCulture)}", "released",
            $"Legal hold released: \u201C{name}\u201D",
            $"The legal hold \u201C{name}\u201D has been released{(string.IsNullOrWhiteSpace(reason) ? "" : $" ({reason})")}. You no longer need to preserve records "
            + "because of it; other holds and the firm's retention rules still apply.", "my-compliance"), ct);

    private static async Task<IReadOnlyList<PendingHoldNotice>> PendingAsync(ComplianceHubDbContext db, IQueryable<HoldNoticeRecipient> recipients, CancellationToken ct)
    {
        var rows = await (from r in recipients
                          join n in db.HoldNotices on r.NoticeId equals n.Id
                          join h in db.LegalHolds on n.HoldId equals h.Id
                          where h.ReleasedAt == null
                                && n.Version == db.HoldNotices.Where(x => x.HoldId == n.HoldId).Max(x => x.Version)
                                && !db.HoldNoticeAcknowledgements.Any(a => a.NoticeId == n.Id && a.UserId == r.UserId)
                          select new { r.UserId, NoticeId = n.Id, n.HoldId, h.Name, n.Version, n.IssuedAt }).ToListAsync(ct);
        return rows.OrderBy(r => r.IssuedAt).Select(r => new PendingHoldNotice(r.UserId, r.NoticeId, r.HoldId, r.Name, r.Version, r.IssuedAt)).ToList();
    }

    /// <summary>The accounts of the hold's custodians: its named custodians and the custodians of the conversations it names.</summary>
    private static async Task<List<Identity.ApplicationUser>> CustodianAccountsAsync(ComplianceHubDbContext db, long holdId, CancellationToken ct)
    {
        var emails = await db.LegalHoldCustodians.Where(c => c.HoldId == holdId).Select(c => c.Email)
            .Concat(db.ConversationCustodians.Where(cc => db.LegalHoldConversations.Any(hc => hc.HoldId == holdId && hc.ConversationId == cc.ConversationId)).Select(cc => cc.Email))
            .Distinct().ToListAsync(ct);
        var normalized = emails.Select(e => e.ToUpperInvariant()).ToList();
        return await db.Users.AsNoTracking().Where(u => u.NormalizedEmail != null && normalized.Contains(u.NormalizedEmail)).OrderBy(u => u.Email).ToListAsync(ct);
    }

    private static NotificationRequest Request(string holdName, HoldNotice notice, string period) =>
        new(Category, ItemKey(notice.Id), period,
            notice.Version == 1 ? $"Legal hold notice: \u201C{holdName}\u201D" : $"Legal hold notice amended: \u201C{holdName}\u201D (version {notice.Version})",
            $"You are a custodian under the legal hold \u201C{holdName}\u201D. Preserve everything the notice names, then read it to its end and acknowledge it in My compliance.",
            Link(notice.Id));

    private static string Link(long noticeId) => $"my-compliance/hold-notices/{noticeId.ToString(CultureInfo.InvariantCulture)}";

    private static string? Truncate(string? value, int max) => value is null ? null : value.Length <= max ? value : value[..max];
}

/// <summary>How a custodian signs a hold notice: the name typed, whether they read it to its end and ticked the box, and from where.</summary>
public sealed record HoldNoticeSignature(string TypedName, bool ReachedEnd, bool Agreed, string? IpAddress, string? UserAgent);

/// <summary>A notice version with its recipients and their acknowledgements.</summary>
public sealed record HoldNoticeStatus(HoldNotice Notice, IReadOnlyList<HoldNoticeRecipientStatus> Recipients)
{
    public int Acknowledged => Recipients.Count(r => r.AcknowledgedAt is not null);
}

public sealed record HoldNoticeRecipientStatus(string UserId, string FullName, string Email, DateTimeOffset? AcknowledgedAt);

/// <summary>A notice a custodian has still to acknowledge.</summary>
public sealed record PendingHoldNotice(string UserId, long NoticeId, long HoldId, string HoldName, int Version, DateTimeOffset IssuedAt);

/// <summary>A notice as its recipient sees it.</summary>
public sealed record HoldNoticeForRecipient(
    HoldNotice Notice, string HoldName, string? MatterNumber, DateTimeOffset? ReleasedAt, bool IsLatest, HoldNoticeAcknowledgement? Acknowledgement);
