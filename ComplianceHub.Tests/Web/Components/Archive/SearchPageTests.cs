using Bunit;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Demo;
using ComplianceHub.Core.Identity;
using ComplianceHub.Core.Search;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Components.Pages.Archive;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TestContext = Xunit.TestContext;

namespace ComplianceHub.Tests.Web.Components.Archive;

public sealed class SearchPageTests : ComponentTestContext
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Searching_ShowsEveryHitWithTheMatchMarked_ThenTheCount_AndAuditsTheSearchOnce()
    {
        // Arrange
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, Ct);
        var expected = await Host.Get<MessageSearchService>().CountAsync(new MessageSearchCriteria { Text = "northbridge" }, Ct);
        expected.Count.ShouldBeInRange(2, 49);
        SignInAs("officer@example.com", Roles.ComplianceOfficer);
        var cut = RenderWithProviders<SearchPage>();

        // Act
        await cut.Find("input[data-testid=search-text]").InputAsync(new ChangeEventArgs { Value = "northbridge" });
        await cut.InvokeAsync(() => cut.Find("[data-testid=search-run]").Click());

        // Assert
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=search-hit]").Count.ShouldBe(expected.Count));
        cut.WaitForAssertion(() => cut.Find("[data-testid=search-count]").TextContent.ShouldStartWith($"{expected.Count} message(s) match"));
        var marks = cut.FindAll("[data-testid=hit-body] mark");
        marks.Count.ShouldBeGreaterThanOrEqualTo(expected.Count);
        marks.ShouldAllBe(m => string.Equals(m.TextContent, "Northbridge", StringComparison.OrdinalIgnoreCase));
        cut.FindAll("[data-testid=search-more]").ShouldBeEmpty();
        await using var db = await Host.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.ArchiveSearched && e.Details!.Contains("northbridge"), Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task AQueryThatCannotRun_SaysWhatIsWrong_AndShowsNoHits()
    {
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, Ct);
        SignInAs("auditor@example.com", Roles.Auditor);
        var cut = RenderWithProviders<SearchPage>();

        await cut.Find("input[data-testid=search-text]").InputAsync(new ChangeEventArgs { Value = "-settle" });
        await cut.InvokeAsync(() => cut.Find("[data-testid=search-run]").Click());

        cut.WaitForAssertion(() => cut.Find("[data-testid=search-error]").TextContent
            .ShouldBe("A search cannot only exclude words: add a word the messages must contain."));
        cut.FindAll("[data-testid=search-hit]").ShouldBeEmpty();
        cut.FindAll("[data-testid=search-place-hold]").ShouldBeEmpty(); // auditors read, they do not place holds
    }

    [Fact]
    public async Task OpenedFromAConversation_SearchesWithinIt_AtOnce()
    {
        await Host.Get<DemoDataSeeder>().SeedAsync(AuditActor.System, Ct);
        await using var db = await Host.CreateDbContextAsync();
        var desk = await db.Conversations.Where(c => c.Title == "Rates Desk").Select(c => c.Id).SingleAsync(Ct);
        var inDesk = await db.ChatMessages.CountAsync(m => m.ConversationId == desk, Ct);
        SignInAs("officer@example.com", Roles.ComplianceOfficer);
        Services.GetRequiredService<NavigationManager>().NavigateTo($"archive/search?conversation={desk}");

        var cut = RenderWithProviders<SearchPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=search-count]").TextContent.ShouldStartWith($"{inDesk} message(s) match"));
        cut.FindAll("[data-testid=hit-conversation]").ShouldAllBe(link => link.TextContent == "Rates Desk");
        cut.FindAll("[data-testid=search-hit]").Count.ShouldBe(Math.Min(inDesk, 50));
    }

    [Fact]
    public void SearchForm_TurnsEveryFieldIntoTheSearch_AndASavedSearchBackIntoTheSameFields()
    {
        var form = new SearchForm
        {
            Text = "bund*", Participant = "Alex", Sender = "+447700900001", Custodian = "desk@example.com", ConversationId = 7,
            FromDay = new DateTime(2026, 10, 5), ToDay = new DateTime(2026, 10, 6), Categories = [MessageCategory.Media, MessageCategory.Edited],
            Source = MessageSource.Webhook, HasAttachments = true, OnLegalHold = false, Order = SearchOrder.Relevance,
        };

        var criteria = form.ToCriteria();

        (criteria.From, criteria.Until).ShouldBe((new DateTimeOffset(2026, 10, 5, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 7, 0, 0, 0, TimeSpan.Zero)));
        criteria.ConversationIds.ShouldBe([7L]);
        var back = SearchForm.From(criteria);
        (back.Text, back.Participant, back.Sender, back.Custodian, back.ConversationId, back.FromDay, back.ToDay)
            .ShouldBe((form.Text, form.Participant, form.Sender, form.Custodian, form.ConversationId, form.FromDay, form.ToDay));
        (back.Source, back.HasAttachments, back.OnLegalHold, back.Order).ShouldBe((form.Source, form.HasAttachments, form.OnLegalHold, form.Order));
        back.Categories.ShouldBe(form.Categories);
        var empty = SearchForm.From(new SearchForm().ToCriteria());
        (empty.ConversationId, empty.FromDay, empty.ToDay, empty.Categories.Count).ShouldBe((null, null, null, 0));
    }
}
