using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Notifications;

/// <summary>
/// The one way the portal tells someone something (a policy to sign, training due, a hold notice, a review): a
/// notification in their in-app inbox and, when SMTP is configured, an e-mail copy queued for <see cref="EmailSender"/>.
/// The same item is notified at most once per period (a unique key the database keeps, whichever host sends).
/// </summary>
public sealed class NotificationService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, TimeProvider clock, IOptionsMonitor<SmtpOptions> smtp, IOptionsMonitor<NotificationOptions> options,
    AuditLog audit)
{
    /// <summary>
    /// Notifies <paramref name="userId"/> unless this item was already notified to them in this period. Returns whether
    /// a notification was created.
    /// </summary>
    public async Task<bool> NotifyAsync(string userId, NotificationRequest request, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Notifications.AnyAsync(n => n.UserId == userId && n.ItemKey == request.ItemKey && n.Period == request.Period, ct))
        {
            return false;
        }

        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(ct);
        var now = clock.GetUtcNow();
        var notification = new Notification(userId, request, now);
        db.Notifications.Add(notification);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            await transaction.RollbackAsync(ct);
            if (await AlreadyNotifiedAsync(userId, request, ct))
            {
                return false; // another host sent it a moment ago
            }

            throw;
        }

        if (smtp.CurrentValue.Enabled && !string.IsNullOrWhiteSpace(email))
        {
            db.EmailDeliveries.Add(new EmailDelivery(notification.Id, email, notification.Title, EmailBody(notification), now));
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>Which (account, item) pairs of a category have been notified in a period: lets a job skip them without asking one by one.</summary>
    public async Task<IReadOnlySet<(string UserId, string ItemKey)>> NotifiedInAsync(string category, string period, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.Notifications.AsNoTracking().Where(n => n.Category == category && n.Period == period)
                .Select(n => new { n.UserId, n.ItemKey }).ToListAsync(ct))
            .Select(n => (n.UserId, n.ItemKey)).ToHashSet();
    }

    /// <summary>The reminder period <paramref name="at"/> falls in: the cadence's days counted from 2000-01-01 UTC, named by its first day.</summary>
    public string ReminderPeriod(DateTimeOffset at)
    {
        var days = options.CurrentValue.ReminderIntervalDays;
        var epoch = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var index = (long)Math.Floor((at - epoch).TotalDays / days);
        return "r:" + epoch.AddDays(index * days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>The newest notifications of an account, unread first.</summary>
    public async Task<IReadOnlyList<Notification>> InboxAsync(string userId, int take = 50, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.AsNoTracking().Where(n => n.UserId == userId)
            .OrderBy(n => n.ReadAt == null ? 0 : 1).ThenByDescending(n => n.Id).Take(take).ToListAsync(ct);
    }

    public async Task<int> UnreadCountAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);
    }

    /// <summary>Marks one of the account's notifications read (null: all of them).</summary>
    public async Task MarkReadAsync(string userId, long? notificationId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var unread = await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null && (notificationId == null || n.Id == notificationId))
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var notification in unread)
        {
            notification.MarkRead(now);
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>Marks read every notification of the account about one item (done: a policy signed, a course completed).</summary>
    public async Task MarkItemReadAsync(string userId, string itemKey, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var unread = await db.Notifications.Where(n => n.UserId == userId && n.ItemKey == itemKey && n.ReadAt == null).ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var notification in unread)
        {
            notification.MarkRead(now);
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>E-mail copies not yet sent or failed for good, newest first, for administrators.</summary>
    public async Task<IReadOnlyList<EmailDelivery>> UndeliveredAsync(int take = 200, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.EmailDeliveries.AsNoTracking().Where(d => d.Status != EmailDeliveryStatus.Sent)
            .OrderByDescending(d => d.Id).Take(take).ToListAsync(ct);
    }

    /// <summary>Counts of e-mail copies by status.</summary>
    public async Task<IReadOnlyDictionary<EmailDeliveryStatus, int>> DeliveryCountsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.EmailDeliveries.GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(x => x.Key, x => x.Count);
    }

    /// <summary>Sends a failed e-mail again (a fresh round of attempts). Audited.</summary>
    public async Task RetryAsync(long deliveryId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delivery = await db.EmailDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId, ct)
            ?? throw new ComplianceRuleException("There is no such e-mail.");
        if (delivery.Status != EmailDeliveryStatus.Failed)
        {
            throw new ComplianceRuleException($"The e-mail to {delivery.ToAddress} has not failed: it is {delivery.Status.ToString().ToLowerInvariant()}.");
        }

        delivery.Retry(clock.GetUtcNow());
        audit.Record(db, AuditEventType.EmailDeliveryRetried, actor, new AuditSubject("EmailDelivery", deliveryId.ToString(CultureInfo.InvariantCulture)),
            new { to = delivery.ToAddress, subject = delivery.Subject, lastError = delivery.LastError });
        await db.SaveChangesAsync(ct);
    }

    private string EmailBody(Notification notification)
    {
        var link = notification.Link is { } relative && smtp.CurrentValue.PortalUrl is { Length: > 0 } portal
            ? new Uri(new Uri(portal.EndsWith('/') ? portal : portal + "/"), relative).ToString()
            : null;
        return notification.Body + (link is null ? "" : $"\n\nOpen it in ComplianceHub: {link}")
            + "\n\n-- \nSent by ComplianceHub. This message is also in your inbox in the portal.";
    }

    private async Task<bool> AlreadyNotifiedAsync(string userId, NotificationRequest request, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.AnyAsync(n => n.UserId == userId && n.ItemKey == request.ItemKey && n.Period == request.Period, ct);
    }
}
