using System.Text;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using static ComplianceHub.Tests.TestSupport.WebhookPayloads;

namespace ComplianceHub.Tests.Core.Archive;

/// <summary>Conversations captured before the business number was recorded get it from their own participants when the archive is upgraded.</summary>
public abstract class BusinessPhoneNumbersMigrationTests(DatabaseProvider provider)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheUpgrade_RecordsEachCapturedConversationsBusinessNumber_FromTheParticipantWhoIsNotTheCustomer()
    {
        // Arrange: a captured chat both ways, then its business number erased as an archive from before the migration has it.
        await using var host = await TestHost.StartAsync(provider, WebhookProcessingTests.CaptureSettings());
        var now = host.Clock.GetUtcNow();
        foreach (var payload in new[]
        {
            Inbound(Text("wamid.client", now.AddMinutes(1), "Can you quote?")),
            Echoes(Echo("wamid.desk", now.AddMinutes(2), "text", new System.Text.Json.Nodes.JsonObject { ["body"] = "Yes, 101.2" })),
        })
        {
            await host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(payload), "127.0.0.1", Ct);
        }

        await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
        await using var db = await host.CreateDbContextAsync();
        (await db.Conversations.SingleAsync(Ct)).BusinessPhoneE164.ShouldBe("+15550783881");
        await db.Database.ExecuteSqlRawAsync("UPDATE \"Conversations\" SET \"BusinessPhoneE164\" = NULL", Ct);

        // Act: the migration's own SQL.
        var migrations = db.GetService<IMigrationsAssembly>();
        var migration = migrations.CreateMigration(migrations.Migrations.Single(m => m.Key.EndsWith("_BusinessPhoneNumbers", StringComparison.Ordinal)).Value,
            db.Database.ProviderName!);
        foreach (var sql in migration.UpOperations.OfType<SqlOperation>())
        {
            await db.Database.ExecuteSqlRawAsync(sql.Sql, Ct);
        }

        // Assert
        (await db.Conversations.AsNoTracking().SingleAsync(Ct)).BusinessPhoneE164.ShouldBe("+15550783881");
    }
}

public sealed class SqliteBusinessPhoneNumbersMigrationTests() : BusinessPhoneNumbersMigrationTests(DatabaseProvider.Sqlite);

public sealed class PostgresBusinessPhoneNumbersMigrationTests() : BusinessPhoneNumbersMigrationTests(DatabaseProvider.Postgres);
