using System.Text;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.Core.Archive;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static ComplianceHub.Tests.TestSupport.WebhookPayloads;

namespace ComplianceHub.Tests.Core.Roster;

public abstract class RosterMonitorTests(DatabaseProvider provider)
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.1.2.3");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task DeliverAsync(TestHost host, params string[] payloads)
    {
        foreach (var payload in payloads)
        {
            await host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(payload), "127.0.0.1", Ct);
        }

        await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
    }

    [Fact]
    public async Task EachFinding_IsFlaggedOnce_WithItsKindNumberAndConversation()
    {
        await using var host = await TestHost.StartAsync(provider, WebhookProcessingTests.CaptureSettings());
        var now = host.Clock.GetUtcNow();

        // Ana's number was revoked before she wrote; Omar is not on the roster; Lena's active number never wrote.
        await host.OnboardAsync(
            "E1,Ana Gómez,ana@example.com,,,+447700900123,2025-01-01,,revoked\n" +
            "E2,Lena Fischer,lena@example.com,,,+4915112345678,2025-01-01,,active\n" +
            "E3,Rui Costa,rui@example.com,,,+351912345678,2026-02-20,,active\n");
        await DeliverAsync(host,
            Inbound(Text("wamid.ana", now.AddMinutes(5), "Still using this number")),
            InboundFrom("Omar Haddad", "971501234567", Text("wamid.omar", now.AddMinutes(6), "Hello desk").Also(m => m["from"] = "971501234567")),
            Echoes(Echo("wamid.reply", now.AddMinutes(7), "text", new System.Text.Json.Nodes.JsonObject { ["body"] = "Hello" })));

        var monitor = host.Get<RosterMonitor>();
        (await monitor.ScanAsync(Ct)).ShouldBe(3);
        (await monitor.ScanAsync(Ct)).ShouldBe(0);

        var alerts = await monitor.ListAsync(ct: Ct);
        await using var db = await host.CreateDbContextAsync();
        var anaConversation = await db.Conversations.Where(c => c.ExternalKey!.EndsWith(":447700900123")).Select(c => c.Id).SingleAsync(Ct);
        var omarConversation = await db.Conversations.Where(c => c.ExternalKey!.EndsWith(":971501234567")).Select(c => c.Id).SingleAsync(Ct);
        alerts.Select(a => (RosterAlert.KindCode(a.Kind), a.Phone, a.ConversationId)).ShouldBe(
        [
            ("revoked-sender", "+447700900123", (long?)anaConversation),
            ("unknown-sender", "+971501234567", omarConversation),
            ("silent-number", "+4915112345678", null),
        ], ignoreOrder: true);
        alerts.Single(a => a.Kind == RosterAlertKind.RevokedSender).Detail.ShouldStartWith("1 message(s) from Ana Gómez's number after it was revoked on 2026-03-02");
        alerts.Single(a => a.Kind == RosterAlertKind.UnknownSender).Detail.ShouldContain("Omar Haddad (+971501234567), who is not on the roster");
        alerts.ShouldNotContain(a => a.Phone == "+351912345678"); // authorized ten days ago: not silent yet
        alerts.ShouldNotContain(a => a.Phone == "+15550783881"); // the business number itself
    }

    [Fact]
    public async Task TheBusinessNumber_IsKnownFromTheArchive_ToAProcessWhoseConfigurationDoesNotListIt()
    {
        // Arrange: captured with no business number configured (as the command line runs in another environment).
        var settings = WebhookProcessingTests.CaptureSettings().Where(s => !s.Key.StartsWith("WhatsApp:BusinessNumbers", StringComparison.Ordinal))
            .ToDictionary(s => s.Key, s => s.Value);
        await using var host = await TestHost.StartAsync(provider, settings);
        var now = host.Clock.GetUtcNow();
        await DeliverAsync(host,
            Inbound(Text("wamid.client", now.AddMinutes(1), "Can you quote?")),
            Echoes(Echo("wamid.desk", now.AddMinutes(2), "text", new System.Text.Json.Nodes.JsonObject { ["body"] = "Yes, 101.2" })));

        // Act
        await host.Get<RosterMonitor>().ScanAsync(Ct);

        // Assert: the client is flagged, the firm's own number is not.
        (await host.Get<IBusinessNumbers>().PhonesE164Async(Ct)).ShouldBe(["+15550783881"]);
        var unknown = (await host.Get<RosterMonitor>().ListAsync(ct: Ct)).Where(a => a.Kind == RosterAlertKind.UnknownSender).Select(a => a.Phone).ToList();
        unknown.ShouldBe(["+447700900123"]);
    }

    [Fact]
    public async Task ACustodiansOwnMessagesInTheChatsExportedFromTheirPhone_AreTheirNumbersTraffic()
    {
        // Arrange: Alex's own export, where he writes under his own name (no number); Sam never writes anywhere.
        await using var host = await TestHost.StartAsync(provider);
        using var files = new ExportFiles();
        await host.OnboardAsync(
            "E1,Alex Kim,alex.kim@example.com,,,+447700900001,2025-01-01,,active\n" +
            "E2,Sam Patel,sam.patel@example.com,,,+447700900002,2025-01-01,,active\n");
        var day = host.Clock.GetUtcNow().AddDays(-2).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
        var chat = $"{day}, 09:00 - Alex Kim: Morning, any news on the Bund?\n{day}, 09:05 - Jonas Weber: Not yet\n";
        await host.Get<ExportImportService>().ImportAsync(
            files.Text("WhatsApp Chat with Jonas Weber.txt", chat), "WhatsApp Chat with Jonas Weber.txt", new ImportOptions("UTC", "alex.kim@example.com"), Officer, ct: Ct);

        // Act
        await host.Get<RosterMonitor>().ScanAsync(Ct);

        // Assert
        var silent = (await host.Get<RosterMonitor>().ListAsync(ct: Ct)).Where(a => a.Kind == RosterAlertKind.SilentNumber).Select(a => a.Phone).ToList();
        silent.ShouldBe(["+447700900002"]);
    }

    [Fact]
    public async Task AnAlert_IsAcknowledgedWithAComment_Audited_AndNotRaisedAgain()
    {
        await using var host = await TestHost.StartAsync(provider, WebhookProcessingTests.CaptureSettings());
        await host.OnboardAsync("E2,Lena Fischer,lena@example.com,,,+4915112345678,2025-01-01,,active\n");
        var monitor = host.Get<RosterMonitor>();
        await monitor.ScanAsync(Ct);
        var alert = (await monitor.ListAsync(ct: Ct)).Single();

        (await Should.ThrowAsync<ComplianceRuleException>(() => monitor.AcknowledgeAsync(alert.Id, "  ", Officer, Ct)))
            .Message.ShouldBe("Say what was found or done: a comment of 1 to 2,000 characters.");
        await monitor.AcknowledgeAsync(alert.Id, "On parental leave until June.", Officer, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => monitor.AcknowledgeAsync(alert.Id, "again", Officer, Ct)))
            .Message.ShouldBe("That alert was already acknowledged by officer@example.com.");

        (await monitor.ListAsync(ct: Ct)).ShouldBeEmpty();
        (await monitor.CountOpenAsync(Ct)).ShouldBe(0);
        (await monitor.ScanAsync(Ct)).ShouldBe(0);
        var closed = (await monitor.ListAsync(includeAcknowledged: true, Ct)).Single();
        (closed.DecidedBy, closed.Comment).ShouldBe(("officer@example.com", "On parental leave until June."));
        await using var db = await host.CreateDbContextAsync();
        (await db.AuditEvents.SingleAsync(e => e.Type == AuditEventType.RosterAlertAcknowledged, Ct)).Details!.ShouldContain("On parental leave until June.");
    }
}

public sealed class SqliteRosterMonitorTests() : RosterMonitorTests(DatabaseProvider.Sqlite);

public sealed class PostgresRosterMonitorTests() : RosterMonitorTests(DatabaseProvider.Postgres);
