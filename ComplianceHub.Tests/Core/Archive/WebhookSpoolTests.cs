using System.Text;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Archive.Writing;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using static ComplianceHub.Tests.TestSupport.WebhookPayloads;

namespace ComplianceHub.Tests.Core.Archive;

/// <summary>
/// On SQLite a delivery that arrives while a long writer holds the write turn is acknowledged from a spool
/// file of its own, and reaches the inbox table, in order and exactly once, at the next turn.
/// </summary>
public sealed class WebhookSpoolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task AcceptAsync(TestHost host, string id, string body) =>
        host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(Inbound(Text(id, host.Clock.GetUtcNow(), body))), "127.0.0.1", Ct);

    [Fact]
    public async Task ADeliveryWhileTheWriteTurnIsHeld_IsAcknowledgedFromTheSpool_AndArchivedInOrderAtTheNextTurn()
    {
        await using var host = await TestHost.StartAsync(DatabaseProvider.Sqlite, WebhookProcessingTests.CaptureSettings());
        var inbox = host.Get<WebhookInbox>();
        var gate = host.Get<ArchiveWriteGate>();

        // A short writer holds the turn: the delivery waits for it, in turn order, and goes straight to the inbox table.
        await using (var holder = await host.CreateDbContextAsync())
        {
            var turn = await gate.EnterAsync(holder, Ct);
            var waiting = AcceptAsync(host, "wamid.1", "first, straight to the inbox");
            await Task.Delay(200, Ct);
            waiting.IsCompleted.ShouldBeFalse();
            turn.Dispose();
            await waiting;
            inbox.HasSpooled.ShouldBeFalse();
        }

        // An import holds the turn: the next two deliveries are acknowledged anyway, from the spool.
        await using (var holder = await host.CreateDbContextAsync())
        await using (await gate.BeginAsync(holder, Ct))
        {
            var accept = AcceptAsync(host, "wamid.2", "second, spooled");
            (await Task.WhenAny(accept, Task.Delay(TimeSpan.FromSeconds(5), Ct))).ShouldBe(accept);
            await accept;
            await AcceptAsync(host, "wamid.3", "third, spooled behind the second");
            inbox.HasSpooled.ShouldBeTrue();
            File.Exists(WebhookSpool.PathBeside(Path.Combine(host.DataDirectory, StorageSettings.SqliteFileName))).ShouldBeTrue();
        }

        // Rows already spooled keep later arrivals behind them, even once the turn is free.
        await AcceptAsync(host, "wamid.4", "fourth, behind the spooled ones");
        await using var db = await host.CreateDbContextAsync();
        (await db.WebhookDeliveries.CountAsync(Ct)).ShouldBe(1);

        var result = await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);

        result.Messages.ShouldBe(4);
        inbox.HasSpooled.ShouldBeFalse();
        (await db.WebhookDeliveries.OrderBy(d => d.Id).Select(d => d.Status).ToListAsync(Ct)).ShouldAllBe(s => s == WebhookDeliveryStatus.Processed);
        (await db.ChatMessages.OrderBy(m => m.Id).Select(m => m.ExternalId).ToListAsync(Ct)).ShouldBe(["wamid.1", "wamid.2", "wamid.3", "wamid.4"]);
    }

    [Fact]
    public async Task ASpoolLeftByAStoppedProcess_IsMovedOnRestart_AndARowAlreadyMovedIsNotWrittenTwice()
    {
        var directory = Path.Combine(Path.GetTempPath(), "compliancehub-tests", Guid.NewGuid().ToString("N"));
        try
        {
            // The process stops with one delivery spooled, and one that reached the inbox table but was still spooled.
            await using (var host = await TestHost.StartAsync(DatabaseProvider.Sqlite, WebhookProcessingTests.CaptureSettings(), directory))
            {
                await AcceptAsync(host, "wamid.moved", "in the table and still spooled");
                await using (var holder = await host.CreateDbContextAsync())
                await using (await host.Get<ArchiveWriteGate>().BeginAsync(holder, Ct))
                {
                    await AcceptAsync(host, "wamid.spooled", "only spooled");
                }
            }

            await using (var spool = new SqliteConnection($"Data Source={WebhookSpool.PathBeside(Path.Combine(directory, StorageSettings.SqliteFileName))};Pooling=False"))
            await using (var archive = new SqliteConnection($"Data Source={Path.Combine(directory, StorageSettings.SqliteFileName)};Pooling=False"))
            {
                await archive.OpenAsync(Ct);
                await using var read = archive.CreateCommand();
                read.CommandText = """SELECT "ReceivedAt", "Body", "BodySha256", "RemoteAddress" FROM "WebhookDeliveries" """;
                await using var row = await read.ExecuteReaderAsync(Ct);
                (await row.ReadAsync(Ct)).ShouldBeTrue();
                await spool.OpenAsync(Ct);
                await using var copy = spool.CreateCommand();
                copy.CommandText = """INSERT INTO "Spooled" ("Seq", "ReceivedAt", "Body", "BodySha256", "RemoteAddress") VALUES (0, $at, $body, $sha, $remote)""";
                copy.Parameters.AddWithValue("$at", row.GetInt64(0));
                copy.Parameters.AddWithValue("$body", row.GetString(1));
                copy.Parameters.AddWithValue("$sha", row.GetString(2));
                copy.Parameters.AddWithValue("$remote", row.GetString(3));
                (await copy.ExecuteNonQueryAsync(Ct)).ShouldBe(1);
            }

            await using (var host = await TestHost.StartAsync(DatabaseProvider.Sqlite, WebhookProcessingTests.CaptureSettings(), directory))
            {
                host.Get<WebhookInbox>().HasSpooled.ShouldBeTrue();
                (await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct)).Messages.ShouldBe(2);

                await using var db = await host.CreateDbContextAsync();
                (await db.WebhookDeliveries.CountAsync(Ct)).ShouldBe(2);
                (await db.ChatMessages.OrderBy(m => m.Id).Select(m => m.ExternalId).ToListAsync(Ct)).ShouldBe(["wamid.moved", "wamid.spooled"]);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task ABodyThatIsNotValidUtf8_IsKeptByteForByte_StraightOrThroughTheSpool_AndHashesToItsRecordedSha256()
    {
        await using var host = await TestHost.StartAsync(DatabaseProvider.Sqlite, WebhookProcessingTests.CaptureSettings());
        var inbox = host.Get<WebhookInbox>();
        byte[] Body(string id)
        {
            var text = Encoding.UTF8.GetBytes(Inbound(Text(id, host.Clock.GetUtcNow(), "price in \u00A3: XX")));
            var at = text.AsSpan().IndexOf("XX"u8);
            text[at] = 0xA3; // a Latin-1 pound sign: not UTF-8
            text[at + 1] = 0xFF;
            return text;
        }

        var straight = Body("wamid.bytes.1");
        await inbox.AcceptAsync(straight, "127.0.0.1", Ct);
        var spooled = Body("wamid.bytes.2");
        await using (var holder = await host.CreateDbContextAsync())
        await using (await host.Get<ArchiveWriteGate>().BeginAsync(holder, Ct))
        {
            await inbox.AcceptAsync(spooled, "127.0.0.1", Ct);
            inbox.HasSpooled.ShouldBeTrue();
        }

        await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
        await using var db = await host.CreateDbContextAsync();
        var deliveries = await db.WebhookDeliveries.OrderBy(d => d.Id).ToListAsync(Ct);
        deliveries.Select(d => d.Bytes).ShouldBe([straight, spooled]);
        deliveries.ShouldAllBe(d => d.RawBody != null && d.BodySha256 == Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(d.Bytes)));
        (await db.ChatMessages.CountAsync(Ct)).ShouldBe(2); // still archived, the odd bytes shown as replacement characters

        // A valid UTF-8 body keeps no second copy: its text gives its bytes back.
        var plain = Encoding.UTF8.GetBytes(Inbound(Text("wamid.plain", host.Clock.GetUtcNow(), "price in \u00A3: 167.20")));
        await inbox.AcceptAsync(plain, "127.0.0.1", Ct);
        var stored = await db.WebhookDeliveries.AsNoTracking().OrderByDescending(d => d.Id).FirstAsync(Ct);
        (stored.RawBody, stored.Bytes.SequenceEqual(plain)).ShouldBe((null, true));
    }
}
