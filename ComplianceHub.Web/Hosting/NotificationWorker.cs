using ComplianceHub.Core.Notifications;
using ComplianceHub.Core.Policies;
using ComplianceHub.Core.Training;

namespace ComplianceHub.Web.Hosting;

/// <summary>
/// Sends reminders and e-mail: every quarter of an hour this period's reminders of unsigned policies, training due and unacknowledged legal hold notices (and notices of holds released) (each item once
/// per period, so a restart or a second host sends nothing twice), every minute the e-mail copies due (retried with
/// back-off; see <see cref="EmailSender"/>).
/// </summary>
internal sealed class NotificationWorker(PolicyReminders policyReminders, TrainingReminders trainingReminders, ComplianceHub.Core.HoldNotices.HoldNoticeService holdNotices, EmailSender email, TimeProvider clock, ILogger<NotificationWorker> logger)
    : RecurringWorker(logger)
{
    private static readonly TimeSpan ReminderInterval = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan EmailInterval = TimeSpan.FromMinutes(1);
    private DateTimeOffset _lastReminders = DateTimeOffset.MinValue;

    protected override async Task PassAsync(CancellationToken ct)
    {
        if (clock.GetUtcNow() - _lastReminders >= ReminderInterval)
        {
            var sent = await policyReminders.SendDueAsync(ct) + await trainingReminders.SendDueAsync(ct) + await holdNotices.SendDueAsync(ct);
            _lastReminders = clock.GetUtcNow();
            if (sent > 0)
            {
                logger.LogInformation("Sent {Count} reminder(s)", sent);
            }
        }

        await email.SendDueAsync(ct);
        await Task.Delay(EmailInterval, ct);
    }
}
