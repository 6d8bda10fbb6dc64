using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Transcripts;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Core.LegalHolds;

/// <summary>
/// The rule for what a hold covers has an SQL form (search, counts) and a LINQ form (transcripts,
/// retention, exports): over holds by conversation, by custodian, with and without dates, active and
/// released, both forms pick exactly the messages the rule's own words describe, on both providers.
/// </summary>
public abstract class LegalHoldScopeTests(DatabaseProvider provider)
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.1.2.3");
    private static readonly DateTimeOffset October5 = new(2026, 10, 5, 0, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SqlAndQueryForms_CoverExactlyTheMessagesTheRuleDescribes()
    {
        // Arrange: four holds of every shape, one of them released.
        await using var host = await TestHost.StartAsync(provider);
        await host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, Ct);
        await using var db = await host.CreateDbContextAsync();
        var conversations = await db.Conversations.ToDictionaryAsync(c => c.Title, c => c.Id, Ct);
        var desk = conversations["Rates Desk"];
        var lucia = conversations["Lucía Fernández"];
        var holds = host.Get<LegalHoldService>();
        var deskDay = await holds.PlaceAsync(new LegalHoldDraft("Desk, 5 October", null, "x", [desk], [], October5, October5.AddDays(1)), Officer, Ct);
        var lucias = await holds.PlaceAsync(new LegalHoldDraft("Lucía", null, "x", [lucia], [], null, null), Officer, Ct);
        var custodianFrom = await holds.PlaceAsync(new LegalHoldDraft("Desk head since the 6th", null, "x", [], [DemoExports.Custodian], October5.AddDays(1), null), Officer, Ct);
        var released = await holds.PlaceAsync(new LegalHoldDraft("Old matter", null, "x", [.. conversations.Values], [], null, null), Officer, Ct);
        await holds.ReleaseAsync(released, "Closed.", Officer, Ct);

        var messages = await db.ChatMessages.Select(m => new { m.Id, m.ConversationId, m.SentAt }).ToListAsync(Ct);
        var kept = (await db.ConversationCustodians.Where(c => c.Email == DemoExports.Custodian).Select(c => c.ConversationId).ToListAsync(Ct)).ToHashSet();
        bool Covers(long hold, long conversationId, DateTimeOffset sent) =>
            (hold == deskDay && conversationId == desk && sent >= October5 && sent < October5.AddDays(1))
            || (hold == lucias && conversationId == lucia)
            || (hold == custodianFrom && kept.Contains(conversationId) && sent >= October5.AddDays(1))
            || (hold == released && conversations.Values.Contains(conversationId));
        long[] active = [deskDay, lucias, custodianFrom];

        foreach (var hold in active.Append(released))
        {
            var expected = messages.Where(m => Covers(hold, m.ConversationId, m.SentAt)).Select(m => m.Id).Order().ToList();
            expected.ShouldNotBeEmpty();

            // Act: the query form, and the SQL form run as the count runs it.
            var byQuery = await LegalHoldScope.Messages(db, db.LegalHolds.Where(h => h.Id == hold)).Select(m => m.Id).OrderBy(id => id).ToListAsync(Ct);
            var bySql = await IdsAsync(db, LegalHoldScope.InScopeOfHoldCondition("m", "@hold"), ("@hold", hold));

            // Assert
            byQuery.ShouldBe(expected, $"hold {hold}, query form");
            bySql.ShouldBe(expected, $"hold {hold}, SQL form");
        }

        var onHold = messages.Where(m => active.Any(h => Covers(h, m.ConversationId, m.SentAt))).Select(m => m.Id).Order().ToList();
        (await LegalHoldScope.Messages(db, LegalHoldScope.Active(db)).Select(m => m.Id).OrderBy(id => id).ToListAsync(Ct)).ShouldBe(onHold);
        (await IdsAsync(db, LegalHoldScope.OnHoldCondition("m"))).ShouldBe(onHold);

        // The footprint bounds every covered message: its conversations and key span.
        var footprint = await LegalHoldScope.FootprintAsync(db, LegalHoldScope.Active(db), Ct);
        var heldRows = await db.ChatMessages.Where(m => onHold.Contains(m.Id)).Select(m => new { m.ConversationId, m.SearchKey }).ToListAsync(Ct);
        heldRows.ShouldAllBe(m => footprint.ConversationIds.Contains(m.ConversationId));
        (footprint.FromKey, footprint.UntilKey).ShouldBe((null, null)); // Lucía's hold has no dates
    }

    [Fact]
    public async Task TranscriptHeader_NamesOnlyActiveHoldsWhoseDatesTakeInSomeOfItsMessages()
    {
        await using var host = await TestHost.StartAsync(provider);
        await host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, Ct);
        await using var db = await host.CreateDbContextAsync();
        var desk = await db.Conversations.Where(c => c.Title == "Rates Desk").Select(c => c.Id).SingleAsync(Ct);
        var holds = host.Get<LegalHoldService>();
        await holds.PlaceAsync(new LegalHoldDraft("Desk, 5 October", null, "x", [desk], [], October5, October5.AddDays(1)), Officer, Ct);
        await holds.PlaceAsync(new LegalHoldDraft("Desk, 2019", null, "x", [desk], [], new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)), Officer, Ct);
        await holds.PlaceAsync(new LegalHoldDraft("Desk head, undated", null, "x", [], [DemoExports.Custodian], null, null), Officer, Ct);
        var gone = await holds.PlaceAsync(new LegalHoldDraft("Desk, released", null, "x", [desk], [], null, null), Officer, Ct);
        await holds.ReleaseAsync(gone, "Closed.", Officer, Ct);

        var header = await host.Get<TranscriptService>().OpenAsync(desk, Officer, Ct);

        header!.LegalHolds.ShouldBe(["Desk head, undated", "Desk, 5 October"]);
    }

    private static async Task<List<long>> IdsAsync(ComplianceHubDbContext db, string condition, params (string Name, object? Value)[] parameters)
    {
        await db.Database.OpenConnectionAsync(Ct);
        try
        {
            await using var command = DbCommands.Create(db.Database.GetDbConnection(), null,
                $"SELECT m.\"Id\" FROM \"ChatMessages\" m WHERE {condition} ORDER BY m.\"Id\"", parameters);
            var ids = new List<long>();
            await using var reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                ids.Add(reader.GetInt64(0));
            }

            return ids;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

public sealed class SqliteLegalHoldScopeTests() : LegalHoldScopeTests(DatabaseProvider.Sqlite);

public sealed class PostgresLegalHoldScopeTests() : LegalHoldScopeTests(DatabaseProvider.Postgres);
