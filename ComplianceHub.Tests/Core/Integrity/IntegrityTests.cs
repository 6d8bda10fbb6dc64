using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Integrity;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Retention;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Search;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using ComplianceHub.Tests.Core.Archive;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ComplianceHub.Tests.TestSupport.WebhookPayloads;

namespace ComplianceHub.Tests.Core.Integrity;

/// <summary>
/// Tampering as someone with write access to the database and the data directory would, each case after a checkpoint
/// was sealed outside them: <c>verify</c> must turn red naming the record, on both databases. Also the checkpoint log
/// itself truncated or re-signed, and a database rolled back to before a checkpoint.
/// </summary>
public abstract class IntegrityTests(DatabaseProvider provider) : IDisposable
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.0.0.1");
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ExportFiles _files = new();

    public static TheoryData<string> Cases => new()
    {
        "newest message of a conversation deleted",
        "newest audit event deleted",
        "whole conversation deleted",
        "attachment bytes changed in the blob store",
        "original export file deleted",
        "raw webhook payload rewritten",
        "raw webhook payload and its recorded hash rewritten",
        "webhook delivery deleted",
        "import batch's recorded hash and file name rewritten",
        "database rolled back to before the latest checkpoint",
        "checkpoint log truncated",
        "checkpoint log line edited (its signature broken)",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Tampering_AfterACheckpoint_TurnsVerifyRed_NamingTheRecord(string tampering)
    {
        await using var host = await TestHost.StartAsync(provider, WebhookProcessingTests.CaptureSettings());
        var (exported, captured) = await ArchiveAsync(host);
        var verification = host.Get<IntegrityVerificationService>();
        (await verification.VerifyAllAsync(AuditActor.System, Ct)).ShouldAllBe(r => r.IsIntact);
        var checkpoints = host.Get<CheckpointService>();
        (await checkpoints.SealAsync("test", ct: Ct)).ShouldNotBeNull();
        (await checkpoints.SealAsync("test", ct: Ct)).ShouldBeNull(); // nothing changed since

        var (kind, record) = await TamperAsync(host, tampering, exported, captured);

        var results = await verification.VerifyAllAsync(AuditActor.System, Ct);
        var findings = results.Where(r => !r.IsIntact).ToList();
        findings.ShouldContain(f => f.Chain == kind && f.BrokenRecord!.StartsWith(record, StringComparison.Ordinal),
            $"expected a {kind} finding on {record}; got: {string.Join(" | ", findings.Select(f => $"{f.Chain}: {f.BrokenRecord}: {f.Problem}"))}");
    }

    [Fact]
    public async Task AnUntouchedArchive_VerifiesAgainstItsCheckpoints_AsItGrows_AndTheLogIsSignedAndOwnerOnly()
    {
        await using var host = await TestHost.StartAsync(provider, WebhookProcessingTests.CaptureSettings());
        var checkpoints = host.Get<CheckpointService>();
        (await checkpoints.SealAsync("empty", ct: Ct)).ShouldNotBeNull();
        await ArchiveAsync(host);
        var first = (await checkpoints.SealAsync("import", ct: Ct))!;
        (first.Sequence, first.ConversationCount, first.Conversations.Count, first.Imports.Count, first.Inbox.Count).ShouldBe((2, 2, 2, 1, 2));

        // More arrives after the checkpoint: chains longer than sealed are fine; the next checkpoint carries only what changed.
        await host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(Inbound(Text("wamid.late", T0.AddMinutes(5), "One more thing"))), "127.0.0.1", Ct);
        await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
        var results = await host.Get<IntegrityVerificationService>().VerifyAllAsync(AuditActor.System, Ct);
        results.ShouldAllBe(r => r.IsIntact);
        results.Single(r => r.Chain == "checkpoints").RecordsChecked.ShouldBe(2);
        var second = (await checkpoints.SealAsync("periodic", ct: Ct))!;
        (second.Conversations.Count, second.Imports.Count, second.Inbox.Count, second.Previous)
            .ShouldBe((1, 0, 3, CheckpointLog.LineHash((await File.ReadAllLinesAsync(checkpoints.Paths.Log, Ct))[1])));
        (await host.Get<IntegrityVerificationService>().VerifyAllAsync(AuditActor.System, Ct)).ShouldAllBe(r => r.IsIntact);
        (await checkpoints.LatestAsync(Ct))!.Sequence.ShouldBe(3);

        // The log and the key live outside the data directory, readable by their owner only.
        var (log, _, key) = checkpoints.Paths;
        log.ShouldNotStartWith(host.DataDirectory + Path.DirectorySeparatorChar);
        key.ShouldNotStartWith(host.DataDirectory + Path.DirectorySeparatorChar);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(log).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.GetUnixFileMode(key).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // A checkpoint directory inside the data directory is refused.
        Should.Throw<InvalidOperationException>(() => new IntegrityOptions { CheckpointDirectory = Path.Combine(host.DataDirectory, "checkpoints") }.Resolve(host.Storage))
            .Message.ShouldContain("inside the data directory");
    }

    [Fact]
    public async Task SearchIndexRowsDeleted_VerifyIndexNamesTheMessage_AndTheRepairIndexesItAgain_Audited()
    {
        await using var host = await TestHost.StartAsync(provider, WebhookProcessingTests.CaptureSettings());
        await ArchiveAsync(host);
        var check = host.Get<SearchIndexCheck>();
        (await check.CheckAsync(Ct)).IsConsistent.ShouldBeTrue();
        var hit = (await host.SearchAsync("confirm")).Single();
        long key;
        await using (var db = await host.CreateDbContextAsync())
        {
            key = await db.ChatMessages.Where(m => m.Id == hit.MessageId).Select(m => m.SearchKey).SingleAsync(Ct);
        }

        await RawAsync(host, host.Provider == DatabaseProvider.Sqlite
            ? $"DELETE FROM \"ChatMessageSearch\" WHERE rowid = {key}; INSERT INTO \"ChatMessageSearch\"(rowid, \"Terms\") VALUES (987654321, 'ghost');"
            : $"DELETE FROM \"ChatMessageSearch\" WHERE \"SearchKey\" = {key}; INSERT INTO \"ChatMessageSearch\" (\"SearchKey\", \"Terms\") VALUES (987654321, 'ghost');");
        (await host.SearchAsync("confirm")).ShouldBeEmpty(); // silently gone from search

        (await host.Get<IntegrityVerificationService>().VerifyAllAsync(AuditActor.System, Ct)).ShouldAllBe(r => r.IsIntact); // not without --index
        var findings = (await host.Get<IntegrityVerificationService>().VerifyAllAsync(AuditActor.System, Ct, check)).Where(r => !r.IsIntact).ToList();
        findings.Select(f => (f.Chain, f.BrokenRecord)).ShouldBe([(SearchIndexCheck.Kind, $"message {hit.MessageId}"), (SearchIndexCheck.Kind, "index entry 987654321")]);

        (await check.RepairAsync(AuditActor.System, Ct)).ShouldBe((1, 1));
        (await host.SearchAsync("confirm")).Single().MessageId.ShouldBe(hit.MessageId);
        (await check.CheckAsync(Ct)).IsConsistent.ShouldBeTrue();
        await using var after = await host.CreateDbContextAsync();
        (await after.AuditEvents.CountAsync(e => e.Type == AuditEventType.SearchIndexRepaired, Ct)).ShouldBe(1);
    }

    public static TheoryData<string> RecordCases => new()
    {
        "official-group stay deleted",
        "official-group stay's number rewritten",
        "ended stay's end date rewritten",
        "ended stay reopened",
        "number status change deleted",
        "number status change's reason rewritten",
        "legal hold's custodian removed",
        "legal hold's source search rewritten",
        "released legal hold made active again",
        "retention rule's period rewritten",
        "retired retention rule put back in force",
    };

    [Theory]
    [MemberData(nameof(RecordCases))]
    public async Task EvidenceRecordTampered_AfterACheckpoint_TurnsVerifyRed_NamingTheRecord(string tampering)
    {
        await using var host = await TestHost.StartAsync(provider);
        var (openStay, endedStay, activeHold, releasedHold) = await RosterAndHoldsAsync(host);
        var (activeRule, retiredRule) = await RetentionRulesAsync(host);
        (await host.Get<CheckpointService>().SealAsync("test", ct: Ct)).ShouldNotBeNull();
        await using var db = await host.CreateDbContextAsync();
        var change = await db.NumberStatusChanges.OrderBy(c => c.Id).Select(c => c.Id).FirstAsync(Ct);
        var (kind, id) = tampering switch
        {
            "official-group stay deleted" => ("official-group stay", openStay),
            "official-group stay's number rewritten" => ("official-group stay", openStay),
            "ended stay's end date rewritten" => ("official-group stay", endedStay),
            "ended stay reopened" => ("official-group stay", endedStay),
            "number status change deleted" => ("number status change", change),
            "number status change's reason rewritten" => ("number status change", change),
            "legal hold's custodian removed" => ("legal hold", activeHold),
            "legal hold's source search rewritten" => ("legal hold", activeHold),
            "released legal hold made active again" => ("legal hold", releasedHold),
            "retention rule's period rewritten" => ("retention rule", activeRule),
            "retired retention rule put back in force" => ("retention rule", retiredRule),
            _ => throw new ArgumentOutOfRangeException(nameof(tampering), tampering, null),
        };
        await RawAsync(host, tampering switch
        {
            "official-group stay deleted" => $"DELETE FROM \"GroupMembers\" WHERE \"Id\" = {id}",
            "official-group stay's number rewritten" => $"UPDATE \"GroupMembers\" SET \"PhoneE164\" = '+447700900999' WHERE \"Id\" = {id}",
            "ended stay's end date rewritten" => $"UPDATE \"GroupMembers\" SET \"LeftOn\" = '2026-02-20' WHERE \"Id\" = {id}",
            "ended stay reopened" => $"UPDATE \"GroupMembers\" SET \"LeftOn\" = NULL WHERE \"Id\" = {id}",
            "number status change deleted" => $"DELETE FROM \"NumberStatusChanges\" WHERE \"Id\" = {id}",
            "number status change's reason rewritten" => $"UPDATE \"NumberStatusChanges\" SET \"Reason\" = 'routine' WHERE \"Id\" = {id}",
            "legal hold's custodian removed" => $"DELETE FROM \"LegalHoldCustodians\" WHERE \"HoldId\" = {id}",
            "legal hold's source search rewritten" => $"UPDATE \"LegalHolds\" SET \"SourceCriteriaJson\" = 'rewritten' WHERE \"Id\" = {id}",
            "retention rule's period rewritten" => $"UPDATE \"RetentionRules\" SET \"Period\" = '1d' WHERE \"Id\" = {id}",
            "retired retention rule put back in force" => $"UPDATE \"RetentionRules\" SET \"RetiredAt\" = NULL, \"RetiredBy\" = NULL WHERE \"Id\" = {id}",
            _ => $"UPDATE \"LegalHolds\" SET \"ReleasedAt\" = NULL, \"ReleasedBy\" = NULL, \"ReleaseReason\" = NULL WHERE \"Id\" = {id}",
        });

        var findings = (await host.Get<IntegrityVerificationService>().VerifyAllAsync(AuditActor.System, Ct)).Where(r => !r.IsIntact).ToList();

        var finding = findings.ShouldHaveSingleItem();
        finding.Chain.ShouldBe(kind);
        finding.BrokenRecord.ShouldBe($"{kind} {id}");
    }

    [Fact]
    public async Task EvidenceRecordsClosedOrAddedTheWayThePortalDoes_AfterACheckpoint_StayGreen()
    {
        await using var host = await TestHost.StartAsync(provider);
        var (openStay, _, activeHold, _) = await RosterAndHoldsAsync(host);
        var (activeRule, _) = await RetentionRulesAsync(host);
        var checkpoints = host.Get<CheckpointService>();
        (await checkpoints.SealAsync("test", ct: Ct)).ShouldNotBeNull();

        await host.Get<OfficialGroupService>().EndMembershipAsync(openStay, new DateOnly(2026, 2, 27), "moved desk", Officer, Ct);
        await host.Get<LegalHoldService>().ReleaseAsync(activeHold, "matter settled", Officer, Ct);
        await host.Get<RetentionService>().RetireRuleAsync(activeRule, Officer, Ct);
        await host.Get<RetentionService>().SetRuleAsync(RetentionScope.Source, "Webhook", "6y", "SEC 17a-4", Officer, Ct);
        await using (var db = await host.CreateDbContextAsync())
        {
            var number = await db.AuthorizedNumbers.Select(n => n.Id).FirstAsync(Ct);
            await host.Get<RosterService>().ChangeStatusAsync(number, AuthorizationStatus.Suspended, "device lost", Officer, Ct);
        }

        (await host.Get<IntegrityVerificationService>().VerifyAllAsync(AuditActor.System, Ct)).ShouldAllBe(r => r.IsIntact);
        var next = (await checkpoints.SealAsync("test", ct: Ct)).ShouldNotBeNull();
        next.Records.ShouldNotBeNull().Select(r => r.Kind).Distinct().Order().ShouldBe(["legal hold", "number status change", "official-group stay", "retention rule"]);
        (await host.Get<IntegrityVerificationService>().VerifyAllAsync(AuditActor.System, Ct)).ShouldAllBe(r => r.IsIntact);
    }

    /// <summary>A default retention rule in force, and the one it replaced (retired).</summary>
    private static async Task<(long Active, long Retired)> RetentionRulesAsync(TestHost host)
    {
        var retention = host.Get<RetentionService>();
        var retired = await retention.SetRuleAsync(RetentionScope.Default, null, "7y", "SEC 17a-4", Officer, Ct);
        var active = await retention.SetRuleAsync(RetentionScope.Default, null, "10y", "Longer after review", Officer, Ct);
        return (active.Id, retired.Id);
    }

    /// <summary>Two employees, an official group with an open and an ended stay, and two holds (one released, one placed from a search).</summary>
    private static async Task<(long OpenStay, long EndedStay, long ActiveHold, long ReleasedHold)> RosterAndHoldsAsync(TestHost host)
    {
        await host.OnboardAsync(
            "E1,Alex Kim,alex.kim@example.com,Rates,,+447700900001,2025-01-01,,active\n" +
            "E2,Sam Patel,sam.patel@example.com,Rates,alex.kim@example.com,+447700900002,2025-01-01,,active\n");
        long alex, sam;
        await using (var db = await host.CreateDbContextAsync())
        {
            alex = await db.People.Where(p => p.EmployeeId == "E1").Select(p => p.Id).SingleAsync(Ct);
            sam = await db.People.Where(p => p.EmployeeId == "E2").Select(p => p.Id).SingleAsync(Ct);
        }

        var groups = host.Get<OfficialGroupService>();
        var group = await groups.SaveAsync(null, new OfficialGroupDraft("Client Desk", "Quotes and orders", alex, null, null, null), Officer, Ct);
        var openStay = await groups.AddMemberAsync(group, alex, null, new DateOnly(2026, 1, 5), Officer, Ct);
        var endedStay = await groups.AddMemberAsync(group, sam, null, new DateOnly(2026, 1, 5), Officer, Ct);
        await groups.EndMembershipAsync(endedStay, new DateOnly(2026, 2, 1), "left the desk", Officer, Ct);
        var holds = host.Get<LegalHoldService>();
        var active = await holds.PlaceAsync(new LegalHoldDraft("Northbridge", "M-1", "Rates desk", [], ["alex.kim@example.com"], null, null)
        {
            SourceCriteriaJson = "{\"query\":\"bund\"}",
        }, Officer, Ct);
        var released = await holds.PlaceAsync(new LegalHoldDraft("Old matter", null, "Closed", [], ["sam.patel@example.com"], null, null), Officer, Ct);
        await holds.ReleaseAsync(released, "matter closed", Officer, Ct);
        return (openStay, endedStay, active, released);
    }

    [Fact]
    public async Task WithATimestampAuthority_EachCheckpointIsCountersigned_AndALineRewrittenAndReSignedWithTheKeyStillShows()
    {
        using var tsa = new FakeTimestampAuthority();
        var trusted = Path.Combine(Path.GetTempPath(), "compliancehub-tests", $"tsa-{Guid.NewGuid():N}.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(trusted)!);
        await File.WriteAllTextAsync(trusted, tsa.Certificate.ExportCertificatePem(), Ct);
        var settings = new Dictionary<string, string?>(WebhookProcessingTests.CaptureSettings()) { ["Integrity:TimestampAuthorityCertificateFile"] = trusted };
        await using var host = await TestHost.StartAsync(provider, settings,
            extraServices: s => s.AddSingleton<ITimestampAuthority>(new Rfc3161TimestampAuthority(new HttpClient(tsa, disposeHandler: false), new Uri("http://tsa.test/"))));
        tsa.Clock = host.Clock;
        await ArchiveAsync(host);
        var checkpoints = host.Get<CheckpointService>();
        (await checkpoints.SealAsync("first", ct: Ct)).ShouldNotBeNull();
        host.Clock.Advance(TimeSpan.FromMinutes(5));
        await host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(Inbound(Text("wamid.3", T0.AddMinutes(5), "And 20 more"))), "127.0.0.1", Ct);
        var second = (await checkpoints.SealAsync("second", ct: Ct)).ShouldNotBeNull();

        tsa.Requests.ShouldBe(2);
        var stamps = await File.ReadAllLinesAsync(checkpoints.TimestampsPath, Ct);
        stamps.Length.ShouldBe(2);
        stamps[1].ShouldStartWith($"{second.Sequence}\t");
        (await host.Get<IntegrityVerificationService>().VerifyAllAsync(AuditActor.System, Ct)).ShouldAllBe(r => r.IsIntact);

        // Someone with the signing key and the database rewrites the last line, re-signs it and notes its new hash.
        var log = await File.ReadAllLinesAsync(checkpoints.Paths.Log, Ct);
        var body = log[^1].Split('\t')[0].Replace("\"reason\":\"second\"", "\"reason\":\"periodic\"", StringComparison.Ordinal);
        body.ShouldNotBe(log[^1].Split('\t')[0]);
        log[^1] = body + "\t" + checkpoints.Signer.Sign(Encoding.UTF8.GetBytes(body));
        await File.WriteAllLinesAsync(checkpoints.Paths.Log, log, Ct);
        await RawAsync(host, $"UPDATE \"IntegrityCheckpoints\" SET \"LineSha256\" = '{CheckpointLog.LineHash(log[^1])}' WHERE \"Sequence\" = {second.Sequence}");

        var finding = (await host.Get<IntegrityVerificationService>().VerifyAllAsync(AuditActor.System, Ct)).Where(r => !r.IsIntact).ShouldHaveSingleItem();
        finding.Chain.ShouldBe(CheckpointVerifier.TimestampKind);
        finding.BrokenRecord.ShouldBe($"checkpoint {second.Sequence}");
        finding.Problem.ShouldNotBeNull().ShouldContain("rewritten after it was stamped");
        File.Delete(trusted);
    }

    [Fact]
    public async Task ATokenFromAnotherAuthority_ThanTheOneConfigured_IsAFinding_AndOneThatCannotBeReachedCostsOnlyTheToken()
    {
        using var tsa = new FakeTimestampAuthority();
        using var other = new FakeTimestampAuthority("Another TSA");
        var trusted = Path.Combine(Path.GetTempPath(), "compliancehub-tests", $"tsa-{Guid.NewGuid():N}.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(trusted)!);
        await File.WriteAllTextAsync(trusted, other.Certificate.ExportCertificatePem(), Ct);
        await using var host = await TestHost.StartAsync(provider, new Dictionary<string, string?> { ["Integrity:TimestampAuthorityCertificateFile"] = trusted },
            extraServices: s => s.AddSingleton<ITimestampAuthority>(new Rfc3161TimestampAuthority(new HttpClient(tsa, disposeHandler: false), new Uri("http://tsa.test/"))));
        tsa.Clock = host.Clock;
        var checkpoints = host.Get<CheckpointService>();
        await host.Get<AuditLog>().RecordInOwnTransactionAsync(AuditEventType.DemoDataSeeded, AuditActor.System, ct: Ct);
        var first = (await checkpoints.SealAsync("first", ct: Ct)).ShouldNotBeNull();

        var finding = (await host.Get<IntegrityVerificationService>().VerifyAllAsync(AuditActor.System, Ct)).Where(r => !r.IsIntact).ShouldHaveSingleItem();
        finding.Chain.ShouldBe(CheckpointVerifier.TimestampKind);
        finding.BrokenRecord.ShouldBe($"checkpoint {first.Sequence}");
        finding.Problem.ShouldNotBeNull().ShouldContain("does not chain");

        tsa.Refuse = true;
        await host.Get<AuditLog>().RecordInOwnTransactionAsync(AuditEventType.DemoDataSeeded, AuditActor.System, ct: Ct);
        (await checkpoints.SealAsync("second", ct: Ct)).ShouldNotBeNull(); // sealed all the same
        (await File.ReadAllLinesAsync(checkpoints.TimestampsPath, Ct)).Length.ShouldBe(1);
        File.Delete(trusted);
    }

    [Fact]
    public async Task WhatAKilledImportLeft_IsRemovedByTheNextSweep_CountedAndAudited_WhileEverythingNamedOrInUseStays()
    {
        await using var host = await TestHost.StartAsync(provider, WebhookProcessingTests.CaptureSettings());
        await ArchiveAsync(host);
        var blobs = host.Get<IBlobStore>();
        var old = host.Clock.GetUtcNow().UtcDateTime - TimeSpan.FromHours(1);

        // What an import killed mid-way leaves: its copy of the upload in the blob store, a put cut short, the staged upload.
        var orphan = await blobs.PutAsync(new MemoryStream(RandomNumberGenerator.GetBytes(4096)), Ct);
        File.SetLastWriteTimeUtc(BlobPath(host, orphan.Sha256), old);
        var partial = Path.Combine(host.Storage.BlobDirectory, "tmp", Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(partial, new byte[1000], Ct);
        File.SetLastWriteTimeUtc(partial, old);
        var killed = ScratchDirectory.Create(host.Storage, "upload");
        await File.WriteAllBytesAsync(Path.Combine(killed.Path, "export.zip"), new byte[3000], Ct);
        var killedPath = killed.Path;
        killed.Dispose();
        Directory.CreateDirectory(killedPath); // as the process died: the directory stays, its lock released
        await File.WriteAllBytesAsync(Path.Combine(killedPath, "export.zip"), new byte[3000], Ct);
        Directory.SetLastWriteTimeUtc(killedPath, old);

        // What is in use or just put: an upload being previewed, a blob younger than the grace period.
        using var inUse = ScratchDirectory.Create(host.Storage, "upload");
        Directory.SetLastWriteTimeUtc(inUse.Path, old);
        var fresh = await blobs.PutAsync(new MemoryStream(RandomNumberGenerator.GetBytes(100)), Ct);

        var orphanOnDisk = new FileInfo(BlobPath(host, orphan.Sha256)).Length; // sealed: the 4,096 bytes, a header and a tag

        var result = await host.Get<OrphanSweep>().RunAsync(Ct);

        orphanOnDisk.ShouldBeGreaterThan(4096);
        result.ShouldBe(new OrphanSweepResult(1, orphanOnDisk, 1, 1, 4000));
        (await blobs.ExistsAsync(orphan.Sha256, Ct)).ShouldBeFalse();
        File.Exists(partial).ShouldBeFalse();
        Directory.Exists(killedPath).ShouldBeFalse();
        Directory.Exists(inUse.Path).ShouldBeTrue();
        (await blobs.ExistsAsync(fresh.Sha256, Ct)).ShouldBeTrue();
        (await host.Get<IntegrityVerificationService>().VerifyAllAsync(AuditActor.System, Ct)).ShouldAllBe(r => r.IsIntact); // every named blob kept
        await using (var db = await host.CreateDbContextAsync())
        {
            var audited = await db.AuditEvents.Where(e => e.Type == AuditEventType.OrphanedFilesRemoved).SingleAsync(Ct);
            audited.Details.ShouldNotBeNull().ShouldContain(orphan.Sha256);
            audited.Details.ShouldContain("\"uploadCopies\":1");
        }

        // Put again by a new import, an orphan is young again: the sweep leaves it for the record about to name it.
        File.SetLastWriteTimeUtc(BlobPath(host, fresh.Sha256), old);
        await using (var content = (await blobs.OpenReadAsync(fresh.Sha256, Ct))!)
        {
            await blobs.PutAsync(content, Ct);
        }

        (await host.Get<OrphanSweep>().RunAsync(Ct)).Total.ShouldBe(0);
        (await blobs.ExistsAsync(fresh.Sha256, Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task ADatabaseThatNamesNoBlob_IsTakenForTheWrongOne_AndTheSweepRemovesNothing()
    {
        await using var host = await TestHost.StartAsync(provider);
        var blob = await host.Get<IBlobStore>().PutAsync(new MemoryStream(RandomNumberGenerator.GetBytes(64)), Ct);
        File.SetLastWriteTimeUtc(BlobPath(host, blob.Sha256), host.Clock.GetUtcNow().UtcDateTime - TimeSpan.FromDays(1));

        (await host.Get<OrphanSweep>().RunAsync(Ct)).Total.ShouldBe(0);
        (await host.Get<IBlobStore>().ExistsAsync(blob.Sha256, Ct)).ShouldBeTrue();
    }

    [Fact]
    public async Task ABlobVerificationStoppedMidway_ResumesWhereItStopped_KeepingWhatItHadFound()
    {
        await using var host = await TestHost.StartAsync(provider, WebhookProcessingTests.CaptureSettings());
        await ArchiveAsync(host);
        await ArchiveAnotherAsync(host);
        var verifier = host.Get<BlobVerifier>();
        verifier.Slice = 1;
        string[] named;
        await using (var db = await host.CreateDbContextAsync())
        {
            named = [.. (await db.ChatAttachments.Where(a => a.Sha256 != null).Select(a => a.Sha256!).ToListAsync(Ct))
                .Concat(await db.ImportBatches.Select(b => b.OriginalSha256).ToListAsync(Ct)).Order(StringComparer.Ordinal)];
        }

        named.Length.ShouldBe(4);
        await File.WriteAllBytesAsync(BlobPath(host, named[0]), [1, 2, 3], Ct); // checked first: found before the stop

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var first = new List<IntegrityProgress>();
        await Should.ThrowAsync<OperationCanceledException>(() => verifier.VerifyAsync(new IntegrityRun(new Reports(p =>
        {
            first.Add(p);
            if (p.Done == 2)
            {
                stop.Cancel();
            }
        })), stop.Token));
        File.Exists(verifier.StatePath).ShouldBeTrue();

        var resumed = new List<IntegrityProgress>();
        var results = await verifier.VerifyAsync(new IntegrityRun(new Reports(resumed.Add), Resume: true), Ct);

        resumed.Select(p => p.Done).ShouldBe([2, 3, 4]); // the first two were not read again
        resumed.ShouldAllBe(p => p.Total == 4 && p.Check == BlobVerifier.Check);
        results.ShouldHaveSingleItem().BrokenRecord.ShouldNotBeNull();
        File.Exists(verifier.StatePath).ShouldBeFalse();
        (await verifier.VerifyAsync(Ct)).ShouldHaveSingleItem().IsIntact.ShouldBeFalse(); // from the start again
    }

    /// <summary>Calls back on the reporting thread, unlike <see cref="Progress{T}"/>.</summary>
    private sealed class Reports(Action<IntegrityProgress> report) : IProgress<IntegrityProgress>
    {
        public void Report(IntegrityProgress value) => report(value);
    }

    private async Task ArchiveAnotherAsync(TestHost host)
    {
        var chat = "[28/03/2022, 10:00:00] Ana Costa: Report attached\r\n" +
                   "[28/03/2022, 10:00:05] Ana Costa: \u200E<attached: 00000036-PHOTO-2022-03-28-10-00-05.jpg>\r\n";
        var path = _files.Zip("WhatsApp Chat - Ana Costa.zip", "_chat.txt", chat, ("00000036-PHOTO-2022-03-28-10-00-05.jpg", RandomNumberGenerator.GetBytes(1024)));
        await host.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat - Ana Costa.zip", new ImportOptions("Europe/Lisbon"), Officer, ct: Ct);
    }

    /// <summary>An archive with an imported export (a photo attached) and two captured messages; returns the export's conversation and the captured one.</summary>
    private async Task<(long Exported, long Captured)> ArchiveAsync(TestHost host)
    {
        var chat = "[27/03/2022, 21:41:35] Maria Silva: Good evening\r\n" +
                   "[27/03/2022, 21:41:55] Maria Silva: \u200E<attached: 00000035-PHOTO-2022-03-27-21-41-55.jpg>\r\n" +
                   "[27/03/2022, 21:42:10] Joe Bloggs: Thanks, contract to follow\r\n";
        var path = _files.Zip("WhatsApp Chat - Maria Silva.zip", "_chat.txt", chat, ("00000035-PHOTO-2022-03-27-21-41-55.jpg", RandomNumberGenerator.GetBytes(2048)));
        await host.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat - Maria Silva.zip", new ImportOptions("Europe/Lisbon"), Officer, ct: Ct);
        foreach (var payload in new[] { Inbound(Text("wamid.1", T0, "Can you confirm 50 lots?")), Inbound(Text("wamid.2", T0.AddSeconds(30), "Confirmed.")) })
        {
            await host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(payload), "127.0.0.1", Ct);
        }

        await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
        await using var db = await host.CreateDbContextAsync();
        var exported = await db.ImportBatches.Select(b => b.ConversationId).SingleAsync(Ct);
        var captured = await db.Conversations.Where(c => c.Id != exported).Select(c => c.Id).SingleAsync(Ct);
        return (exported, captured);
    }

    private static async Task<(string Kind, string Record)> TamperAsync(TestHost host, string tampering, long exported, long captured)
    {
        await using var db = await host.CreateDbContextAsync();
        var checkpoints = host.Get<CheckpointService>();
        switch (tampering)
        {
            case "newest message of a conversation deleted":
            {
                var last = await db.ChatMessages.Where(m => m.ConversationId == exported).MaxAsync(m => m.ChainSequence, Ct);
                await RawAsync(host, $"DELETE FROM \"ChatMessages\" WHERE \"ConversationId\" = {exported} AND \"ChainSequence\" = {last}");
                return (CheckpointVerifier.ConversationKind, $"conversation {exported}");
            }

            case "newest audit event deleted":
            {
                var last = await db.AuditEvents.MaxAsync(e => e.Id, Ct);
                await RawAsync(host, $"DELETE FROM \"AuditEvents\" WHERE \"Id\" = {last}");
                return (CheckpointVerifier.AuditKind, "audit event");
            }

            case "whole conversation deleted":
                await RawAsync(host,
                    $"DELETE FROM \"ChatMessages\" WHERE \"ConversationId\" = {captured};" +
                    $"DELETE FROM \"ChatParticipants\" WHERE \"ConversationId\" = {captured};" +
                    $"DELETE FROM \"Conversations\" WHERE \"Id\" = {captured};");
                return (CheckpointVerifier.ConversationKind, $"conversation {captured}");

            case "attachment bytes changed in the blob store":
            {
                var attachment = await db.ChatAttachments.SingleAsync(a => a.Sha256 != null, Ct);
                // One bit of its sealed bytes flipped: it no longer opens (and a file swapped in whole hashes wrong).
                var bytes = await File.ReadAllBytesAsync(BlobPath(host, attachment.Sha256!), Ct);
                bytes[^20] ^= 0x01;
                await File.WriteAllBytesAsync(BlobPath(host, attachment.Sha256!), bytes, Ct);
                return (ArchiveServiceCollectionExtensions.AttachmentBlobKind, $"attachment {attachment.Id}");
            }

            case "original export file deleted":
            {
                var batch = await db.ImportBatches.SingleAsync(Ct);
                File.Delete(BlobPath(host, batch.OriginalSha256));
                return (ArchiveServiceCollectionExtensions.OriginalExportKind, $"import batch {batch.Id}");
            }

            case "raw webhook payload rewritten":
            {
                var delivery = await db.WebhookDeliveries.OrderBy(d => d.Id).FirstAsync(Ct);
                await RawAsync(host, $"UPDATE \"WebhookDeliveries\" SET \"Body\" = REPLACE(\"Body\", '50 lots', '5 lots') WHERE \"Id\" = {delivery.Id}");
                return (CheckpointVerifier.InboxKind, $"webhook delivery {delivery.Id}");
            }

            case "raw webhook payload and its recorded hash rewritten":
            {
                var delivery = await db.WebhookDeliveries.OrderBy(d => d.Id).FirstAsync(Ct);
                var forged = delivery.Body.Replace("50 lots", "5 lots", StringComparison.Ordinal);
                var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(forged)));
                await RawAsync(host, $"UPDATE \"WebhookDeliveries\" SET \"Body\" = REPLACE(\"Body\", '50 lots', '5 lots'), \"BodySha256\" = '{hash}' WHERE \"Id\" = {delivery.Id}");
                return (CheckpointVerifier.InboxKind, "webhook deliveries 1–");
            }

            case "webhook delivery deleted":
            {
                var last = await db.WebhookDeliveries.MaxAsync(d => d.Id, Ct);
                await RawAsync(host, $"UPDATE \"ChatMessages\" SET \"WebhookDeliveryId\" = NULL WHERE \"WebhookDeliveryId\" = {last}; DELETE FROM \"WebhookDeliveries\" WHERE \"Id\" = {last}");
                return (CheckpointVerifier.InboxKind, "webhook deliveries 1–");
            }

            case "import batch's recorded hash and file name rewritten":
            {
                var batch = await db.ImportBatches.SingleAsync(Ct);
                var other = await db.ChatAttachments.Where(a => a.Sha256 != null).Select(a => a.Sha256).FirstAsync(Ct);
                await RawAsync(host, $"UPDATE \"ImportBatches\" SET \"OriginalSha256\" = '{other}', \"OriginalFileName\" = 'harmless.zip' WHERE \"Id\" = {batch.Id}");
                return (CheckpointVerifier.ImportKind, $"import batch {batch.Id}");
            }

            case "database rolled back to before the latest checkpoint":
            {
                // What a restore of an older backup leaves: the newer messages, audit events and the note of the newer checkpoint gone.
                var auditBefore = await db.AuditEvents.MaxAsync(e => e.Id, Ct);
                var messagesBefore = await db.ChatMessages.MaxAsync(m => m.Id, Ct);
                await host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(Inbound(Text("wamid.3", T0.AddMinutes(1), "Booked."))), "127.0.0.1", Ct);
                await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
                var sealedAfter = (await checkpoints.SealAsync("test", ct: Ct))!;
                await RawAsync(host,
                    $"DELETE FROM \"IntegrityCheckpoints\" WHERE \"Sequence\" = {sealedAfter.Sequence};" +
                    $"DELETE FROM \"ChatMessages\" WHERE \"Id\" > {messagesBefore};" +
                    $"DELETE FROM \"WebhookDeliveries\" WHERE \"Id\" > (SELECT MAX(\"WebhookDeliveryId\") FROM \"ChatMessages\");" +
                    $"DELETE FROM \"AuditEvents\" WHERE \"Id\" > {auditBefore};");
                return (CheckpointVerifier.RollbackKind, $"checkpoints {sealedAfter.Sequence}");
            }

            case "checkpoint log truncated":
            {
                await host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(Inbound(Text("wamid.3", T0.AddMinutes(1), "Booked."))), "127.0.0.1", Ct);
                await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
                var second = (await checkpoints.SealAsync("test", ct: Ct))!;
                var lines = await File.ReadAllLinesAsync(checkpoints.Paths.Log, Ct);
                await File.WriteAllLinesAsync(checkpoints.Paths.Log, lines[..^1], Ct);
                return (CheckpointVerifier.LogKind, $"checkpoint {second.Sequence}");
            }

            case "checkpoint log line edited (its signature broken)":
            {
                var text = await File.ReadAllTextAsync(checkpoints.Paths.Log, Ct);
                var audit = await db.AuditEvents.MaxAsync(e => e.Id, Ct);
                await File.WriteAllTextAsync(checkpoints.Paths.Log, text.Replace($"\"length\":{audit},", $"\"length\":{audit - 1},", StringComparison.Ordinal), Ct);
                return (CheckpointVerifier.LogKind, checkpoints.Paths.Log);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(tampering), tampering, null);
        }
    }

    /// <summary>SQL as someone with the database's files would run it: the append-only triggers and foreign keys out of the way.</summary>
    internal static async Task RawAsync(TestHost host, string sql)
    {
        if (host.Provider == DatabaseProvider.Sqlite)
        {
            await using var db = await host.CreateDbContextAsync();
            var triggers = await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'trigger'").ToListAsync(Ct);
            await host.ExecuteSqlAsync(string.Concat(triggers.Select(t => $"DROP TRIGGER \"{t}\";")) + "PRAGMA foreign_keys = OFF;" + sql);
        }
        else
        {
            await host.ExecuteSqlAsync("SET session_replication_role = replica;" + sql + ";SET session_replication_role = DEFAULT;");
        }
    }

    private static string BlobPath(TestHost host, string sha256) =>
        Directory.EnumerateFiles(host.Storage.BlobDirectory, sha256, SearchOption.AllDirectories).Single();

    public void Dispose()
    {
        _files.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteIntegrityTests() : IntegrityTests(DatabaseProvider.Sqlite);

public sealed class PostgresIntegrityTests() : IntegrityTests(DatabaseProvider.Postgres);
