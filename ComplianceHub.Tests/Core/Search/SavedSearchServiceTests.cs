using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Search;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Core.Search;

public abstract class SavedSearchServiceTests(DatabaseProvider provider)
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.1.2.3");
    private static readonly AuditActor Auditor = new("auditor-id", "auditor@example.com", "10.1.2.4");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly MessageSearchCriteria Everything = new()
    {
        Text = "\"bund futures\" OR gilt*",
        Participant = "+44 7700 900123",
        Sender = "Sam",
        ConversationIds = [3, 5],
        Custodian = "alex.kim@example.com",
        From = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Until = new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero),
        Categories = [MessageCategory.Text, MessageCategory.Edited],
        Source = MessageSource.Webhook,
        HasAttachments = false,
        Order = SearchOrder.Relevance,
    };

    [Fact]
    public async Task ASavedSearch_KeepsEveryFilter_IsTheOwnersAlone_AndSavingTheNameAgainReplacesIt()
    {
        await using var host = await TestHost.StartAsync(provider);
        var searches = host.Get<SavedSearchService>();

        var saved = await searches.SaveAsync("  Bund desk Q1 ", Everything, Officer, Ct);
        await searches.SaveAsync("Mine", new MessageSearchCriteria { Text = "audit" }, Auditor, Ct);

        var mine = await searches.ListAsync("officer-id", Ct);
        mine.Select(s => s.Name).ShouldBe(["Bund desk Q1"]);
        var criteria = mine[0].Criteria;
        criteria.ShouldBe(Everything with { ConversationIds = criteria.ConversationIds, Categories = criteria.Categories });
        criteria.ConversationIds.ShouldBe([3, 5]);
        criteria.Categories.ShouldBe([MessageCategory.Text, MessageCategory.Edited]);

        await searches.SaveAsync("Bund desk Q1", new MessageSearchCriteria { Text = "bund" }, Officer, Ct);
        var replaced = (await searches.ListAsync("officer-id", Ct)).Single();
        (replaced.Id, replaced.Criteria.Text, replaced.Criteria.Source).ShouldBe((saved.Id, "bund", null));

        (await searches.DeleteAsync(replaced.Id, Auditor, Ct)).ShouldBeFalse();
        (await searches.DeleteAsync(replaced.Id, Officer, Ct)).ShouldBeTrue();
        (await searches.ListAsync("officer-id", Ct)).ShouldBeEmpty();
        (await searches.ListAsync("auditor-id", Ct)).Count.ShouldBe(1);

        await using var db = await host.CreateDbContextAsync();
        (await db.AuditEvents.Where(e => e.ActorName == "officer@example.com").OrderBy(e => e.Id).Select(e => e.Type).ToListAsync(Ct))
            .ShouldBe([AuditEventType.SavedSearchSaved, AuditEventType.SavedSearchSaved, AuditEventType.SavedSearchDeleted]);
    }

    [Theory]
    [InlineData("", "bund", "Give the search a name of 1 to 100 characters.")]
    [InlineData("Empty", null, "There is nothing to save: type words or choose a filter first.")]
    [InlineData("Broken", "bund AND", "\"AND\" at character 6 needs a word on both sides.")]
    public async Task AnUnusableSearchOrName_IsRefusedWithTheReason_AndNothingIsStored(string name, string? text, string reason)
    {
        await using var host = await TestHost.StartAsync(provider);
        var searches = host.Get<SavedSearchService>();

        var error = await Should.ThrowAsync<ComplianceRuleException>(() => searches.SaveAsync(name, new MessageSearchCriteria { Text = text }, Officer, Ct));

        error.Message.ShouldBe(reason);
        (await searches.ListAsync("officer-id", Ct)).ShouldBeEmpty();
    }
}

public sealed class SqliteSavedSearchServiceTests() : SavedSearchServiceTests(DatabaseProvider.Sqlite);

public sealed class PostgresSavedSearchServiceTests() : SavedSearchServiceTests(DatabaseProvider.Postgres);
