using System.Text;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Retention;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.Core.Archive;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static ComplianceHub.Tests.TestSupport.WebhookPayloads;

namespace ComplianceHub.Tests.Core.Retention;

/// <summary>
/// Retention rules and the dry run of a disposition on both providers: the longest applicable period decides (and is
/// named per conversation and source), expired messages are counted per conversation and rule, active holds keep
/// theirs (messages archived after the hold was placed included), released holds keep nothing, and nothing changes.
/// </summary>
public abstract class RetentionTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.0.0.1");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ExportFiles _files = new();
    private TestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        var settings = WebhookProcessingTests.CaptureSettings();
        settings["Retention:DefaultPeriod"] = "2y";
        _host = await TestHost.StartAsync(provider, settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _files.Dispose();
    }

    private RetentionService Retention => _host.Get<RetentionService>();

    /// <summary>Two exported chats kept by two custodians (2022 and 2025, the clock standing at 2 March 2026) and a captured one from 2023.</summary>
    private async Task<(long Old, long Recent, long Captured)> ArchiveAsync()
    {
        var old = _files.Text("WhatsApp Chat with Maria Silva.txt",
            "[27/03/2022, 21:41:35] Maria Silva: Good evening\r\n[28/03/2022, 09:00:00] Joe Bloggs: Morning\r\n[29/03/2022, 10:00:00] Maria Silva: Contract attached\r\n");
        var recent = _files.Text("WhatsApp Chat with Pat Doe.txt",
            "[05/01/2025, 10:00:00] Pat Doe: New year, new desk\r\n[06/01/2025, 11:00:00] Joe Bloggs: Welcome\r\n");
        var imports = _host.Get<ExportImportService>();
        await imports.ImportAsync(old, "WhatsApp Chat with Maria Silva.txt", new ImportOptions("Europe/Lisbon", "anna@example.com"), Officer, ct: Ct);
        await imports.ImportAsync(recent, "WhatsApp Chat with Pat Doe.txt", new ImportOptions("Europe/Lisbon", "ben@example.com"), Officer, ct: Ct);
        var at = new DateTimeOffset(2023, 6, 1, 9, 0, 0, TimeSpan.Zero);
        await _host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(Inbound(Text("wamid.r1", at, "Captured in 2023"), Text("wamid.r2", at.AddDays(1), "Also 2023"))), "127.0.0.1", Ct);
        await _host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
        await using var db = await _host.CreateDbContextAsync();
        var ids = await db.Conversations.OrderBy(c => c.Id).Select(c => new { c.Id, c.Title }).ToListAsync(Ct);
        return (ids.Single(c => c.Title.Contains("Maria", StringComparison.Ordinal)).Id, ids.Single(c => c.Title.Contains("Pat", StringComparison.Ordinal)).Id,
            ids.Single(c => !c.Title.Contains("Maria", StringComparison.Ordinal) && !c.Title.Contains("Pat", StringComparison.Ordinal)).Id);
    }

    [Theory]
    [InlineData("7y", 7, RetentionUnit.Years)]
    [InlineData(" 18M ", 18, RetentionUnit.Months)]
    [InlineData("6w", 6, RetentionUnit.Weeks)]
    [InlineData("30d", 30, RetentionUnit.Days)]
    public void APeriod_ReadsAsWritten(string text, int count, RetentionUnit unit)
    {
        var period = RetentionPeriod.Parse(text);
        period.ShouldBe(new RetentionPeriod(count, unit));
        RetentionPeriod.Parse(period.ToString()).ShouldBe(period);
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("y7")]
    [InlineData("0d")]
    [InlineData("-1y")]
    [InlineData("1.5y")]
    [InlineData("7 years")]
    [InlineData("101y")]
    public void ABadPeriod_SaysHowToWriteOne(string text) =>
        Should.Throw<FormatException>(() => RetentionPeriod.Parse(text)).Message.ShouldContain(text.Length > 0 && text != "101y" ? "such as 7y" : text == "101y" ? "longer than 100 years" : "such as 7y");

    [Fact]
    public void Periods_CompareByLength_AndCountCalendarYears()
    {
        (RetentionPeriod.Parse("1y") > RetentionPeriod.Parse("364d")).ShouldBeTrue();
        RetentionPeriod.Parse("12m").CompareTo(RetentionPeriod.Parse("1y")).ShouldBe(0);
        (RetentionPeriod.Parse("52w") < RetentionPeriod.Parse("1y")).ShouldBeTrue();
        RetentionPeriod.Parse("7y").ExpiresAfter(new DateTimeOffset(2024, 2, 29, 12, 0, 0, TimeSpan.Zero)).ShouldBe(new DateTimeOffset(2031, 2, 28, 12, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task TheLongestApplicablePeriodDecides_AndIsNamedPerConversationAndSource()
    {
        var (old, recent, captured) = await ArchiveAsync();
        await _host.OnboardAsync("E-1,Anna Smith,anna@example.com,Rates,,+447700900123,2020-01-01,,active\n");

        await Retention.SetRuleAsync(RetentionScope.Department, "rates", "1y", "Shorter: loses to the default", Officer, Ct);
        await Retention.SetRuleAsync(RetentionScope.Custodian, "Ben@Example.com", "3y", "MiFID II, for Ben's desk", Officer, Ct);
        await Retention.SetRuleAsync(RetentionScope.Source, "webhook", "5y", "Live capture: SEC 17a-4", Officer, Ct);
        await Retention.SetRuleAsync(RetentionScope.Conversation, old.ToString(System.Globalization.CultureInfo.InvariantCulture), "10y", "Litigation-prone client", Officer, Ct);

        var decided = (await Retention.DecideAsync(Ct)).ToDictionary(c => c.ConversationId);

        decided[old].Sources.Single().Rule.Describe().ShouldBe($"Conversation {old}: 10 years");
        decided[recent].Sources.Single().Rule.Describe().ShouldBe("Custodian ben@example.com: 3 years");
        decided[captured].Sources.Single().Source.ShouldBe(MessageSource.Webhook);
        decided[captured].Sources.Single().Rule.Describe().ShouldBe("Source Webhook: 5 years");

        // A changed rule replaces the one in force for the same target; the old one stays on record, retired.
        var replaced = await Retention.SetRuleAsync(RetentionScope.Custodian, "ben@example.com", "18m", "Shortened after review", Officer, Ct);
        (await Retention.DecideAsync(Ct)).Single(c => c.ConversationId == recent).Sources.Single().Rule.Describe().ShouldBe("Default: 2 years");
        await using (var db = await _host.CreateDbContextAsync())
        {
            var ben = await db.RetentionRules.Where(r => r.Target == "ben@example.com").OrderBy(r => r.Id).ToListAsync(Ct);
            ben.Select(r => (r.Period, r.InForce)).ShouldBe([("3y", false), ("18m", true)]);
            (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.RetentionRuleSet, Ct)).ShouldBe(5);
        }

        await Retention.RetireRuleAsync(replaced.Id, Officer, Ct);
        (await Retention.RulesInForceAsync(Ct)).ShouldNotContain(r => r.Id == replaced.Id);
    }

    [Theory]
    [InlineData(RetentionScope.Department, "Nowhere", "7y", "reason", "No one on the roster is in a department called 'Nowhere'")]
    [InlineData(RetentionScope.Conversation, "999999", "7y", "reason", "There is no conversation '999999'")]
    [InlineData(RetentionScope.OfficialGroup, "x", "7y", "reason", "There is no official group 'x'")]
    [InlineData(RetentionScope.Source, "fax", "7y", "reason", "applies to 'Export' or 'Webhook'")]
    [InlineData(RetentionScope.Custodian, "not an address", "7y", "reason", "work e-mail address")]
    [InlineData(RetentionScope.Default, "something", "7y", "reason", "give it no target")]
    [InlineData(RetentionScope.Default, null, "seven years", "reason", "is not a retention period")]
    [InlineData(RetentionScope.Default, null, "7y", " ", "Say why this period")]
    public async Task ARuleThatWillNotDo_IsRefusedSayingWhy_AndNothingIsStored(RetentionScope scope, string? target, string period, string reason, string expected)
    {
        var error = await Should.ThrowAsync<ComplianceRuleException>(() => Retention.SetRuleAsync(scope, target, period, reason, Officer, Ct));
        error.Message.ShouldContain(expected);
        await using var db = await _host.CreateDbContextAsync();
        (await db.RetentionRules.CountAsync(Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task ADryRun_CountsWhatHasExpired_KeepsWhatActiveHoldsCover_AndChangesNothing()
    {
        var (old, recent, captured) = await ArchiveAsync();
        await using (var db = await _host.CreateDbContextAsync())
        {
            (await db.ChatMessages.CountAsync(Ct)).ShouldBe(7);
        }

        // The default (2y, configured) has expired the 2022 chat and the 2023 capture, not the 2025 chat.
        var first = await Retention.PlanAsync(Officer, Ct);
        first.DispositionEnabled.ShouldBeFalse();
        first.Rows.Single(r => r.ConversationId == old).Expired.ShouldBe(3);
        first.Rows.Single(r => r.ConversationId == captured).Expired.ShouldBe(2);
        first.Rows.Single(r => r.ConversationId == recent).Expired.ShouldBe(0);
        (first.Expired, first.KeptByHold, first.WouldRemove).ShouldBe((5, 0, 5));
        first.Rows.Single(r => r.ConversationId == old).ExpiredOnOrBefore.ShouldBe(_host.Clock.GetUtcNow().AddYears(-2));

        // A hold on Anna's conversations keeps the 2022 chat, and a chat of hers archived after the hold was placed.
        var hold = await _host.Get<LegalHoldService>().PlaceAsync(new LegalHoldDraft("Silva v. Firm", "M-7", "Anna's chats", [], ["anna@example.com"], null, null), Officer, Ct);
        var later = _files.Text("WhatsApp Chat with Ola Nordmann.txt", "[01/02/2021, 08:00:00] Ola Nordmann: An old chat found later\r\n");
        await _host.Get<ExportImportService>().ImportAsync(later, "WhatsApp Chat with Ola Nordmann.txt", new ImportOptions("Europe/Oslo", "anna@example.com"), Officer, ct: Ct);
        var held = await Retention.PlanAsync(Officer, Ct);
        (held.Expired, held.KeptByHold, held.WouldRemove).ShouldBe((6, 4, 2));
        held.Rows.Single(r => r.ConversationId == old).KeptByHold.ShouldBe(3);
        held.Rows.Single(r => r.ConversationId == captured).WouldRemove.ShouldBe(2);
        held.KeptBy.ShouldBe([new HoldKeeping(hold, "Silva v. Firm", 4)]);

        // Released, the hold keeps nothing.
        await _host.Get<LegalHoldService>().ReleaseAsync(hold, "Matter settled", Officer, Ct);
        var released = await Retention.PlanAsync(Officer, Ct);
        (released.Expired, released.KeptByHold, released.WouldRemove).ShouldBe((6, 0, 6));

        // Dry runs change nothing but the audit trail, which records each with its totals.
        await using var after = await _host.CreateDbContextAsync();
        (await after.ChatMessages.CountAsync(Ct)).ShouldBe(8);
        var audited = await after.AuditEvents.Where(e => e.Type == AuditEventType.DispositionDryRun).OrderBy(e => e.Id).Select(e => e.Details).ToListAsync(Ct);
        audited.Count.ShouldBe(3);
        audited[1].ShouldNotBeNull().ShouldContain("\"keptByHold\":4");
        (await _host.Get<IntegrityVerificationService>().VerifyAllAsync(AuditActor.System, Ct)).ShouldAllBe(r => r.IsIntact);
    }
}

public sealed class SqliteRetentionTests() : RetentionTests(DatabaseProvider.Sqlite);

public sealed class PostgresRetentionTests() : RetentionTests(DatabaseProvider.Postgres);
