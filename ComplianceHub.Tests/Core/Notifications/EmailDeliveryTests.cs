using System.Net;
using System.Net.Sockets;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Notifications;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using netDumbster.smtp;

namespace ComplianceHub.Tests.Core.Notifications;

/// <summary>
/// E-mail copies of notifications, sent through MailKit to a real SMTP server running in the test (netDumbster) and
/// read back; a server that cannot be reached is retried with back-off, then shown as failed, audited, and sent again
/// on an administrator's word. Without SMTP settings nothing is queued.
/// </summary>
public sealed class EmailDeliveryTests
{
    private static readonly AuditActor Admin = new("admin-id", "admin@example.com", "10.0.0.1");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static NotificationRequest Request(string period = "r:2026-03-01") =>
        new("policy", "policy-version:1", period, "Please read and sign \u201CMessaging policy\u201D", "It applies to you. Sign it by 5 March 2026.", "my-compliance/policies/1");

    [Fact]
    public async Task ANotification_ReachesTheInbox_AndItsEmailCopyTheSmtpServer()
    {
        using var smtp = SimpleSmtpServer.Start(FreePort());
        await using var host = await TestHost.StartAsync(DatabaseProvider.Sqlite, Settings(smtp.Configuration.Port));
        var user = await UserAsync(host);
        var notifications = host.Get<NotificationService>();

        (await notifications.NotifyAsync(user, Request(), Ct)).ShouldBeTrue();
        (await notifications.NotifyAsync(user, Request(), Ct)).ShouldBeFalse(); // never twice in one period
        (await host.Get<EmailSender>().SendDueAsync(Ct)).ShouldBe(1);
        (await host.Get<EmailSender>().SendDueAsync(Ct)).ShouldBe(0);

        smtp.ReceivedEmailCount.ShouldBe(1);
        var mail = smtp.ReceivedEmail[0];
        mail.ToAddresses.Single().Address.ShouldBe("emma@example.com");
        mail.Headers["Subject"]!.ShouldContain("Messaging policy");
        var body = mail.MessageParts[0].BodyData;
        body.ShouldContain("Sign it by 5 March 2026.");
        body.ShouldContain("https://compliance.example.com/my-compliance/policies/1");
        (await notifications.DeliveryCountsAsync(Ct))[EmailDeliveryStatus.Sent].ShouldBe(1);
    }

    [Fact]
    public async Task AnUnreachableServer_IsRetriedWithBackOff_ThenShownFailedAndAudited_AndSentAgainWhenAskedTo()
    {
        var port = FreePort(); // nothing listens here yet
        await using var host = await TestHost.StartAsync(DatabaseProvider.Sqlite, Settings(port));
        var user = await UserAsync(host);
        var notifications = host.Get<NotificationService>();
        var sender = host.Get<EmailSender>();
        await notifications.NotifyAsync(user, Request(), Ct);

        for (var attempt = 1; attempt <= EmailDelivery.MaxAttempts; attempt++)
        {
            (await sender.SendDueAsync(Ct)).ShouldBe(0);
            var delivery = (await notifications.UndeliveredAsync(ct: Ct)).Single();
            delivery.Attempts.ShouldBe(attempt);
            delivery.LastError!.ShouldContain($"Could not reach the SMTP server 127.0.0.1:{port}");
            (await sender.SendDueAsync(Ct)).ShouldBe(0); // not due again yet
            (await notifications.UndeliveredAsync(ct: Ct)).Single().Attempts.ShouldBe(attempt);
            host.Clock.Advance(TimeSpan.FromHours(12));
        }

        var failed = (await notifications.UndeliveredAsync(ct: Ct)).Single();
        (failed.Status, failed.NextAttemptAt).ShouldBe((EmailDeliveryStatus.Failed, null));
        await using (var db = await host.CreateDbContextAsync())
        {
            (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.EmailDeliveryFailed, Ct)).ShouldBe(1);
        }

        // The server comes back; an administrator sends it again.
        using var smtp = SimpleSmtpServer.Start(port);
        await notifications.RetryAsync(failed.Id, Admin, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => notifications.RetryAsync(failed.Id, Admin, Ct))).Message.ShouldContain("has not failed");
        (await sender.SendDueAsync(Ct)).ShouldBe(1);
        smtp.ReceivedEmailCount.ShouldBe(1);
        (await notifications.UndeliveredAsync(ct: Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task WithoutSmtpSettings_NotificationsAreInAppOnly()
    {
        await using var host = await TestHost.StartAsync(DatabaseProvider.Sqlite);
        var user = await UserAsync(host);
        (await host.Get<NotificationService>().NotifyAsync(user, Request(), Ct)).ShouldBeTrue();
        (await host.Get<NotificationService>().UnreadCountAsync(user, Ct)).ShouldBe(1);
        await using var db = await host.CreateDbContextAsync();
        (await db.EmailDeliveries.CountAsync(Ct)).ShouldBe(0);
    }

    private static Dictionary<string, string?> Settings(int port) => new()
    {
        ["Notifications:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notifications:Smtp:Security"] = "None",
        ["Notifications:Smtp:From"] = "ComplianceHub <compliance@example.com>",
        ["Notifications:Smtp:PortalUrl"] = "https://compliance.example.com",
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<string> UserAsync(TestHost host) =>
        await host.Get<UserAdministrationService>().CreateUserAsync(new CreateUserRequest
        {
            Email = "emma@example.com", DisplayName = "Emma Employee", Password = "Long-enough-Password-2026!", Roles = [Roles.Employee],
        }, Admin, Ct);
}
