using System.Globalization;
using ComplianceHub.Core.Notifications;

namespace ComplianceHub.Core.Training;

/// <summary>
/// Reminds people of the courses they owe (<see cref="TrainingObligations"/>): once it is due within the week ahead (or a
/// completion is about to expire) and then, once overdue, once per reminder period.
/// </summary>
public sealed class TrainingReminders(TrainingObligations obligations, NotificationService notifications, TimeProvider clock)
{
    public const string Category = "training";

    /// <summary>How long before the due date the first reminder goes out.</summary>
    public static readonly TimeSpan Ahead = TimeSpan.FromDays(7);

    public static string ItemKey(long courseId, DateTimeOffset due) =>
        $"course:{courseId.ToString(CultureInfo.InvariantCulture)}:{due.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";

    /// <summary>Sends this period's reminders; returns how many were sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var period = notifications.ReminderPeriod(now);
        var done = await notifications.NotifiedInAsync(Category, period, ct);
        var sent = 0;
        foreach (var (userId, owed) in await obligations.ForUsersAsync(null, ct))
        {
            // Due within the week (a first course, or the next round of one about to expire), or late.
            foreach (var o in owed.Where(o => o.DueAt - now <= Ahead && (!o.IsCompleted || o.ExpiresAt is not null)))
            {
                var key = ItemKey(o.CourseId, o.DueAt);
                if (done.Contains((userId, key)) || !await notifications.NotifyAsync(userId, Request(o, key, period), ct))
                {
                    continue;
                }

                sent++;
            }
        }

        return sent;
    }

    private static NotificationRequest Request(TrainingObligation o, string key, string period)
    {
        var due = o.DueAt.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        var (title, body) = o.State switch
        {
            TrainingState.Overdue => ($"Overdue: complete \u201C{o.Title}\u201D",
                $"\u201C{o.Title}\u201D was due on {due}.{(o.IsRequired ? " Until you complete it, your WhatsApp numbers cannot be used for business." : "")} Open My compliance to complete it."),
            TrainingState.Completed => ($"\u201C{o.Title}\u201D expires on {due}",
                $"Your completion of \u201C{o.Title}\u201D expires on {due}. Take it again in My compliance before then."),
            _ => ($"Complete \u201C{o.Title}\u201D by {due}", $"\u201C{o.Title}\u201D is assigned to you and due on {due}. Open My compliance to complete it."),
        };
        return new NotificationRequest(Category, key, period, title, body, $"my-compliance/training/{o.CourseId.ToString(CultureInfo.InvariantCulture)}");
    }
}
