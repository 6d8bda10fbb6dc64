using ComplianceHub.Core.Search;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Core.LegalHolds;

/// <summary>Placing and releasing holds over the demo archive, and the search's "on legal hold" filter, on both providers.</summary>
public abstract class LegalHoldServiceTests(DatabaseProvider provider)
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.1.2.3");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset October5 = new(2026, 10, 5, 0, 0, 0, TimeSpan.Zero);

    private static async Task<TestHost> StartAsync(DatabaseProvider provider)
    {
        var host = await TestHost.StartAsync(provider);
        await host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, Ct);
        return host;
    }

    private static async Task<List<long>> HeldAsync(TestHost host, bool onHold, string? text = null)
    {
        var page = await host.Get<MessageSearchService>().SearchAsync(
            new MessageSearchCriteria { Text = text, OnLegalHold = onHold }, Officer, MessageSearchService.MaxPageSize, ct: Ct);
        return page.Hits.Select(h => h.MessageId).Order().ToList();
    }

    [Fact]
    public async Task AHoldOnAConversationAndDates_PreservesExactlyThoseMessages_UntilReleased()
    {
        await using var host = await StartAsync(provider);
        await using var db = await host.CreateDbContextAsync();
        var desk = await db.Conversations.Where(c => c.Title == "Rates Desk").Select(c => c.Id).SingleAsync(Ct);
        var expected = (await db.ChatMessages.Where(m => m.ConversationId == desk).Select(m => new { m.Id, m.SentAt }).ToListAsync(Ct))
            .Where(m => m.SentAt >= October5 && m.SentAt < October5.AddDays(1)).Select(m => m.Id).Order().ToList();
        expected.Count.ShouldBeGreaterThan(5);
        var holds = host.Get<LegalHoldService>();

        var id = await holds.PlaceAsync(new LegalHoldDraft(
            "Northbridge Pension v. Example Bank", "LIT-2026-014", "Gilt orders for Northbridge on 5 October.", [desk], [], October5, October5.AddDays(1)), Officer, Ct);

        (await HeldAsync(host, onHold: true)).ShouldBe(expected);
        var all = await db.ChatMessages.CountAsync(Ct);
        (await HeldAsync(host, onHold: false)).Count.ShouldBe(all - expected.Count);
        (await HeldAsync(host, onHold: true, text: "Northbridge")).ShouldAllBe(m => expected.Contains(m));
        var summary = (await holds.ListAsync(Ct)).Single();
        (summary.MessagesInScope, summary.Conversations.Single(), summary.MatterNumber).ShouldBe((expected.Count, "Rates Desk", "LIT-2026-014"));
        (await holds.CountActiveAsync(Ct)).ShouldBe(1);

        (await Should.ThrowAsync<ComplianceRuleException>(() => holds.ReleaseAsync(id, " ", Officer, Ct))).Message.ShouldBe("Say why the hold is released (1 to 2,000 characters).");
        await holds.ReleaseAsync(id, "Settled on 2026-11-20; counsel confirmed in writing.", Officer, Ct);
        (await Should.ThrowAsync<ComplianceRuleException>(() => holds.ReleaseAsync(id, "again", Officer, Ct))).Message
            .ShouldBe("\"Northbridge Pension v. Example Bank\" was already released by officer@example.com.");

        (await HeldAsync(host, onHold: true)).ShouldBeEmpty();
        (await holds.ListAsync(Ct)).Single().ShouldSatisfyAllConditions(h => h.ReleasedBy.ShouldBe("officer@example.com"), h => h.MessagesInScope.ShouldBe(expected.Count));
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.LegalHoldPlaced && e.Details!.Contains("LIT-2026-014"), Ct)).ShouldBe(1);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.LegalHoldReleased && e.Details!.Contains("Settled on 2026-11-20"), Ct)).ShouldBe(1);

        // The record of the hold cannot be rewritten or removed in the database either.
        await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"LegalHolds\"", Ct));
        await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE \"LegalHolds\" SET \"ReleasedAt\" = NULL", Ct));
        await Should.ThrowAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"LegalHoldConversations\"", Ct));
    }

    [Fact]
    public async Task AHoldOnACustodian_CoversAllTheirConversations()
    {
        await using var host = await StartAsync(provider);
        await using var db = await host.CreateDbContextAsync();
        var kept = await db.ChatMessages
            .Where(m => db.ConversationCustodians.Any(c => c.ConversationId == m.ConversationId && c.Email == DemoExports.Custodian))
            .Select(m => m.Id).OrderBy(id => id).ToListAsync(Ct);
        kept.Count.ShouldBeGreaterThan(20);

        await host.Get<LegalHoldService>().PlaceAsync(new LegalHoldDraft("Rates desk review", null, "Everything the desk head kept.", [], [" Employee@Example.com "], null, null), Officer, Ct);

        (await HeldAsync(host, onHold: true)).ShouldBe(kept);
        (await host.Get<LegalHoldService>().ListAsync(Ct)).Single().Custodians.ShouldBe(["employee@example.com"]);
    }

    [Fact]
    public async Task SeveralHolds_WithAndWithoutDates_HoldTheUnionOfTheirScopes()
    {
        await using var host = await StartAsync(provider);
        await using var db = await host.CreateDbContextAsync();
        var conversations = await db.Conversations.ToDictionaryAsync(c => c.Title, c => c.Id, Ct);
        var desk = conversations["Rates Desk"];
        var lucia = conversations["Lucía Fernández"];
        var messages = await db.ChatMessages.Select(m => new { m.Id, m.ConversationId, m.SentAt }).ToListAsync(Ct);
        var holds = host.Get<LegalHoldService>();
        var sixth = October5.AddDays(1);

        await holds.PlaceAsync(new LegalHoldDraft("Desk, 6 October", null, "x", [desk], [], sixth, sixth.AddDays(1)), Officer, Ct);
        (await HeldAsync(host, onHold: true)).ShouldBe(messages.Where(m => m.ConversationId == desk && m.SentAt >= sixth && m.SentAt < sixth.AddDays(1)).Select(m => m.Id).Order());

        await holds.PlaceAsync(new LegalHoldDraft("Lucía, all of it", null, "x", [lucia], [], null, null), Officer, Ct);
        var both = messages.Where(m => (m.ConversationId == desk && m.SentAt >= sixth && m.SentAt < sixth.AddDays(1)) || m.ConversationId == lucia).Select(m => m.Id).Order().ToList();
        (await HeldAsync(host, onHold: true)).ShouldBe(both);
        (await HeldAsync(host, onHold: false)).Count.ShouldBe(messages.Count - both.Count);
    }

    [Fact]
    public async Task AHoldPlacedFromASearch_HoldsTheConversationsItFinds_AndKeepsTheSearch()
    {
        await using var host = await StartAsync(provider);
        var holds = host.Get<LegalHoldService>();
        var fromSearch = host.Get<LegalHoldFromSearchService>();
        var criteria = new MessageSearchCriteria { Text = "Northbridge", From = October5 };

        await fromSearch.PlaceAsync("Northbridge", null, "Every chat that mentions the client.", criteria, Officer, Ct);

        var hold = (await holds.ListAsync(Ct)).Single();
        (hold.Conversations.Single(), hold.FromSearch, hold.ScopeFrom).ShouldBe(("Rates Desk", true, (DateTimeOffset?)October5));
        await using var db = await host.CreateDbContextAsync();
        (await db.LegalHolds.SingleAsync(Ct)).SourceCriteriaJson!.ShouldContain("\"Text\":\"Northbridge\"");
        (await Should.ThrowAsync<ComplianceRuleException>(() => fromSearch.PlaceAsync("Nothing", null, "x", new MessageSearchCriteria { Text = "zzzqqq" }, Officer, Ct)))
            .Message.ShouldBe("The search finds no conversation to hold.");
    }

    [Fact]
    public async Task AHold_NeedsANameADescriptionAndAScope()
    {
        await using var host = await StartAsync(provider);
        var holds = host.Get<LegalHoldService>();
        await holds.PlaceAsync(new LegalHoldDraft("Matter A", null, "x", [], ["employee@example.com"], null, null), Officer, Ct);

        async Task<string> Refused(LegalHoldDraft draft) => (await Should.ThrowAsync<ComplianceRuleException>(() => holds.PlaceAsync(draft, Officer, Ct))).Message;
        (await Refused(new LegalHoldDraft(" ", null, "x", [1], [], null, null))).ShouldBe("Name the matter (1 to 200 characters).");
        (await Refused(new LegalHoldDraft("B", null, "", [1], [], null, null))).ShouldBe("Describe the matter and what must be preserved (1 to 4,000 characters).");
        (await Refused(new LegalHoldDraft("B", null, "x", [], [], null, null))).ShouldBe("Name at least one conversation or custodian to hold.");
        (await Refused(new LegalHoldDraft("B", null, "x", [], ["not-an-email"], null, null))).ShouldBe("'not-an-email' is not a custodian's e-mail address.");
        (await Refused(new LegalHoldDraft("B", null, "x", [999], [], null, null))).ShouldBe("Conversation 999 is not in the archive.");
        (await Refused(new LegalHoldDraft("B", null, "x", [1], [], October5, October5))).ShouldBe("The end of the range must come after its start.");
        (await Refused(new LegalHoldDraft("matter a", null, "x", [1], [], null, null))).ShouldBe("There is already a hold named \"Matter A\".");
    }
}

public sealed class SqliteLegalHoldServiceTests() : LegalHoldServiceTests(DatabaseProvider.Sqlite);

public sealed class PostgresLegalHoldServiceTests() : LegalHoldServiceTests(DatabaseProvider.Postgres);
