using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Notifications;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Policies;

/// <summary>
/// Reminds people of the policies they still owe a signature (<see cref="PolicyObligations"/>): the background job
/// sends one reminder per policy version per reminder period (<see cref="NotificationService.ReminderPeriod"/>), and
/// compliance staff may send one by hand, at most once a day per person and version. Manual reminders are audited.
/// </summary>
public sealed class PolicyReminders(PolicyObligations obligations, NotificationService notifications, TimeProvider clock, AuditLog audit,
    IDbContextFactory<ComplianceHubDbContext> dbFactory)
{
    public const string Category = "policy";

    /// <summary>What a reminder of a version is about, in the notifications.</summary>
    public static string ItemKey(long versionId) => $"policy-version:{versionId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Sends this period's reminders for every unsigned policy; returns how many were sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var period = notifications.ReminderPeriod(now);
        var sent = 0;
        var done = await notifications.NotifiedInAsync(Category, period, ct);
        foreach (var (userId, owed) in await obligations.ForUsersAsync(null, ct))
        {
            foreach (var obligation in owed.Where(o => !o.IsSigned && !done.Contains((userId, ItemKey(o.VersionId)))))
            {
                if (await notifications.NotifyAsync(userId, Request(obligation, period), ct))
                {
                    sent++;
                }
            }
        }

        return sent;
    }

    /// <summary>Reminds one person of one version they have not signed, now. Refused when already reminded by hand today.</summary>
    public async Task RemindAsync(string userId, long versionId, AuditActor actor, CancellationToken ct = default)
    {
        var obligation = (await obligations.ForUserAsync(userId, ct)).SingleOrDefault(o => o.VersionId == versionId)
            ?? throw new ComplianceRuleException("That person is not asked to sign this version.");
        if (obligation.IsSigned)
        {
            throw new ComplianceRuleException("That person has already signed it.");
        }

        var day = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (!await notifications.NotifyAsync(userId, Request(obligation, "manual:" + day), ct))
        {
            throw new ComplianceRuleException("A reminder of this version was already sent to them by hand today.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(ct);
        audit.Record(db, AuditEventType.PolicyReminderSent, actor, new AuditSubject("PolicyVersion", versionId.ToString(CultureInfo.InvariantCulture)),
            new { title = obligation.Title, version = obligation.VersionNumber, employee = email });
        await db.SaveChangesAsync(ct);
    }

    private static NotificationRequest Request(PolicyObligation o, string period)
    {
        var due = o.DueAt.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var title = o.State == PolicyObligationState.Overdue
            ? $"Overdue: sign \u201C{o.Title}\u201D (version {o.VersionNumber})"
            : $"Please read and sign \u201C{o.Title}\u201D (version {o.VersionNumber}) by {due}";
        var body = o.State == PolicyObligationState.Overdue
            ? $"Your signature of \u201C{o.Title}\u201D (version {o.VersionNumber}) was due on {due}. Until you sign it, your WhatsApp numbers "
              + "cannot be used for business. Open My compliance, read the policy to its end and sign it."
            : $"\u201C{o.Title}\u201D (version {o.VersionNumber}) applies to you. Read it to its end and sign it in My compliance by {due}.";
        return new NotificationRequest(Category, ItemKey(o.VersionId), period, title, body,
            $"my-compliance/policies/{o.VersionId.ToString(CultureInfo.InvariantCulture)}");
    }
}
