using System.Text.Json;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Search;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace ComplianceHub.Tests.Core.Search;

/// <summary>
/// Search semantics on a small archive of two imported chats, run unchanged on SQLite and on
/// PostgreSQL: the same query and filters must give the same hits in the same order on both.
/// </summary>
public abstract class MessageSearchTests(DatabaseProvider provider) : IAsyncLifetime
{
    private const string TradingDesk = """
        18/03/2022, 09:00 - Alex Kim created group "Trading Desk"
        18/03/2022, 09:01 - Alex Kim: Morning all, Bund futures opening soft
        18/03/2022, 09:02 - +44 7700 900123: Copy. Client wants 50 lots at 167.20
        18/03/2022, 09:03 - Sam Patel: IMG-20220318-WA0001.jpg (file attached)
        chart from this morning
        18/03/2022, 09:04 - Alex Kim: This message was deleted
        18/03/2022, 09:05 - Sam Patel: Filled at 167.18 <This message was edited>
        18/03/2022, 09:06 - Sam Patel: Crème brûlée at the Łódź office party
        18/03/2022, 09:07 - Alex Kim: Встреча с клиентом завтра
        18/03/2022, 09:08 - Alex Kim: مرحبا بالعالم
        18/03/2022, 09:09 - Sam Patel: नमस्ते दुनिया
        18/03/2022, 09:10 - Sam Patel: 我们的世界很大
        18/03/2022, 09:11 - Alex Kim: e-mail the settlement instructions to ops@example.com
        """;

    private const string JordanLee = """
        02/01/2023, 10:00 - Jordan Lee: Can we discuss the bund position privately?
        02/01/2023, 10:01 - Sam Patel: Not on this channel please
        02/01/2023, 10:02 - Jordan Lee: Understood, settlement tomorrow
        """;

    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.1.2.3");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ExportFiles _files = new();
    private TestHost _host = null!;
    private long _desk;
    private long _jordan;

    public async ValueTask InitializeAsync()
    {
        _host = await TestHost.StartAsync(provider);
        var imports = _host.Get<ExportImportService>();
        var desk = await imports.ImportAsync(
            _files.Text("WhatsApp Chat with Trading Desk.txt", TradingDesk), "WhatsApp Chat with Trading Desk.txt",
            new ImportOptions("UTC", "alex.kim@example.com"), Officer, ct: Ct);
        var jordan = await imports.ImportAsync(
            _files.Text("WhatsApp Chat with Jordan Lee.txt", JordanLee), "WhatsApp Chat with Jordan Lee.txt",
            new ImportOptions("UTC", "sam.patel@example.com"), Officer, ct: Ct);
        _desk = desk.ConversationId;
        _jordan = jordan.ConversationId;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _files.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<MessageSearchPage> SearchAsync(MessageSearchCriteria criteria, int pageSize = 100, string? after = null) =>
        await _host.Get<MessageSearchService>().SearchAsync(criteria, Officer, pageSize, after, Ct);

    private async Task<int> CountAsync(MessageSearchCriteria criteria) =>
        (await _host.Get<MessageSearchService>().CountAsync(criteria, Ct)).Count;

    private async Task<List<string>> BodiesAsync(string text) =>
        (await SearchAsync(new MessageSearchCriteria { Text = text })).Hits.Select(h => h.Body).ToList();

    [Fact]
    public async Task Words_MustAllOccur_NewestFirst()
    {
        (await BodiesAsync("bund")).ShouldBe(["Can we discuss the bund position privately?", "Morning all, Bund futures opening soft"]);
        (await BodiesAsync("bund futures")).ShouldBe(["Morning all, Bund futures opening soft"]);
        (await BodiesAsync("BUND AND futures")).ShouldBe(["Morning all, Bund futures opening soft"]);
        (await BodiesAsync("bund nowhere")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Phrases_MatchWordsInOrder()
    {
        (await BodiesAsync("\"futures opening\"")).ShouldBe(["Morning all, Bund futures opening soft"]);
        (await BodiesAsync("\"opening futures\"")).ShouldBeEmpty();
        (await BodiesAsync("“bund position”")).ShouldBe(["Can we discuss the bund position privately?"]);
    }

    [Fact]
    public async Task Prefixes_OrAndNot()
    {
        (await BodiesAsync("settle*")).ShouldBe(["Understood, settlement tomorrow", "e-mail the settlement instructions to ops@example.com"]);
        (await BodiesAsync("bund OR settlement")).Count.ShouldBe(4);
        (await BodiesAsync("bund NOT futures")).ShouldBe(["Can we discuss the bund position privately?"]);
        (await BodiesAsync("bund -futures")).ShouldBe(["Can we discuss the bund position privately?"]);
        (await BodiesAsync("(bund OR settlement) NOT privately NOT instructions")).ShouldBe(["Understood, settlement tomorrow", "Morning all, Bund futures opening soft"]);
    }

    [Fact]
    public async Task Accents_FoldOnLatinLetters_ButLetterLikeŁStaysDistinct()
    {
        var party = "Crème brûlée at the Łódź office party";
        (await BodiesAsync("creme brulee")).ShouldBe([party]);
        (await BodiesAsync("CRÈME")).ShouldBe([party]);
        (await BodiesAsync("łódź")).ShouldBe([party]);
        (await BodiesAsync("lodz")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("клиентом", "Встреча с клиентом завтра")]
    [InlineData("مرحبا", "مرحبا بالعالم")]
    [InlineData("दुनिया", "नमस्ते दुनिया")]
    [InlineData("世界", "我们的世界很大")]
    [InlineData("我们的世界", "我们的世界很大")]
    [InlineData("很大", "我们的世界很大")]
    public async Task NonLatinWords_AreFound(string query, string body) =>
        (await BodiesAsync(query)).ShouldBe([body]);

    [Fact]
    public async Task Emoji_AndSingleChineseOrJapaneseCharacters_FindEveryMessageHoldingThem()
    {
        const string chat = """
            05/02/2024, 10:00 - Mei Tanaka: Deal 👍
            05/02/2024, 10:01 - Mei Tanaka: 👍🏽 agreed
            05/02/2024, 10:02 - Mei Tanaka: 👎 not at that price
            05/02/2024, 10:03 - Mei Tanaka: 👨‍💻 on it, ☕ first
            05/02/2024, 10:04 - Mei Tanaka: 大丈夫です
            05/02/2024, 10:05 - Mei Tanaka: 東京 office
            """;
        await _host.Get<ExportImportService>().ImportAsync(_files.Text("WhatsApp Chat with Mei Tanaka.txt", chat), "WhatsApp Chat with Mei Tanaka.txt",
            new ImportOptions("UTC", "sam.patel@example.com"), Officer, ct: Ct);

        (await BodiesAsync("👍")).ShouldBe(["👍🏽 agreed", "Deal 👍"]);
        (await BodiesAsync("👍🏽")).ShouldBe(["👍🏽 agreed"]);
        (await BodiesAsync("👎")).ShouldBe(["👎 not at that price"]);
        (await BodiesAsync("👨‍💻")).ShouldBe(["👨‍💻 on it, ☕ first"]);
        (await BodiesAsync("☕")).ShouldBe(["👨‍💻 on it, ☕ first"]);
        // A character at the end of its run, in the middle, at the start; and a run of one.
        (await BodiesAsync("大")).ShouldBe(["大丈夫です", "我们的世界很大"]);
        (await BodiesAsync("す")).ShouldBe(["大丈夫です"]);
        (await BodiesAsync("界")).ShouldBe(["我们的世界很大"]);
        (await BodiesAsync("京")).ShouldBe(["東京 office"]);
        (await BodiesAsync("京 office")).ShouldBe(["東京 office"]);
        (await BodiesAsync("\"东京\"")).ShouldBeEmpty();

        var thumbs = (await SearchAsync(new MessageSearchCriteria { Text = "👍" })).Hits[1];
        thumbs.Highlighted.Where(h => h.IsMatch).Select(h => h.Text).ShouldBe(["👍"]);
        var big = (await SearchAsync(new MessageSearchCriteria { Text = "大" })).Hits.Single(h => h.Body == "我们的世界很大");
        big.Highlighted.Where(h => h.IsMatch).Select(h => h.Text).ShouldBe(["大"]);
    }

    [Fact]
    public async Task TheUpgradeThatIndexesEmoji_EmptiesTheIndex_AndTheRebuildAfterItFindsEverythingAgain()
    {
        await using var db = await _host.CreateDbContextAsync();
        var migrations = db.GetService<IMigrationsAssembly>();
        var (id, type) = migrations.Migrations.Single(m => m.Key.EndsWith("_EmojiSearchIndex", StringComparison.Ordinal));
        foreach (var sql in migrations.CreateMigration(type, db.Database.ProviderName!).UpOperations.OfType<SqlOperation>())
        {
            await db.Database.ExecuteSqlRawAsync(sql.Sql, Ct);
        }

        (await BodiesAsync("bund")).ShouldBeEmpty();

        foreach (var followUp in _host.Get<IEnumerable<IAfterMigrations>>())
        {
            await followUp.RunAsync(db, [id], Ct);
        }

        (await BodiesAsync("bund")).Count.ShouldBe(2);
        (await BodiesAsync("大")).ShouldBe(["我们的世界很大"]);
    }

    [Fact]
    public async Task PunctuatedWordsAndFileNames_AreFound()
    {
        var mail = "e-mail the settlement instructions to ops@example.com";
        (await BodiesAsync("ops@example.com")).ShouldBe([mail]);
        (await BodiesAsync("e-mail")).ShouldBe([mail]);
        (await BodiesAsync("IMG-20220318-WA0001.jpg")).ShouldHaveSingleItem().ShouldEndWith("chart from this morning");
    }

    [Fact]
    public async Task Hits_HighlightTheMatchedWords()
    {
        var hit = (await SearchAsync(new MessageSearchCriteria { Text = "bund futures" })).Hits.Single();
        hit.Highlighted.Where(s => s.IsMatch).Select(s => s.Text).ShouldBe(["Bund", "futures"]);
        hit.Highlighted[0].ShouldBe(new HighlightSegment("Morning all, ", false));
        string.Concat(hit.Highlighted.Select(s => s.Text)).ShouldBe(hit.Body);
        (hit.Conversation, hit.Sender, hit.ConversationId).ShouldBe(("Trading Desk", "Alex Kim", _desk));

        var chinese = (await SearchAsync(new MessageSearchCriteria { Text = "世界" })).Hits.Single();
        chinese.Highlighted.Where(s => s.IsMatch).Select(s => s.Text).ShouldBe(["世界"]);

        var prefix = (await SearchAsync(new MessageSearchCriteria { Text = "settle* -instructions" })).Hits.Single();
        prefix.Highlighted.Where(s => s.IsMatch).Select(s => s.Text).ShouldBe(["settlement"]);
    }

    [Fact]
    public async Task Filters_ParticipantSenderConversationCustodianAndDates()
    {
        (await SearchAsync(new MessageSearchCriteria { Participant = "jordan" })).Hits.ShouldAllBe(h => h.ConversationId == _jordan);
        (await CountAsync(new MessageSearchCriteria { Participant = "jordan" })).ShouldBe(3);
        (await SearchAsync(new MessageSearchCriteria { Participant = "+44 7700 900123" })).Hits.ShouldAllBe(h => h.ConversationId == _desk);
        (await CountAsync(new MessageSearchCriteria { Participant = "07700 900123" })).ShouldBe(12);
        (await CountAsync(new MessageSearchCriteria { Participant = "nobody at all" })).ShouldBe(0);

        var fromSam = await SearchAsync(new MessageSearchCriteria { Sender = "Sam Patel" });
        fromSam.Hits.ShouldAllBe(h => h.Sender == "Sam Patel");
        fromSam.Hits.Count.ShouldBe(6);
        (await CountAsync(new MessageSearchCriteria { Sender = "Sam Patel" })).ShouldBe(6);
        (await SearchAsync(new MessageSearchCriteria { Text = "settlement", Sender = "jordan" })).Hits.Single().Body.ShouldBe("Understood, settlement tomorrow");

        (await SearchAsync(new MessageSearchCriteria { Text = "bund", ConversationIds = [_desk] })).Hits.Single().ConversationId.ShouldBe(_desk);
        (await SearchAsync(new MessageSearchCriteria { Custodian = "SAM.PATEL@example.com" })).Hits.ShouldAllBe(h => h.ConversationId == _jordan);

        var in2023 = new MessageSearchCriteria { Text = "bund", From = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        (await SearchAsync(in2023)).Hits.Single().ConversationId.ShouldBe(_jordan);
        var exactMinute = new MessageSearchCriteria
        {
            From = new DateTimeOffset(2022, 3, 18, 9, 1, 0, TimeSpan.Zero), Until = new DateTimeOffset(2022, 3, 18, 9, 2, 0, TimeSpan.Zero),
        };
        (await SearchAsync(exactMinute)).Hits.Single().Body.ShouldBe("Morning all, Bund futures opening soft");
    }

    [Fact]
    public async Task AParticipant_IsFoundByTheirRosterPerson_ByNameOrById()
    {
        await _host.OnboardAsync("E9,Chris Morgan,chris.morgan@example.com,Rates,,+44 7700 900123,2022-01-01,,active\n");
        await using var db = await _host.CreateDbContextAsync();
        var chris = await db.People.SingleAsync(p => p.EmployeeId == "E9", Ct);

        // The export shows only "+44 7700 900123"; the roster knows the number is Chris Morgan's.
        (await SearchAsync(new MessageSearchCriteria { Participant = "chris morgan" })).Hits.ShouldAllBe(h => h.ConversationId == _desk);
        (await CountAsync(new MessageSearchCriteria { Participant = "chris morgan" })).ShouldBe(12);
        (await CountAsync(new MessageSearchCriteria { PersonId = chris.Id })).ShouldBe(12);
        (await SearchAsync(new MessageSearchCriteria { Text = "lots", Sender = "Chris" })).Hits.Single().Body.ShouldStartWith("Copy. Client wants 50 lots");
        (await CountAsync(new MessageSearchCriteria { PersonId = chris.Id + 1000 })).ShouldBe(0);
    }

    [Fact]
    public async Task Filters_KindSourceAndAttachments()
    {
        async Task<List<string>> Bodies(MessageSearchCriteria criteria) => (await SearchAsync(criteria)).Hits.Select(h => h.Body).ToList();

        (await Bodies(new MessageSearchCriteria { Categories = [MessageCategory.Deleted] })).ShouldBe(["This message was deleted"]);
        (await Bodies(new MessageSearchCriteria { Categories = [MessageCategory.Edited] })).ShouldBe(["Filled at 167.18"]);
        (await Bodies(new MessageSearchCriteria { Categories = [MessageCategory.Media] })).ShouldHaveSingleItem().ShouldEndWith("chart from this morning");
        (await Bodies(new MessageSearchCriteria { Categories = [MessageCategory.System] })).Count.ShouldBe(1);
        (await Bodies(new MessageSearchCriteria { Categories = [MessageCategory.Deleted, MessageCategory.Edited] })).Count.ShouldBe(2);
        (await Bodies(new MessageSearchCriteria { HasAttachments = true })).ShouldHaveSingleItem().ShouldEndWith("chart from this morning");
        (await Bodies(new MessageSearchCriteria { HasAttachments = false })).Count.ShouldBe(14);
        (await Bodies(new MessageSearchCriteria { Source = MessageSource.Webhook })).ShouldBeEmpty();
        (await Bodies(new MessageSearchCriteria { Source = MessageSource.Export, Text = "bund" })).Count.ShouldBe(2);
    }

    [Fact]
    public async Task KeysetPages_CoverEveryHitOnce_EvenWhenMessagesArriveBetweenPages()
    {
        var criteria = new MessageSearchCriteria { ConversationIds = [_desk] };
        var all = (await SearchAsync(criteria)).Hits.Select(h => h.MessageId).ToList();
        all.Count.ShouldBe(12);

        var paged = new List<long>();
        var first = await SearchAsync(criteria, pageSize: 5);
        (await CountAsync(criteria)).ShouldBe(12);
        paged.AddRange(first.Hits.Select(h => h.MessageId));

        // A later export of the same chat adds a newer message: the next pages go on where they were.
        await _host.Get<ExportImportService>().ImportAsync(
            _files.Text("WhatsApp Chat with Trading Desk 2.txt", TradingDesk + "\n18/03/2022, 09:30 - Alex Kim: Closing out"),
            "WhatsApp Chat with Trading Desk.txt", new ImportOptions("UTC"), Officer, ct: Ct);
        var next = first.Next;
        while (next is not null)
        {
            var page = await SearchAsync(criteria, pageSize: 5, after: next);
            paged.AddRange(page.Hits.Select(h => h.MessageId));
            next = page.Next;
        }

        paged.ShouldBe(all);
    }

    [Fact]
    public async Task Relevance_FindsTheSameHits_AndPagesThroughThem()
    {
        var newest = await SearchAsync(new MessageSearchCriteria { Text = "bund OR settlement OR futures" });
        var relevance = new MessageSearchCriteria { Text = "bund OR settlement OR futures", Order = SearchOrder.Relevance };
        var ranked = await SearchAsync(relevance);
        ranked.Hits.Select(h => h.MessageId).ShouldBe(newest.Hits.Select(h => h.MessageId), ignoreOrder: true);
        ranked.Hits[0].Body.ShouldBe("Morning all, Bund futures opening soft"); // two of the words

        var paged = new List<long>();
        string? next = null;
        do
        {
            var page = await SearchAsync(relevance, pageSize: 1, after: next);
            paged.AddRange(page.Hits.Select(h => h.MessageId));
            next = page.Next;
        }
        while (next is not null);

        paged.ShouldBe(ranked.Hits.Select(h => h.MessageId));
    }

    [Fact]
    public async Task EverySearch_IsAudited_WithItsQueryAndFilters_OncePerSearchNotPerPage()
    {
        var criteria = new MessageSearchCriteria { Text = "bund", Participant = "jordan", Categories = [MessageCategory.Text] };
        var first = await SearchAsync(criteria, pageSize: 1);
        await SearchAsync(new MessageSearchCriteria { Text = "bund" }, pageSize: 1, after: first.Next ?? (await SearchAsync(new MessageSearchCriteria { Text = "bund" }, pageSize: 1)).Next);

        await using var db = await _host.CreateDbContextAsync();
        var events = await db.AuditEvents.Where(e => e.Type == AuditEventType.ArchiveSearched).OrderBy(e => e.Id).ToListAsync(Ct);
        events.Count.ShouldBe(2);
        events.ShouldAllBe(e => e.ActorName == "officer@example.com");
        using var details = JsonDocument.Parse(events[0].Details!);
        details.RootElement.GetProperty("query").GetString().ShouldBe("bund");
        details.RootElement.GetProperty("participant").GetString().ShouldBe("jordan");
        details.RootElement.GetProperty("categories")[0].GetString().ShouldBe("Text");
    }

    [Theory]
    [InlineData("bund AND", "\"AND\" at character 6 needs a word on both sides.")]
    [InlineData("NOT bund", "A search cannot only exclude words")]
    [InlineData("\"bund futures", "The phrase starting at character 1 has no closing quote.")]
    [InlineData("(bund OR futures", "The \"(\" at character 1 is never closed.")]
    [InlineData("!!!", "There is nothing to search for")]
    public async Task UnusableQueries_SayWhatIsWrongAndWhere(string query, string message)
    {
        var error = await Should.ThrowAsync<SearchQueryException>(() => SearchAsync(new MessageSearchCriteria { Text = query }));
        error.Message.ShouldStartWith(message);
    }
}

public sealed class SqliteMessageSearchTests() : MessageSearchTests(DatabaseProvider.Sqlite);

public sealed class PostgresMessageSearchTests() : MessageSearchTests(DatabaseProvider.Postgres);
