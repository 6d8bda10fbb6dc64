using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ComplianceHub.Core.Notifications;

/// <summary>
/// Sends the queued e-mail copies through the configured SMTP server (MailKit), one connection per pass. A failed
/// attempt is kept with its error and tried again later (<see cref="EmailDelivery.AttemptFailed"/>); once the attempts
/// are spent the delivery is marked failed, audited and shown to administrators.
/// </summary>
public sealed class EmailSender(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, TimeProvider clock, IOptionsMonitor<SmtpOptions> smtp, AuditLog audit, ILogger<EmailSender> logger)
{
    /// <summary>Sends every delivery due now; returns how many were sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct = default)
    {
        var settings = smtp.CurrentValue;
        if (!settings.Enabled)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var due = (await db.EmailDeliveries.Where(d => d.Status == EmailDeliveryStatus.Pending).ToListAsync(ct))
            .Where(d => d.NextAttemptAt <= now).OrderBy(d => d.Id).Take(200).ToList();
        if (due.Count == 0)
        {
            return 0;
        }

        var sent = 0;
        using var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, Security(settings), ct);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not reach the SMTP server {Host}:{Port}", settings.Host, settings.Port);
            foreach (var delivery in due)
            {
                Failed(db, delivery, $"Could not reach the SMTP server {settings.Host}:{settings.Port}: {e.Message}", now);
            }

            await db.SaveChangesAsync(ct);
            return 0;
        }

        foreach (var delivery in due)
        {
            try
            {
                await client.SendAsync(Compose(settings, delivery), ct);
                delivery.Sent(clock.GetUtcNow());
                sent++;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "E-mail {Delivery} to {To} failed", delivery.Id, delivery.ToAddress);
                Failed(db, delivery, e.Message, clock.GetUtcNow());
            }

            await db.SaveChangesAsync(ct);
        }

        await client.DisconnectAsync(quit: true, ct);
        return sent;
    }

    private void Failed(ComplianceHubDbContext db, EmailDelivery delivery, string error, DateTimeOffset at)
    {
        delivery.AttemptFailed(error, at);
        if (delivery.Status == EmailDeliveryStatus.Failed)
        {
            audit.Record(db, AuditEventType.EmailDeliveryFailed, AuditActor.System,
                new AuditSubject("EmailDelivery", delivery.Id.ToString(CultureInfo.InvariantCulture)),
                new { to = delivery.ToAddress, subject = delivery.Subject, attempts = delivery.Attempts, error = delivery.LastError });
        }
    }

    private static MimeMessage Compose(SmtpOptions settings, EmailDelivery delivery)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(delivery.ToAddress));
        message.Subject = delivery.Subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId();
        message.Headers.Add("X-ComplianceHub-Delivery", delivery.Id.ToString(CultureInfo.InvariantCulture));
        message.Body = new TextPart("plain") { Text = delivery.Body };
        return message;
    }

    private static SecureSocketOptions Security(SmtpOptions settings) => settings.Security switch
    {
        "StartTls" => SecureSocketOptions.StartTls,
        "Tls" => SecureSocketOptions.SslOnConnect,
        "None" => SecureSocketOptions.None,
        _ => SecureSocketOptions.Auto,
    };
}
