using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Integrity;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Retention;
using ComplianceHub.Core.Search;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.Core.Archive;
using ComplianceHub.Tests.Core.Integrity;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static ComplianceHub.Tests.TestSupport.WebhookPayloads;

namespace ComplianceHub.Tests.Core.Retention;

/// <summary>
/// Real disposition runs on both providers: a run removes exactly what its dry run said, leaving tombstones that keep every
/// chain verifying; active holds keep theirs however they are scoped (placed before or after the messages came, by
/// conversation, custodian, dates or a saved search), released ones nothing; files nothing kept names go, shared ones stay;
/// four eyes; a run that fails half-way leaves whole conversations and finishes when resumed; the database refuses every
/// other removal; altered tombstones turn verify red; and nothing removed can be read back from the database's files.
/// </summary>
public abstract class DispositionTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.0.0.1");
    private static readonly AuditActor SecondOfficer = new("officer-2", "second.officer@example.com", "10.0.0.2");
    private static readonly AuditActor Admin = new("admin-id", "admin@example.com", "10.0.0.3");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly byte[] SharedPhoto = RandomNumberGenerator.GetBytes(3000);
    private static readonly byte[] OwnPhoto = RandomNumberGenerator.GetBytes(2000);
    private readonly ExportFiles _files = new();
    private TestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        var settings = WebhookProcessingTests.CaptureSettings();
        settings["Retention:DefaultPeriod"] = "2y";
        settings["Retention:DispositionEnabled"] = "true";
        settings["Retention:RequireApproval"] = "false";
        _host = await TestHost.StartAsync(provider, settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _files.Dispose();
    }

    private DispositionService Disposition => _host.Get<DispositionService>();

    private RetentionService Retention => _host.Get<RetentionService>();

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// The clock stands at 2 March 2026, the default keeps 2 years. Expired: Maria's 2022 chat (Anna's; a photo of its own and a
    /// photo shared with Pat's chat), the 2023 capture. Kept: Pat's 2025 chat (Ben's, with the shared photo).
    /// </summary>
    private async Task<(long Old, long Recent, long Captured)> ArchiveAsync()
    {
        var old = _files.Zip("WhatsApp Chat - Maria Silva.zip", "_chat.txt",
            "[27/03/2022, 21:41:35] Maria Silva: Good evening zanzibarquokka\r\n" +
            "[28/03/2022, 09:00:00] Joe Bloggs: \u200E<attached: 00000001-PHOTO-shared.jpg>\r\n" +
            "[29/03/2022, 10:00:00] Maria Silva: \u200E<attached: 00000002-PHOTO-own.jpg>\r\n",
            ("00000001-PHOTO-shared.jpg", SharedPhoto), ("00000002-PHOTO-own.jpg", OwnPhoto));
        var recent = _files.Zip("WhatsApp Chat - Pat Doe.zip", "_chat.txt",
            "[05/01/2025, 10:00:00] Pat Doe: New year, new desk\r\n" +
            "[06/01/2025, 11:00:00] Joe Bloggs: \u200E<attached: 00000003-PHOTO-shared.jpg>\r\n",
            ("00000003-PHOTO-shared.jpg", SharedPhoto));
        var imports = _host.Get<ExportImportService>();
        await imports.ImportAsync(old, "WhatsApp Chat - Maria Silva.zip", new ImportOptions("Europe/Lisbon", "anna@example.com"), Officer, ct: Ct);
        await imports.ImportAsync(recent, "WhatsApp Chat - Pat Doe.zip", new ImportOptions("Europe/Lisbon", "ben@example.com"), Officer, ct: Ct);
        var at = new DateTimeOffset(2023, 6, 1, 9, 0, 0, TimeSpan.Zero);
        await _host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(Inbound(Text("wamid.r1", at, "Captured in 2023 pangolinquartz"), Text("wamid.r2", at.AddDays(1), "Also 2023"))), "127.0.0.1", Ct);
        await _host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
        await using var db = await _host.CreateDbContextAsync();
        var ids = await db.Conversations.OrderBy(c => c.Id).Select(c => new { c.Id, c.Title }).ToListAsync(Ct);
        return (ids.Single(c => c.Title.Contains("Maria", StringComparison.Ordinal)).Id, ids.Single(c => c.Title.Contains("Pat", StringComparison.Ordinal)).Id,
            ids.Single(c => !c.Title.Contains("Maria", StringComparison.Ordinal) && !c.Title.Contains("Pat", StringComparison.Ordinal)).Id);
    }

    private async Task<int> CountAsync(Func<ComplianceHubDbContext, Task<int>> count)
    {
        await using var db = await _host.CreateDbContextAsync();
        return await count(db);
    }

    private async Task<IReadOnlyList<ChainVerificationResult>> VerifyAsync() =>
        await _host.Get<IntegrityVerificationService>().VerifyAllAsync(AuditActor.System, Ct);

    [Fact]
    public async Task ARun_RemovesExactlyWhatItsDryRunSaid_LeavingTombstones_AndVerifyStaysGreenCrossingThem()
    {
        var (old, recent, captured) = await ArchiveAsync();
        var hold = await _host.Get<LegalHoldService>().PlaceAsync(new LegalHoldDraft("Doe inquiry", null, "Pat's chat", [recent], [], null, null), Officer, Ct);
        var blobsBefore = await _host.Get<ComplianceHub.Core.Storage.Blobs.IBlobStore>().ListAsync(Ct).CountAsync(Ct);
        _host.Clock.Advance(TimeSpan.FromMinutes(10)); // files put in the last minutes are left for later (see the next test)
        (await _host.Get<CheckpointService>().SealAsync("before disposition", ct: Ct)).ShouldNotBeNull();

        var plan = await Retention.PlanAsync(Officer, Ct);
        var outcome = await Disposition.RequestAsync(DispositionTrigger.OnDemand, Officer, Ct);

        outcome.Status.ShouldBe(DispositionRunStatus.Completed);
        (outcome.Expired, outcome.KeptByHold, outcome.Removed).ShouldBe((plan.Expired, plan.KeptByHold, plan.WouldRemove));
        (outcome.Removed, outcome.Tombstones).ShouldBe((5, 5));
        await using (var db = await _host.CreateDbContextAsync())
        {
            (await db.ChatMessages.CountAsync(m => m.ConversationId == old || m.ConversationId == captured, Ct)).ShouldBe(0);
            (await db.ChatMessages.CountAsync(m => m.ConversationId == recent, Ct)).ShouldBe(2);
            var tombstones = await db.MessageTombstones.OrderBy(t => t.ConversationId).ThenBy(t => t.ChainSequence).ToListAsync(Ct);
            tombstones.Select(t => (t.ConversationId, t.ChainSequence)).ShouldBe([(old, 1), (old, 2), (old, 3), (captured, 1), (captured, 2)]);
            tombstones.ShouldAllBe(t => t.RunId == outcome.RunId && t.Rule == "Default: 2 years" && t.Hash.Length == 64);
            (await db.ChatAttachments.CountAsync(Ct)).ShouldBe(1);

            // The import's original is released (its messages all went); the capture's payload is emptied, its hash kept.
            var batch = await db.ImportBatches.SingleAsync(b => b.ConversationId == old, Ct);
            batch.OriginalDisposedByRun.ShouldBe(outcome.RunId);
            var delivery = await db.WebhookDeliveries.SingleAsync(Ct);
            (delivery.Body, delivery.PayloadDisposedByRun, delivery.BodySha256.Length).ShouldBe(("", outcome.RunId, 64));

            // One audit event closes the run, with its counts and signature.
            var completed = await db.AuditEvents.SingleAsync(e => e.Type == AuditEventType.DispositionCompleted, Ct);
            completed.Details.ShouldNotBeNull().ShouldContain("\"removed\":5");
            completed.Details.ShouldContain("\"tombstones\":5");
            completed.Details.ShouldContain("\"signature\":");
        }

        // The own photo and the old original went; the shared photo, still named by Pat's chat, stayed.
        outcome.BlobsRemoved.ShouldBe(2);
        var store = _host.Get<ComplianceHub.Core.Storage.Blobs.IBlobStore>();
        (await store.ExistsAsync(Sha(OwnPhoto), Ct)).ShouldBeFalse();
        (await store.ExistsAsync(Sha(SharedPhoto), Ct)).ShouldBeTrue();
        (await store.ListAsync(Ct).CountAsync(Ct)).ShouldBe(blobsBefore - 2);

        // Search no longer finds what went.
        var search = _host.Get<MessageSearchService>();
        (await search.CountAsync(new MessageSearchCriteria { Text = "zanzibarquokka" }, Ct)).Count.ShouldBe(0);
        (await search.CountAsync(new MessageSearchCriteria { Text = "pangolinquartz" }, Ct)).Count.ShouldBe(0);

        // Every chain verifies end to end, crossing the five tombstones, and the run's signed summary matches them.
        var results = await VerifyAsync();
        results.ShouldAllBe(r => r.IsIntact);
        results.Single(r => r.Chain == ArchiveChainVerifier.ChainName).TombstonesCrossed.ShouldBe(5);
        results.Single(r => r.Chain == DispositionRunVerifier.ChainName).RecordsChecked.ShouldBe(1);

        // A capture that arrives later continues the captured chain after its removed head.
        await _host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(Inbound(Text("wamid.r3", _host.Clock.GetUtcNow(), "Back again"))), "127.0.0.1", Ct);
        await _host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
        await using (var db = await _host.CreateDbContextAsync())
        {
            (await db.ChatMessages.SingleAsync(m => m.ConversationId == captured, Ct)).ChainSequence.ShouldBe(3);
        }

        (await _host.Get<CheckpointService>().SealAsync("after disposition", ct: Ct)).ShouldNotBeNull();
        (await VerifyAsync()).ShouldAllBe(r => r.IsIntact);
        hold.ShouldBePositive();
    }

    [Fact]
    public async Task AFileJustPutAgain_IsLeftForLater_AndGoesOnceItHasSettled()
    {
        await ArchiveAsync();
        var store = _host.Get<ComplianceHub.Core.Storage.Blobs.IBlobStore>();
        (await Disposition.RequestAsync(DispositionTrigger.OnDemand, Officer, Ct)).BlobsRemoved.ShouldBe(0);
        (await store.ExistsAsync(Sha(OwnPhoto), Ct)).ShouldBeTrue();
        (await Disposition.ReleasePendingFilesAsync(Ct)).ShouldBe(0);

        _host.Clock.Advance(TimeSpan.FromMinutes(10));
        (await Disposition.ReleasePendingFilesAsync(Ct)).ShouldBe(2);
        (await store.ExistsAsync(Sha(OwnPhoto), Ct)).ShouldBeFalse();
        (await store.ExistsAsync(Sha(SharedPhoto), Ct)).ShouldBeTrue();
    }

    [Theory]
    [InlineData("conversation")]
    [InlineData("custodian")]
    [InlineData("dates")]
    [InlineData("saved search")]
    public async Task AnActiveHold_KeepsWhatItCovers_MessagesArchivedAfterItIncluded_AndReleasedItKeepsNothing(string scopedBy)
    {
        var (old, _, captured) = await ArchiveAsync();
        var holds = _host.Get<LegalHoldService>();
        var hold = scopedBy switch
        {
            "conversation" => await holds.PlaceAsync(new LegalHoldDraft("H", null, "d", [old], [], null, null), Officer, Ct),
            "custodian" => await holds.PlaceAsync(new LegalHoldDraft("H", null, "d", [], ["anna@example.com"], null, null), Officer, Ct),
            "dates" => await holds.PlaceAsync(new LegalHoldDraft("H", null, "d", [old], ["anna@example.com"],
                new DateTimeOffset(2022, 3, 28, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2022, 3, 29, 0, 0, 0, TimeSpan.Zero)), Officer, Ct),
            _ => await _host.Get<LegalHoldFromSearchService>().PlaceAsync("H", null, "d", new MessageSearchCriteria { Text = "zanzibarquokka" }, Officer, Ct),
        };

        // A chat of Anna's with Maria found later, archived after the hold was placed (custodian-scoped holds take it in).
        var later = _files.Text("WhatsApp Chat with Ola Nordmann.txt", "[01/02/2021, 08:00:00] Ola Nordmann: An old chat found later\r\n");
        await _host.Get<ExportImportService>().ImportAsync(later, "WhatsApp Chat with Ola Nordmann.txt", new ImportOptions("Europe/Oslo", "anna@example.com"), Officer, ct: Ct);

        var plan = await Retention.PlanAsync(Officer, Ct);
        var outcome = await Disposition.RequestAsync(DispositionTrigger.OnDemand, Officer, Ct);
        (outcome.Expired, outcome.KeptByHold, outcome.Removed).ShouldBe((plan.Expired, plan.KeptByHold, plan.WouldRemove));
        var (keptOld, keptLater) = scopedBy switch
        {
            "conversation" => (3, 0),
            "custodian" => (3, 1),
            "dates" => (1, 0),
            _ => (3, 0),
        };
        (await CountAsync(db => db.ChatMessages.CountAsync(m => m.ConversationId == old, Ct))).ShouldBe(keptOld);
        (await CountAsync(db => db.ChatMessages.CountAsync(m => m.Body.Contains("found later"), Ct))).ShouldBe(keptLater);
        (await CountAsync(db => db.ChatMessages.CountAsync(m => m.ConversationId == captured, Ct))).ShouldBe(0);
        outcome.KeptByHold.ShouldBe(keptOld + keptLater);

        // Released, the hold keeps nothing: the next run removes the rest.
        await holds.ReleaseAsync(hold, "Matter closed", Officer, Ct);
        var next = await Disposition.RequestAsync(DispositionTrigger.OnDemand, Officer, Ct);
        (next.Removed, next.KeptByHold).ShouldBe((keptOld + keptLater, 0));
        (await CountAsync(db => db.ChatMessages.CountAsync(m => m.ConversationId == old, Ct))).ShouldBe(0);
        (await VerifyAsync()).ShouldAllBe(r => r.IsIntact);
    }

    [Fact]
    public async Task AHoldPlacedAfterTheReport_StillKeepsWhatItCovers()
    {
        await Disposition.ChangeSettingsAsync(enabled: true, requireApproval: true, Admin, Ct);
        var (old, _, _) = await ArchiveAsync();
        var requested = await Disposition.RequestAsync(DispositionTrigger.OnDemand, Officer, Ct);
        requested.Named.ShouldBe(5);
        await _host.Get<LegalHoldService>().PlaceAsync(new LegalHoldDraft("Late hold", null, "d", [old], [], null, null), Officer, Ct);

        var approved = await Disposition.ApproveAsync(requested.RunId, SecondOfficer, Ct);
        (approved.Removed, approved.HeldSinceReport, approved.KeptByHold).ShouldBe((2, 3, 3));
        (await CountAsync(db => db.ChatMessages.CountAsync(m => m.ConversationId == old, Ct))).ShouldBe(3);
    }

    [Fact]
    public async Task FourEyes_ARunWaitsForASecondPerson_WhoMayApproveOrReject()
    {
        await Disposition.ChangeSettingsAsync(enabled: true, requireApproval: true, Admin, Ct);
        await ArchiveAsync();

        var requested = await Disposition.RequestAsync(DispositionTrigger.OnDemand, Officer, Ct);
        requested.Status.ShouldBe(DispositionRunStatus.AwaitingApproval);
        (await CountAsync(db => db.ChatMessages.CountAsync(Ct))).ShouldBe(7);
        (await Should.ThrowAsync<ComplianceRuleException>(() => Disposition.RequestAsync(DispositionTrigger.OnDemand, SecondOfficer, Ct)))
            .Message.ShouldContain("awaits a second person's approval");
        (await Should.ThrowAsync<ComplianceRuleException>(() => Disposition.ApproveAsync(requested.RunId, Officer, Ct)))
            .Message.ShouldContain("a second person approves it");

        await Disposition.RejectAsync(requested.RunId, "Check the 2023 capture with the desk first", SecondOfficer, Ct);
        (await CountAsync(db => db.ChatMessages.CountAsync(Ct))).ShouldBe(7);
        (await Should.ThrowAsync<ComplianceRuleException>(() => Disposition.ApproveAsync(requested.RunId, SecondOfficer, Ct))).Message.ShouldContain("rejected");

        var second = await Disposition.RequestAsync(DispositionTrigger.OnDemand, Officer, Ct);
        var approved = await Disposition.ApproveAsync(second.RunId, SecondOfficer, Ct);
        (approved.Status, approved.Removed).ShouldBe((DispositionRunStatus.Completed, 5));
        var runs = await Disposition.RunsAsync(ct: Ct);
        runs.Select(r => (r.Status, r.DecidedBy)).ShouldBe([(DispositionRunStatus.Completed, SecondOfficer.Name), (DispositionRunStatus.Rejected, SecondOfficer.Name)]);
        await using var db = await _host.CreateDbContextAsync();
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.DispositionRequested, Ct)).ShouldBe(2);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.DispositionRejected, Ct)).ShouldBe(1);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.DispositionApproved, Ct)).ShouldBe(1);
        (await db.AuditEvents.CountAsync(e => e.Type == AuditEventType.DispositionSettingsChanged, Ct)).ShouldBe(1);
    }

    [Fact]
    public async Task DispositionOff_RefusesARun_AndTurningItOnIsAudited()
    {
        await Disposition.ChangeSettingsAsync(enabled: false, requireApproval: false, Admin, Ct);
        await ArchiveAsync();
        (await Should.ThrowAsync<ComplianceRuleException>(() => Disposition.RequestAsync(DispositionTrigger.OnDemand, Officer, Ct))).Message.ShouldContain("Disposition is off");
        (await Retention.PlanAsync(Officer, Ct)).DispositionEnabled.ShouldBeFalse();

        var settings = await Disposition.ChangeSettingsAsync(enabled: true, requireApproval: false, Admin, Ct);
        (settings.Enabled, settings.ChangedBy).ShouldBe((true, Admin.Name));
        (await Disposition.RequestAsync(DispositionTrigger.OnDemand, Officer, Ct)).Removed.ShouldBe(5);
    }

    [Fact]
    public async Task ARunThatFailsHalfWay_LeavesWholeConversations_AndFinishesWhenResumed()
    {
        var (old, _, captured) = await ArchiveAsync();
        var plan = await Retention.PlanAsync(Officer, Ct);
        long victim;
        await using (var db = await _host.CreateDbContextAsync())
        {
            // The second conversation removed (in id order) fails on its last message, as a crash in its transaction would.
            victim = await db.ChatMessages.Where(m => m.ConversationId == captured).OrderByDescending(m => m.ChainSequence).Select(m => m.Id).FirstAsync(Ct);
        }

        var id = victim.ToString(CultureInfo.InvariantCulture);
        await _host.ExecuteSqlAsync(provider == DatabaseProvider.Sqlite
            ? $"CREATE TRIGGER Injected_Failure BEFORE DELETE ON ChatMessages WHEN OLD.Id = {id} BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
            : $"""
               CREATE FUNCTION injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF OLD."Id" = {id} THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN OLD; END $$;
               CREATE TRIGGER injected_failure BEFORE DELETE ON "ChatMessages" FOR EACH ROW EXECUTE FUNCTION injected_failure();
               """);

        await Should.ThrowAsync<Exception>(() => Disposition.RequestAsync(DispositionTrigger.OnDemand, Officer, Ct));
        (await CountAsync(db => db.ChatMessages.CountAsync(m => m.ConversationId == old, Ct))).ShouldBe(0);
        (await CountAsync(db => db.ChatMessages.CountAsync(m => m.ConversationId == captured, Ct))).ShouldBe(2);
        (await CountAsync(db => db.MessageTombstones.CountAsync(t => t.ConversationId == captured, Ct))).ShouldBe(0);
        (await Disposition.OpenRunAsync(Ct)).ShouldNotBeNull().Status.ShouldBe(DispositionRunStatus.Removing);
        (await VerifyAsync()).Where(r => r.Chain == ArchiveChainVerifier.ChainName).ShouldAllBe(r => r.IsIntact);

        await _host.ExecuteSqlAsync(provider == DatabaseProvider.Sqlite
            ? "DROP TRIGGER Injected_Failure;"
            : "DROP TRIGGER injected_failure ON \"ChatMessages\"; DROP FUNCTION injected_failure();");
        var resumed = await Disposition.ResumeAsync(Ct);
        resumed.ShouldNotBeNull();
        (resumed.Status, resumed.Expired, resumed.Removed, resumed.KeptByHold).ShouldBe((DispositionRunStatus.Completed, plan.Expired, plan.WouldRemove, 0));
        (await Disposition.ResumeAsync(Ct)).ShouldBeNull();
        (await VerifyAsync()).ShouldAllBe(r => r.IsIntact);
    }

    [Fact]
    public async Task TheDatabase_RefusesEveryOtherRemoval()
    {
        var (old, recent, _) = await ArchiveAsync();
        long kept;
        await using (var db = await _host.CreateDbContextAsync())
        {
            kept = await db.ChatMessages.Where(m => m.ConversationId == recent).Select(m => m.Id).FirstAsync(Ct);
        }

        (await Disposition.RequestAsync(DispositionTrigger.OnDemand, Officer, Ct)).Removed.ShouldBe(5);
        var id = kept.ToString(CultureInfo.InvariantCulture);
        await Should.ThrowAsync<Exception>(() => _host.ExecuteSqlAsync($"DELETE FROM \"ChatMessages\" WHERE \"Id\" = {id}"));
        await Should.ThrowAsync<Exception>(() => _host.ExecuteSqlAsync($"DELETE FROM \"ChatAttachments\" WHERE \"MessageId\" IN (SELECT \"Id\" FROM \"ChatMessages\" WHERE \"ConversationId\" = {recent})"));
        await Should.ThrowAsync<Exception>(() => _host.ExecuteSqlAsync("UPDATE \"MessageTombstones\" SET \"Rule\" = 'none'"));
        await Should.ThrowAsync<Exception>(() => _host.ExecuteSqlAsync("DELETE FROM \"MessageTombstones\""));
        await Should.ThrowAsync<Exception>(() => _host.ExecuteSqlAsync("UPDATE \"DispositionRuns\" SET \"Removed\" = 0"));
        await Should.ThrowAsync<Exception>(() => _host.ExecuteSqlAsync("UPDATE \"WebhookDeliveries\" SET \"Body\" = 'x'"));
        // A tombstone written by hand for a kept message does not let it go either: no removing run named it.
        await Should.ThrowAsync<Exception>(() => _host.ExecuteSqlAsync(
            $"INSERT INTO \"MessageTombstones\" (\"MessageId\", \"ConversationId\", \"ChainSequence\", \"PreviousHash\", \"Hash\", \"RunId\", \"Rule\", \"RemovedAt\") " +
            $"SELECT \"Id\", \"ConversationId\", \"ChainSequence\", \"PreviousHash\", \"Hash\", 1, 'forged', \"SentAt\" FROM \"ChatMessages\" WHERE \"Id\" = {id};" +
            $"DELETE FROM \"ChatMessages\" WHERE \"Id\" = {id}"));
        (await CountAsync(db => db.ChatMessages.CountAsync(m => m.ConversationId == recent, Ct))).ShouldBe(2);
        old.ShouldBePositive();
    }

    [Theory]
    [InlineData("hash")]
    [InlineData("rule")]
    [InlineData("deleted")]
    public async Task AnAlteredTombstone_TurnsVerifyRed(string tampering)
    {
        var (old, _, _) = await ArchiveAsync();
        var outcome = await Disposition.RequestAsync(DispositionTrigger.OnDemand, Officer, Ct);
        (await VerifyAsync()).ShouldAllBe(r => r.IsIntact);
        var conversation = old.ToString(CultureInfo.InvariantCulture);
        await IntegrityTests.RawAsync(_host, tampering switch
        {
            "hash" => $"UPDATE \"MessageTombstones\" SET \"Hash\" = '{new string('0', 64)}' WHERE \"ConversationId\" = {conversation} AND \"ChainSequence\" = 2",
            "rule" => $"UPDATE \"MessageTombstones\" SET \"Rule\" = 'Default: 1 year' WHERE \"ConversationId\" = {conversation} AND \"ChainSequence\" = 2",
            _ => $"DELETE FROM \"MessageTombstones\" WHERE \"ConversationId\" = {conversation} AND \"ChainSequence\" = 2",
        });

        var broken = (await VerifyAsync()).Where(r => !r.IsIntact).ToList();
        broken.ShouldContain(r => r.Chain == DispositionRunVerifier.ChainName && r.BrokenRecord == $"disposition run {outcome.RunId}");
        if (tampering != "rule")
        {
            broken.ShouldContain(r => r.Chain == ArchiveChainVerifier.ChainName);
        }
    }

    [Fact]
    public async Task WhatWasRemoved_CannotBeReadBackFromTheDatabaseFiles()
    {
        if (provider != DatabaseProvider.Sqlite)
        {
            // PostgreSQL's files belong to its server: the run vacuums the tables (checked by the other tests running it).
            return;
        }

        await ArchiveAsync();
        var files = Directory.EnumerateFiles(_host.DataDirectory, StorageSettings.SqliteFileName + "*").ToList();
        files.ShouldNotBeEmpty();
        ContainsAny(files, "zanzibarquokka").ShouldBeTrue();

        (await Disposition.RequestAsync(DispositionTrigger.OnDemand, Officer, Ct)).Removed.ShouldBe(5);

        if (Environment.GetEnvironmentVariable("DISPOSITION_DEBUG") is { } keep)
        {
            foreach (var f in Directory.EnumerateFiles(_host.DataDirectory, StorageSettings.SqliteFileName + "*"))
            {
                File.Copy(f, Path.Combine(keep, Path.GetFileName(f)), true);
            }
        }

        ContainsAny(Directory.EnumerateFiles(_host.DataDirectory, StorageSettings.SqliteFileName + "*"), "zanzibarquokka").ShouldBeFalse();
        ContainsAny(Directory.EnumerateFiles(_host.DataDirectory, StorageSettings.SqliteFileName + "*"), "pangolinquartz").ShouldBeFalse();
    }

    private static bool ContainsAny(IEnumerable<string> files, string word)
    {
        var needle = Encoding.UTF8.GetBytes(word);
        return files.Any(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOf(needle) >= 0;
        });
    }
}

public sealed class SqliteDispositionTests() : DispositionTests(DatabaseProvider.Sqlite);

public sealed class PostgresDispositionTests() : DispositionTests(DatabaseProvider.Postgres);
