using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Core.Audit;

/// <summary>The hash-chained audit trail, held to the same behaviour on both providers.</summary>
public abstract class AuditChainTests(DatabaseProvider provider)
{
    private static readonly AuditActor Alice = new("user-alice", "alice@example.com", "10.0.0.7");

    private async Task RecordAsync(TestHost host, int count, AuditEventType type = AuditEventType.SignInSucceeded)
    {
        var audit = host.Get<AuditLog>();
        for (var i = 0; i < count; i++)
        {
            await using var db = await host.CreateDbContextAsync();
            audit.Record(db, type, Alice, AuditSubject.User("user-bob"), new { attempt = i });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            host.Clock.Advance(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task Record_SeveralEvents_ChainsThemInOrderFromGenesis()
    {
        await using var host = await TestHost.StartAsync(provider);

        await RecordAsync(host, 3);

        await using var db = await host.CreateDbContextAsync();
        var events = await db.AuditEvents.OrderBy(e => e.Id).ToListAsync(TestContext.Current.CancellationToken);
        events.Select(e => e.Id).ShouldBe([1L, 2L, 3L]);
        events[0].PreviousHash.ShouldBe(AuditEvent.GenesisHash);
        events[1].PreviousHash.ShouldBe(events[0].Hash);
        events[2].PreviousHash.ShouldBe(events[1].Hash);
        events.ShouldAllBe(e => e.Hash == e.ComputeHash() && e.Hash.Length == 64);
        events[0].ActorName.ShouldBe("alice@example.com");
        events[0].IpAddress.ShouldBe("10.0.0.7");
        events[0].SubjectId.ShouldBe("user-bob");
        events[0].Details.ShouldBe("{\"attempt\":0}");
        events[0].OccurredAt.ShouldBe(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Verify_UntouchedChain_IsIntact()
    {
        await using var host = await TestHost.StartAsync(provider);
        await RecordAsync(host, 5);

        var result = (await host.Get<AuditChainVerifier>().VerifyAsync(TestContext.Current.CancellationToken)).Single();

        result.IsIntact.ShouldBeTrue();
        result.RecordsChecked.ShouldBe(5);
        result.BrokenRecord.ShouldBeNull();
    }

    [Fact]
    public async Task Verify_AfterFieldAlteredInDatabase_ReportsThatRecord()
    {
        await using var host = await TestHost.StartAsync(provider);
        await RecordAsync(host, 5);
        await host.DropAuditAppendOnlyTriggersAsync();

        await host.ExecuteSqlAsync("UPDATE \"AuditEvents\" SET \"ActorName\" = 'mallory@example.com' WHERE \"Id\" = 3");

        var result = (await host.Get<AuditChainVerifier>().VerifyAsync(TestContext.Current.CancellationToken)).Single();
        result.IsIntact.ShouldBeFalse();
        result.BrokenRecord.ShouldBe("audit event 3");
        result.Problem!.ShouldContain("content does not match");
        result.RecordsChecked.ShouldBe(2);
    }

    [Fact]
    public async Task Verify_AfterRecordDeleted_ReportsTheGap()
    {
        await using var host = await TestHost.StartAsync(provider);
        await RecordAsync(host, 4);
        await host.DropAuditAppendOnlyTriggersAsync();

        await host.ExecuteSqlAsync("DELETE FROM \"AuditEvents\" WHERE \"Id\" = 2");

        var result = (await host.Get<AuditChainVerifier>().VerifyAsync(TestContext.Current.CancellationToken)).Single();
        result.IsIntact.ShouldBeFalse();
        result.BrokenRecord.ShouldBe("audit event 3");
        result.Problem!.ShouldContain("missing");
    }

    [Fact]
    public async Task Verify_AfterHashRecomputedForAlteredRecord_ReportsTheNextLink()
    {
        // An attacker who rewrites a record and its own hash still breaks the next record's link.
        await using var host = await TestHost.StartAsync(provider);
        await RecordAsync(host, 3);
        await host.DropAuditAppendOnlyTriggersAsync();
        await host.ExecuteSqlAsync("UPDATE \"AuditEvents\" SET \"Hash\" = '" + new string('a', 64) + "' WHERE \"Id\" = 2");

        var result = (await host.Get<AuditChainVerifier>().VerifyAsync(TestContext.Current.CancellationToken)).Single();

        result.BrokenRecord.ShouldBe("audit event 2");
    }

    [Fact]
    public async Task UpdateOrDelete_InDatabase_IsRefusedByTheAppendOnlyGuard()
    {
        await using var host = await TestHost.StartAsync(provider);
        await RecordAsync(host, 1);

        var update = await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync("UPDATE \"AuditEvents\" SET \"ActorName\" = 'x'"));
        update.Message.ShouldContain("append-only");
        var delete = await Should.ThrowAsync<Exception>(() => host.ExecuteSqlAsync("DELETE FROM \"AuditEvents\""));
        delete.Message.ShouldContain("append-only");
    }

    [Fact]
    public async Task SaveChanges_WithModifiedAuditEvent_Throws()
    {
        await using var host = await TestHost.StartAsync(provider);
        await RecordAsync(host, 1);
        await using var db = await host.CreateDbContextAsync();
        var stored = await db.AuditEvents.SingleAsync(TestContext.Current.CancellationToken);

        db.Entry(stored).Property(e => e.ActorName).CurrentValue = "someone else";

        var ex = await Should.ThrowAsync<InvalidOperationException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
        ex.Message.ShouldContain("append-only");
    }

    [Fact]
    public async Task Record_FromConcurrentWriters_KeepsOneContiguousChain()
    {
        await using var host = await TestHost.StartAsync(provider);
        var audit = host.Get<AuditLog>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 40), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            await using var db = await host.CreateDbContextAsync();
            audit.Record(db, AuditEventType.SignInFailed, Alice, details: new { writer = i });
            audit.Record(db, AuditEventType.AccountLockedOut, Alice, details: new { writer = i });
            await db.SaveChangesAsync(ct);
        });

        var result = (await host.Get<AuditChainVerifier>().VerifyAsync(TestContext.Current.CancellationToken)).Single();
        result.IsIntact.ShouldBeTrue(result.Problem);
        result.RecordsChecked.ShouldBe(80);
    }

    [Fact]
    public async Task Record_RolledBackTransaction_LeavesNoAuditEvent()
    {
        await using var host = await TestHost.StartAsync(provider);
        await using (var db = await host.CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            host.Get<AuditLog>().Record(db, AuditEventType.UserLocked, Alice);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        await RecordAsync(host, 1);

        await using var check = await host.CreateDbContextAsync();
        (await check.AuditEvents.Select(e => e.Id).ToListAsync(TestContext.Current.CancellationToken)).ShouldBe([1L]);
        (await host.Get<AuditChainVerifier>().VerifyAsync(TestContext.Current.CancellationToken)).Single().IsIntact.ShouldBeTrue();
    }

    [Fact]
    public async Task VerifyAll_RecordsTheOutcomeInTheTrail()
    {
        await using var host = await TestHost.StartAsync(provider);
        await RecordAsync(host, 2);

        var results = await host.Get<IntegrityVerificationService>().VerifyAllAsync(Alice, TestContext.Current.CancellationToken);

        results.ShouldAllBe(r => r.IsIntact);
        var last = await host.Get<AuditQueryService>().LatestAsync(AuditEventType.IntegrityVerified, TestContext.Current.CancellationToken);
        last.ShouldNotBeNull();
        last.Details!.ShouldContain("\"intact\":true");
    }

    [Fact]
    public async Task Search_FiltersByActorTypeAndDate_NewestFirstWithKeysetPaging()
    {
        await using var host = await TestHost.StartAsync(provider);
        await RecordAsync(host, 5, AuditEventType.SignInSucceeded);
        await RecordAsync(host, 2, AuditEventType.SignInFailed);
        var queries = host.Get<AuditQueryService>();
        var viewer = new AuditActor("officer", "officer@example.com", null);

        var first = await queries.SearchAsync(new AuditQuery { Type = AuditEventType.SignInSucceeded, PageSize = 3 }, viewer, TestContext.Current.CancellationToken);
        first.TotalCount.ShouldBe(5);
        first.Items.Select(e => e.Id).ShouldBe([5L, 4L, 3L]);
        first.NextBeforeId.ShouldBe(3);

        var second = await queries.SearchAsync(new AuditQuery { Type = AuditEventType.SignInSucceeded, PageSize = 3, BeforeId = first.NextBeforeId }, viewer, TestContext.Current.CancellationToken);
        second.Items.Select(e => e.Id).ShouldBe([2L, 1L]);
        second.NextBeforeId.ShouldBeNull();

        var byActor = await queries.SearchAsync(new AuditQuery { Actor = "alice" }, viewer, TestContext.Current.CancellationToken);
        byActor.TotalCount.ShouldBe(7);

        var from = new DateTimeOffset(2026, 3, 2, 9, 30, 5, TimeSpan.Zero);
        var byDate = await queries.SearchAsync(new AuditQuery { From = from, To = from.AddSeconds(2) }, viewer, TestContext.Current.CancellationToken);
        byDate.Items.Select(e => e.Id).ShouldBe([7L, 6L]);

        // Each first-page search was itself audited, with its filters.
        var searches = await queries.SearchAsync(new AuditQuery { Type = AuditEventType.AuditTrailSearched }, viewer, TestContext.Current.CancellationToken);
        searches.TotalCount.ShouldBe(3);
        searches.Items.ShouldAllBe(e => e.ActorName == "officer@example.com");
    }
}

public sealed class SqliteAuditChainTests() : AuditChainTests(DatabaseProvider.Sqlite);

public sealed class PostgresAuditChainTests() : AuditChainTests(DatabaseProvider.Postgres);
