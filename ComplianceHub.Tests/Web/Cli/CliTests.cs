using System.Globalization;
using System.Text.Json;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Cli;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Web.Cli;

/// <summary>The command-line verbs, run in-process against real databases.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "compliancehub-tests", "cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestHost.TryDeleteDirectory(_dataDir);
        TestHost.TryDeleteDirectory(_dataDir + "-checkpoints");
        TestHost.TryDeleteDirectory(_dataDir + "-keys");
    }

    private static async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        CliDispatcher.IsVerb(args).ShouldBeTrue();
        var exit = await CliDispatcher.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task CreateAdmin_ThenVerify_ReportsAnIntactChainAsJson()
    {
        var created = await RunAsync("create-admin", "--email", "root@example.com", "--password", "Server-Admin-2026!", "--data-dir", _dataDir);
        created.Exit.ShouldBe(0, created.Error);
        created.Out.ShouldContain("Created administrator root@example.com");
        File.Exists(Path.Combine(_dataDir, StorageSettings.SqliteFileName)).ShouldBeTrue();

        var verified = await RunAsync("verify", "--data-dir", _dataDir, "--json");

        verified.Exit.ShouldBe(0, verified.Error);
        using var json = JsonDocument.Parse(verified.Out);
        json.RootElement.GetProperty("intact").GetBoolean().ShouldBeTrue();
        var audit = json.RootElement.GetProperty("chains").EnumerateArray().Single(c => c.GetProperty("chain").GetString() == "audit");
        audit.GetProperty("records").GetInt64().ShouldBe(1);
        audit.GetProperty("headHash").GetString()!.Length.ShouldBe(64);
    }

    [Fact]
    public async Task Verify_AfterARowIsAlteredInTheDatabase_ExitsNonZeroNamingTheRecord()
    {
        (await RunAsync("seed-demo", "--data-dir", _dataDir)).Exit.ShouldBe(0);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_dataDir, StorageSettings.SqliteFileName)}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER AuditEvents_NoUpdate; UPDATE AuditEvents SET Details = '{\"roles\":[\"Administrator\"]}' WHERE Id = 4;";
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var verified = await RunAsync("verify", "--data-dir", _dataDir);

        verified.Exit.ShouldBe(1);
        verified.Out.ShouldContain("audit: BROKEN at audit event 4");
        verified.Error.Trim().ShouldBe("verify: audit chain broken at audit event 4: its content does not match its hash");
    }

    [Fact]
    public async Task Checkpoint_ThenTheNewestMessagesOfAConversationRemoved_VerifyExitsNonZeroNamingTheConversation()
    {
        (await RunAsync("seed-demo", "--data-dir", _dataDir)).Exit.ShouldBe(0);
        var sealedNow = await RunAsync("checkpoint", "--data-dir", _dataDir, "--json");
        sealedNow.Exit.ShouldBe(0, sealedNow.Error);
        using (var json = JsonDocument.Parse(sealedNow.Out))
        {
            json.RootElement.GetProperty("sequence").GetInt64().ShouldBeGreaterThanOrEqualTo(1);
            json.RootElement.GetProperty("log").GetString()!.ShouldStartWith(_dataDir + "-checkpoints");
        }

        var intact = await RunAsync("verify", "--data-dir", _dataDir, "--progress");
        intact.Exit.ShouldBe(0, intact.Out + intact.Error);
        intact.Out.ShouldContain("checkpoints: intact");
        intact.Error.ShouldMatch(@"verify: blobs: (\d+) of \1 checked"); // the last report, whatever came before

        long conversation;
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_dataDir, StorageSettings.SqliteFileName)}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT ConversationId FROM ChatMessages GROUP BY ConversationId ORDER BY COUNT(*) DESC LIMIT 1";
            conversation = (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
            command.CommandText = "DROP TRIGGER ChatMessages_NoDelete; PRAGMA foreign_keys = OFF; " +
                $"DELETE FROM ChatMessages WHERE ConversationId = {conversation} AND ChainSequence > (SELECT MAX(ChainSequence) - 2 FROM ChatMessages WHERE ConversationId = {conversation});";
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var verified = await RunAsync("verify", "--data-dir", _dataDir);

        verified.Exit.ShouldBe(1);
        verified.Out.ShouldContain($"conversation head: BROKEN at conversation {conversation}: checkpoint");
        verified.Out.ShouldContain("archive: intact"); // the links that remain all hold: only the checkpoint shows what went
    }

    [Fact]
    public async Task Verify_OnPostgres_UsesTheProviderAndConnectionStringOptions()
    {
        await using var host = await TestHost.StartAsync(DatabaseProvider.Postgres);

        var seeded = await RunAsync("seed-demo", "--provider", "Postgres", "--connection-string", host.Storage.ConnectionString, "--data-dir", _dataDir, "--json");
        int audit, archive;
        await using (var db = await host.CreateDbContextAsync())
        {
            // What the seed wrote, counted before verify records its own event.
            audit = await db.AuditEvents.CountAsync(TestContext.Current.CancellationToken);
            archive = await db.ChatMessages.CountAsync(TestContext.Current.CancellationToken);
        }

        var verified = await RunAsync("verify", "--provider", "Postgres", "--connection-string", host.Storage.ConnectionString, "--data-dir", _dataDir);

        seeded.Exit.ShouldBe(0, seeded.Error);
        JsonDocument.Parse(seeded.Out).RootElement.GetProperty("createdAccounts").GetArrayLength().ShouldBe(5);
        verified.Exit.ShouldBe(0, verified.Error);
        audit.ShouldBeGreaterThan(10);
        archive.ShouldBeGreaterThan(40);
        verified.Out.ShouldContain($"audit: intact, {audit} record(s)");
        verified.Out.ShouldContain($"archive: intact, {archive} record(s)");
    }

    [Fact]
    public async Task Keys_Rotate_AddsAKeyForNewBlobs_OldOnesStayReadable_AndTheRotationIsAudited()
    {
        (await RunAsync("seed-demo", "--data-dir", _dataDir)).Exit.ShouldBe(0);
        var before = await RunAsync("keys", "status", "--data-dir", _dataDir, "--json");
        before.Exit.ShouldBe(0, before.Error);
        using var status = JsonDocument.Parse(before.Out);
        var first = status.RootElement.GetProperty("active").GetString()!;
        var sealedBefore = status.RootElement.GetProperty("keys")[0].GetProperty("blobs").GetInt32();
        sealedBefore.ShouldBeGreaterThan(0); // the demo's exports and attachments
        status.RootElement.GetProperty("unsealedBlobs").GetInt32().ShouldBe(0);
        status.RootElement.GetProperty("keyFile").GetString().ShouldBe(_dataDir + "-keys/archive.keys");

        var rotated = await RunAsync("keys", "rotate", "--data-dir", _dataDir, "--json");
        rotated.Exit.ShouldBe(0, rotated.Error);
        using var rotation = JsonDocument.Parse(rotated.Out);
        var second = rotation.RootElement.GetProperty("active").GetString()!;
        second.ShouldNotBe(first);

        // New data under the new key, old data still verified under the old one.
        using var files = new ExportFiles();
        var chat = files.Text("WhatsApp Chat with Desk.txt", "1/4/23, 7:02\u202FPM - Person 2: a new export after the rotation");
        var imported = await RunAsync("import", chat, "--time-zone", "UTC", "--custodian", "pat@example.com", "--data-dir", _dataDir);
        imported.Exit.ShouldBe(0, imported.Out + imported.Error);
        var after = await RunAsync("keys", "status", "--data-dir", _dataDir);
        after.Exit.ShouldBe(0, after.Error);
        after.Out.ShouldContain($"{first}: {sealedBefore} blob(s)");
        after.Out.ShouldContain($"{second} (seals new data): 1 blob(s)");
        var verified = await RunAsync("verify", "--data-dir", _dataDir);
        verified.Exit.ShouldBe(0, verified.Out + verified.Error);

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_dataDir, StorageSettings.SqliteFileName)}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT Details FROM AuditEvents WHERE Type = {(int)ComplianceHub.Core.Audit.AuditEventType.ArchiveKeyRotated}";
        ((string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!).ShouldContain(second);
    }

    [Fact]
    public async Task Retention_SetARule_DryRun_ThenRunADispositionWithAndWithoutFourEyes()
    {
        (await RunAsync("seed-demo", "--data-dir", _dataDir)).Exit.ShouldBe(0);

        var rules = await RunAsync("retention", "rules", "--data-dir", _dataDir, "--json");
        rules.Exit.ShouldBe(0, rules.Error);
        using (var json = JsonDocument.Parse(rules.Out))
        {
            var only = json.RootElement.GetProperty("rules").EnumerateArray().Single();
            (only.GetProperty("scope").GetString(), only.GetProperty("period").GetString(), only.GetProperty("id").ValueKind).ShouldBe(("Default", "7y", JsonValueKind.Null));
        }

        var set = await RunAsync("retention", "set", "default", "--period", "1d", "--reason", "Test: everything expires", "--data-dir", _dataDir);
        set.Exit.ShouldBe(0, set.Error);
        set.Out.ShouldContain("Default kept 1 day.");

        var dry = await RunAsync("retention", "run", "--dry-run", "--data-dir", _dataDir, "--json");
        dry.Exit.ShouldBe(0, dry.Error);
        using (var json = JsonDocument.Parse(dry.Out))
        {
            var root = json.RootElement;
            root.GetProperty("expired").GetInt32().ShouldBeGreaterThan(0);
            root.GetProperty("removed").GetInt32().ShouldBe(0);
            root.GetProperty("tombstones").GetInt32().ShouldBe(0);
            root.GetProperty("dispositionEnabled").GetBoolean().ShouldBeFalse();
            root.GetProperty("conversations").EnumerateArray().ShouldAllBe(c => c.GetProperty("rule").GetString() == "Default: 1 day");
        }

        var off = await RunAsync("retention", "run", "--data-dir", _dataDir);
        off.Exit.ShouldNotBe(0);
        off.Error.ShouldContain("Disposition is off");
        (await RunAsync("retention", "set", "default", "--period", "forever", "--reason", "x", "--data-dir", _dataDir)).Error.ShouldContain("'forever' is not a retention period");

        // Turned on with four eyes: the run waits; the same person cannot approve it (a second one would).
        var on = await RunAsync("retention", "settings", "--disposition", "on", "--four-eyes", "on", "--data-dir", _dataDir);
        on.Exit.ShouldBe(0, on.Error);
        on.Out.ShouldContain("Disposition on, four-eyes approval on (set by cli:");
        var waiting = await RunAsync("retention", "run", "--data-dir", _dataDir, "--json");
        waiting.Exit.ShouldBe(0, waiting.Error);
        long run;
        using (var json = JsonDocument.Parse(waiting.Out))
        {
            (json.RootElement.GetProperty("status").GetString(), json.RootElement.GetProperty("removed").GetInt32()).ShouldBe(("awaiting approval", 0));
            run = json.RootElement.GetProperty("run").GetInt64();
        }

        (await RunAsync("retention", "approve", run.ToString(CultureInfo.InvariantCulture), "--data-dir", _dataDir)).Error.ShouldContain("a second person approves it");
        (await RunAsync("retention", "reject", run.ToString(CultureInfo.InvariantCulture), "--reason", "Not this week", "--data-dir", _dataDir)).Exit.ShouldBe(0);

        // Without four eyes the run removes what the dry run said, leaving a tombstone each, and verify crosses them.
        (await RunAsync("retention", "settings", "--four-eyes", "off", "--data-dir", _dataDir)).Exit.ShouldBe(0);
        var real = await RunAsync("retention", "run", "--data-dir", _dataDir, "--json");
        real.Exit.ShouldBe(0, real.Error);
        using (var json = JsonDocument.Parse(real.Out))
        using (var planned = JsonDocument.Parse(dry.Out))
        {
            var root = json.RootElement;
            root.GetProperty("status").GetString().ShouldBe("completed");
            root.GetProperty("expired").GetInt32().ShouldBe(planned.RootElement.GetProperty("expired").GetInt32());
            root.GetProperty("keptByHold").GetInt32().ShouldBe(planned.RootElement.GetProperty("keptByHold").GetInt32());
            root.GetProperty("removed").GetInt32().ShouldBe(planned.RootElement.GetProperty("wouldRemove").GetInt32());
            root.GetProperty("tombstones").GetInt32().ShouldBe(root.GetProperty("removed").GetInt32());
            root.GetProperty("blobsRemoved").GetInt32().ShouldBeGreaterThanOrEqualTo(0);
        }

        var verify = await RunAsync("verify", "--data-dir", _dataDir);
        verify.Exit.ShouldBe(0, verify.Out + verify.Error);
        verify.Out.ShouldContain("removed by disposition, crossed by their tombstones");
    }

    [Fact]
    public async Task SeedDemo_SecondRun_CreatesNothing()
    {
        (await RunAsync("seed-demo", "--data-dir", _dataDir)).Out.ShouldContain("Created 5 demo account(s)");

        var again = await RunAsync("seed-demo", "--data-dir", _dataDir);

        again.Exit.ShouldBe(0);
        again.Out.ShouldContain("Demo data already present (5 demo account(s))");
    }

    [Theory]
    [InlineData("unknown option --colour", "verify", "--colour")]
    [InlineData("missing required option --password", "create-admin", "--email", "a@example.com")]
    [InlineData("option --email needs a value", "create-admin", "--email")]
    [InlineData("'not-an-email' is not an e-mail address", "create-admin", "--email", "not-an-email", "--password", "Server-Admin-2026!")]
    [InlineData("unexpected argument 'now'", "verify", "now")]
    [InlineData("expected 'Sqlite' or 'Postgres'", "verify", "--provider", "Oracle")]
    [InlineData("needs a connection string", "verify", "--provider", "Postgres")]
    [InlineData("--seconds is 'soon'; expected a positive whole number", "bench", "webhook", "--seconds", "soon")]
    [InlineData("available: import, webhook, search, export", "bench", "replay")]
    [InlineData("\"AND\" at character 6 needs a word on both sides", "search", "bund AND")]
    [InlineData("give a query, a filter or both", "search")]
    [InlineData("give the CSV file to import", "roster", "import")]
    [InlineData("unknown action 'sync'; available: import, import-participants, export, alerts", "roster", "sync")]
    [InlineData("give the CSV file of participants to import", "roster", "import-participants")]
    [InlineData("--limit is 'all'; expected a whole number from 1 to 10,000", "search", "bund", "--limit", "all")]
    [InlineData("--from is 'yesterday'; expected a date (2024-03-18) or an ISO-8601 time", "search", "bund", "--from", "yesterday")]
    [InlineData("name one of --hold <id>, --search \"<query>\" or --conversation <id>", "export", "--format", "pdf", "--out", "x.pdf")]
    [InlineData("--audience is 'team:x'; expected everyone, department:<name> or role:<name>", "policies", "publish", "README.md", "--title", "T", "--audience", "team:x")]
    [InlineData("unknown action 'sign'; available: publish, report", "policies", "sign")]
    [InlineData("--sender filters a search: use it with --search", "export", "--hold", "1", "--sender", "Omar", "--format", "pdf", "--out", "x.pdf")]
    [InlineData("--format is 'docx'; expected pdf (the transcript), zip (the e-discovery package) or zip+pdf", "export", "--conversation", "1", "--format", "docx", "--out", "x.docx")]
    [InlineData("--bates-start is 'A1'; expected a whole number", "export", "--conversation", "1", "--format", "pdf", "--out", "x.pdf", "--bates-start", "A1")]
    public async Task BadArguments_ExitWithCode2AndOneLineReason(string reason, params string[] args)
    {
        var result = await RunAsync([.. args, "--data-dir", _dataDir]);

        result.Exit.ShouldBe(2);
        result.Error.ShouldContain(reason);
        result.Error.TrimEnd().Split('\n').Length.ShouldBe(1);
        result.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateAdmin_WeakPasswordOrExistingEmail_ExitsWithCode1AndTheReason()
    {
        var weak = await RunAsync("create-admin", "--email", "root@example.com", "--password", "short", "--data-dir", _dataDir);
        weak.Exit.ShouldBe(1);
        weak.Error.ShouldContain("at least 12 characters");

        (await RunAsync("create-admin", "--email", "root@example.com", "--password", "Server-Admin-2026!", "--data-dir", _dataDir)).Exit.ShouldBe(0);
        var duplicate = await RunAsync("create-admin", "--email", "root@example.com", "--password", "Server-Admin-2026!", "--data-dir", _dataDir);
        duplicate.Exit.ShouldBe(1);
        duplicate.Error.ShouldContain("already taken");
    }

    [Fact]
    public async Task Search_PrintsHitsAsJson_WithFiltersApplied()
    {
        (await RunAsync("seed-demo", "--data-dir", _dataDir)).Exit.ShouldBe(0);

        var all = await RunAsync("search", "confirm*", "--json", "--data-dir", _dataDir);
        all.Exit.ShouldBe(0);
        using var json = JsonDocument.Parse(all.Out);
        var hits = json.RootElement.GetProperty("hits").EnumerateArray().ToList();
        json.RootElement.GetProperty("total").GetInt32().ShouldBe(hits.Count);
        hits.Count.ShouldBeGreaterThan(1);
        hits.ShouldAllBe(h => h.GetProperty("body").GetString()!.Contains("confirm", StringComparison.OrdinalIgnoreCase));
        hits.Select(h => h.GetProperty("sentAtUtc").GetDateTimeOffset()).ShouldBeInOrder(SortDirection.Descending);
        foreach (var name in new[] { "messageId", "conversationId", "conversation", "sender" })
        {
            hits[0].TryGetProperty(name, out _).ShouldBeTrue(name);
        }

        var conversation = hits[0].GetProperty("conversationId").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var one = await RunAsync("search", "confirm*", "--conversation", conversation, "--limit", "1", "--json", "--data-dir", _dataDir);
        using var limited = JsonDocument.Parse(one.Out);
        limited.RootElement.GetProperty("hits").GetArrayLength().ShouldBe(1);
        limited.RootElement.GetProperty("hits")[0].GetProperty("conversationId").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe(conversation);

        var none = await RunAsync("search", "confirm*", "--to", "2000-01-01", "--data-dir", _dataDir);
        none.Exit.ShouldBe(0);
        none.Out.ShouldContain("0 message(s) found");
    }

    [Fact]
    public async Task RosterImport_ReportsEveryProblemAsJson_ExitsNonZero_AndStoresOnlyACleanFile()
    {
        Directory.CreateDirectory(_dataDir);
        var header = "employee_id,name,email,department,manager_email,phone,authorized_from,authorized_until,status\n";
        var bad = Path.Combine(_dataDir, "bad.csv");
        await File.WriteAllTextAsync(bad, header + "E1,Alex Kim,alex.kim@example.com,,,+44 7700 900123,2025-01-01,,active\nE2,Sam,sam@example.com,,,12,2025-01-01,,gone\n", TestContext.Current.CancellationToken);

        var rejected = await RunAsync("roster", "import", bad, "--json", "--data-dir", _dataDir);

        rejected.Exit.ShouldBe(1);
        using (var json = JsonDocument.Parse(rejected.Out))
        {
            json.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["rows", "people", "numbers", "errors"]);
            json.RootElement.GetProperty("rows").GetInt32().ShouldBe(2);
            json.RootElement.GetProperty("errors").EnumerateArray()
                .Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString())).ShouldBe([(3, "phone"), (3, "status")]);
        }

        var good = Path.Combine(_dataDir, "good.csv");
        await File.WriteAllTextAsync(good, header + "E1,Alex Kim,alex.kim@example.com,Rates,,+44 7700 900123,2025-01-01,,active\n", TestContext.Current.CancellationToken);
        (await RunAsync("roster", "import", good, "--dry-run", "--data-dir", _dataDir)).Out.ShouldContain("dry run, nothing stored");
        (await RunAsync("roster", "export", "--data-dir", _dataDir)).Out.Trim().Split('\n').Length.ShouldBe(1);

        var stored = await RunAsync("roster", "import", good, "--data-dir", _dataDir);
        stored.Exit.ShouldBe(0, stored.Error);
        stored.Out.ShouldContain("1 row(s), 1 people, 1 number(s) stored.");
        (await RunAsync("roster", "export", "--data-dir", _dataDir)).Out.ShouldContain("E1,Alex Kim,alex.kim@example.com,Rates,,\"'+447700900123\",2025-01-01,,active");

        // Authorized in 2025 and never heard from since: a silent number.
        var alerts = await RunAsync("roster", "alerts", "--json", "--data-dir", _dataDir);
        alerts.Exit.ShouldBe(0, alerts.Error);
        using var listed = JsonDocument.Parse(alerts.Out);
        var alert = listed.RootElement.GetProperty("alerts").EnumerateArray().Single();
        alert.EnumerateObject().Select(p => p.Name).ShouldBe(["kind", "phone", "conversationId", "detail"]);
        (alert.GetProperty("kind").GetString(), alert.GetProperty("phone").GetString()).ShouldBe(("silent-number", "+447700900123"));
        alert.GetProperty("conversationId").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task RosterImportParticipants_ReportsEveryProblemAsJson_AndExitsNonZero()
    {
        Directory.CreateDirectory(_dataDir);
        var csv = Path.Combine(_dataDir, "participants.csv");
        await File.WriteAllTextAsync(csv, "group,phone,type,employee_id,name,company,role,relationship_owner_email,joined_on,left_on\n"
            + "Client Desk,+351912345678,external,,Maria Silva,Banco Atlântico,,alex.kim@example.com,2026-01-05,\n", TestContext.Current.CancellationToken);

        var rejected = await RunAsync("roster", "import-participants", csv, "--json", "--data-dir", _dataDir);

        rejected.Exit.ShouldBe(1);
        rejected.Error.ShouldContain("2 problem(s) in participants.csv; nothing stored");
        using var json = JsonDocument.Parse(rejected.Out);
        json.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["rows", "groups", "participants", "contacts", "errors"]);
        json.RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString())).ShouldBe([(2, "group"), (2, "relationship_owner_email")]);
    }

    [Fact]
    public async Task Export_WritesAConversationsTranscript_WithBatesNumbers_AndAuditsIt()
    {
        (await RunAsync("seed-demo", "--data-dir", _dataDir)).Exit.ShouldBe(0);
        var pdf = Path.Combine(_dataDir, "rates-desk.pdf");

        var result = await RunAsync("export", "--conversation", "1", "--format", "pdf", "--out", pdf, "--bates-prefix", "ACME-", "--bates-start", "100",
            "--time-zone", "Europe/London", "--json", "--data-dir", _dataDir);

        result.Exit.ShouldBe(0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var pages = json.RootElement.GetProperty("pages").GetInt32();
        json.RootElement.GetProperty("batesFirst").GetString().ShouldBe("ACME-000100");
        json.RootElement.GetProperty("batesLast").GetString().ShouldBe($"ACME-{99 + pages:D6}");
        var sha = json.RootElement.GetProperty("sha256").GetString();
        sha.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(pdf, TestContext.Current.CancellationToken))));
        File.Exists(pdf + ".partial").ShouldBeFalse();
        (await Poppler.TextAsync(pdf)).ShouldContain("Transcript: Rates Desk");

        var unknown = await RunAsync("export", "--hold", "999", "--format", "pdf", "--out", Path.Combine(_dataDir, "none.pdf"), "--data-dir", _dataDir);
        unknown.Exit.ShouldBe(1);
        unknown.Error.ShouldContain("There is no legal hold 999");
        File.Exists(Path.Combine(_dataDir, "none.pdf")).ShouldBeFalse();
        File.Exists(Path.Combine(_dataDir, "none.pdf.partial")).ShouldBeFalse();

        var audit = await RunAsync("verify", "--json", "--data-dir", _dataDir);
        audit.Exit.ShouldBe(0);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_dataDir, StorageSettings.SqliteFileName)}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT Details FROM AuditEvents WHERE Type = {(int)ComplianceHub.Core.Audit.AuditEventType.ProductionExported}";
        var details = (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        details!.ShouldContain(sha!);
        details!.ShouldContain("ACME-000100");
    }

    [Fact]
    public async Task ExportZip_WritesAPackage_ThatVerifyExportAccepts_AndNotOnceItIsChanged()
    {
        (await RunAsync("seed-demo", "--data-dir", _dataDir)).Exit.ShouldBe(0);
        var package = Path.Combine(_dataDir, "jonas.zip");

        var result = await RunAsync("export", "--conversation", "2", "--format", "zip", "--out", package, "--time-zone", "Europe/Berlin", "--json", "--data-dir", _dataDir);

        result.Exit.ShouldBe(0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("format").GetString().ShouldBe("zip");
        json.RootElement.GetProperty("signed").GetBoolean().ShouldBeFalse();
        json.RootElement.GetProperty("pages").ValueKind.ShouldBe(JsonValueKind.Null);
        var manifest = json.RootElement.GetProperty("manifestSha256").GetString();

        var verified = await RunAsync("verify-export", package, "--data-dir", _dataDir);
        verified.Exit.ShouldBe(0, verified.Out + verified.Error);
        verified.Out.ShouldContain($"verified: the package matches its manifest (SHA-256 {manifest}) and the archive");
        verified.Out.ShouldContain("ok    chain of conversation 2: intact");

        // Unpacked, with one byte of a file changed: exit 1, naming the file.
        var folder = Path.Combine(_dataDir, "jonas");
        await System.IO.Compression.ZipFile.ExtractToDirectoryAsync(package, folder, TestContext.Current.CancellationToken);
        var csv = Path.Combine(folder, "messages.csv");
        await File.WriteAllTextAsync(csv, (await File.ReadAllTextAsync(csv, TestContext.Current.CancellationToken)).Replace("Lindqvist", "Lindqvisz", StringComparison.Ordinal),
            TestContext.Current.CancellationToken);
        var changed = await RunAsync("verify-export", folder, "--json", "--data-dir", _dataDir);
        changed.Exit.ShouldBe(1);
        using var checks = JsonDocument.Parse(changed.Out);
        checks.RootElement.GetProperty("verified").GetBoolean().ShouldBeFalse();
        checks.RootElement.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("ok").GetBoolean()).Select(c => c.GetProperty("check").GetString())
            .ShouldBe(["file messages.csv", "files"]);

        var missing = await RunAsync("verify-export", Path.Combine(_dataDir, "no-such.zip"), "--data-dir", _dataDir);
        missing.Exit.ShouldBe(1);
        missing.Error.ShouldContain("is neither a package's folder nor its ZIP file");
    }

    [Fact]
    public async Task Policies_PublishFromAFile_ThenANewVersion_AndReportWhoOwesThem()
    {
        (await RunAsync("create-admin", "--email", "admin@example.com", "--password", "Long-enough-Password-2026!", "--data-dir", _dataDir)).Exit.ShouldBe(0);
        var file = Path.Combine(_dataDir, "policy.md");
        await File.WriteAllTextAsync(file, "# WhatsApp business use\n\nOnly registered numbers.\n", TestContext.Current.CancellationToken);

        var first = await RunAsync("policies", "publish", file, "--title", "WhatsApp business use policy", "--due-days", "10", "--json", "--data-dir", _dataDir);
        first.Exit.ShouldBe(0, first.Error);
        using (var json = JsonDocument.Parse(first.Out))
        {
            json.RootElement.GetProperty("version").GetInt32().ShouldBe(1);
            json.RootElement.GetProperty("contentSha256").GetString().ShouldBe(Convert.ToHexStringLower(
                System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("# WhatsApp business use\n\nOnly registered numbers.\n"))));
        }

        await File.AppendAllTextAsync(file, "No voice notes about trades.\n", TestContext.Current.CancellationToken);
        var noSummary = await RunAsync("policies", "publish", file, "--title", "whatsapp business use policy", "--data-dir", _dataDir);
        (noSummary.Exit, noSummary.Error.Trim()).ShouldBe((1, "policies: Publishing a new version needs a summary of what changed."));
        var second = await RunAsync("policies", "publish", file, "--title", "whatsapp business use policy", "--material", "--summary", "Voice notes", "--data-dir", _dataDir);
        second.Exit.ShouldBe(0, second.Error);
        second.Out.ShouldContain("version 2 (material: everyone signs again) to everyone");

        var report = await RunAsync("policies", "report", "--json", "--data-dir", _dataDir);
        report.Exit.ShouldBe(0, report.Error);
        using var standing = JsonDocument.Parse(report.Out);
        var policy = standing.RootElement.GetProperty("policies").EnumerateArray().Single();
        policy.EnumerateObject().Select(p => p.Name).ShouldBe(["title", "version", "publishedOn", "contentSha256", "audience", "acknowledged", "outstanding", "overdue"]);
        (policy.GetProperty("title").GetString(), policy.GetProperty("version").GetInt32(), policy.GetProperty("audience").GetString())
            .ShouldBe(("WhatsApp business use policy", 2, "everyone"));
        (policy.GetProperty("acknowledged").GetInt32(), policy.GetProperty("outstanding").GetInt32() + policy.GetProperty("overdue").GetInt32()).ShouldBe((0, 1)); // the administrator
    }

    [Fact]
    public async Task Training_Report_CountsTheDemoCourse()
    {
        (await RunAsync("seed-demo", "--data-dir", _dataDir)).Exit.ShouldBe(0);
        var report = await RunAsync("training", "report", "--json", "--data-dir", _dataDir);
        report.Exit.ShouldBe(0, report.Error);
        using var json = JsonDocument.Parse(report.Out);
        var course = json.RootElement.GetProperty("courses").EnumerateArray().Single();
        course.EnumerateObject().Select(p => p.Name).ShouldBe(["title", "assigned", "completed", "overdue", "expiringWithin30Days"]);
        (course.GetProperty("title").GetString(), course.GetProperty("assigned").GetInt32(), course.GetProperty("completed").GetInt32(),
                course.GetProperty("overdue").GetInt32(), course.GetProperty("expiringWithin30Days").GetInt32())
            .ShouldBe(("WhatsApp business use: the essentials", 5, 1, 0, 1)); // the five demo accounts; the officer's induction expires soon

        var text = await RunAsync("training", "report", "--data-dir", _dataDir);
        text.Out.Trim().ShouldBe("WhatsApp business use: the essentials: 1 of 5 completed, 0 overdue, 1 expiring within 30 days");
        (await RunAsync("training", "sign", "--data-dir", _dataDir)).Error.ShouldContain("unknown action 'sign'; available: report");
    }

    [Fact]
    public async Task Help_ListsEveryVerb()
    {
        var help = await RunAsync("help");

        help.Exit.ShouldBe(0);
        help.Out.ShouldContain("create-admin");
        help.Out.ShouldContain("verify");
        help.Out.ShouldContain("seed-demo");
        help.Out.ShouldContain("verify-export");
    }

    [Fact]
    public async Task BenchWebhook_DrivesTheRealEndpoint_AndFindsEveryMessageStoredOnce()
    {
        var result = await RunAsync("bench", "webhook", "--seconds", "2", "--clients", "2", "--with-flood", "--json");

        result.Exit.ShouldBe(0, result.Error);
        using var json = System.Text.Json.JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        var sent = root.GetProperty("sent").GetInt32();
        sent.ShouldBeGreaterThan(0);
        root.GetProperty("stored").GetInt32().ShouldBe(sent);
        root.GetProperty("duplicates").GetInt32().ShouldBe(0);
        root.GetProperty("requestsPerSecond").GetDouble().ShouldBeGreaterThan(0);
        root.GetProperty("p99Ms").GetDouble().ShouldBeGreaterThanOrEqualTo(root.GetProperty("p50Ms").GetDouble());
        root.EnumerateObject().Select(p => p.Name).ShouldBe(["requestsPerSecond", "messagesPerSecond", "p50Ms", "p99Ms", "lagP99Ms", "sent", "stored", "duplicates",
            "floodRequests", "floodRequestsPerSecond", "floodThrottled"]);
        // The unsigned flood ran beside the signed clients; past the limit its address is answered 429.
        root.GetProperty("floodRequests").GetInt32().ShouldBeGreaterThan(WebhookRefusals.ThrottleAfter);
        root.GetProperty("floodThrottled").GetInt32().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task BenchExport_ProducesAMixedScriptHoldsTranscript_AndPrintsItsFigures()
    {
        var result = await RunAsync("bench", "export", "--messages", "600", "--json");

        result.Exit.ShouldBe(0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("messages").GetInt32().ShouldBe(600);
        json.RootElement.GetProperty("images").GetInt32().ShouldBe(200);
        var pdf = json.RootElement.GetProperty("pdf");
        pdf.GetProperty("pages").GetInt32().ShouldBeGreaterThan(20);
        pdf.GetProperty("seconds").GetDouble().ShouldBeGreaterThan(0);
        pdf.GetProperty("peakWorkingSetMb").GetDouble().ShouldBeGreaterThan(0);
        var zip = json.RootElement.GetProperty("zip");
        zip.GetProperty("files").GetInt32().ShouldBeGreaterThan(200); // the photos, the data files, the RSMF and the original export
        zip.GetProperty("seconds").GetDouble().ShouldBeGreaterThan(0);
        zip.GetProperty("peakWorkingSetMb").GetDouble().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task BenchSearch_BuildsThenReusesASyntheticArchive_AndTimesEveryQueryForm()
    {
        var archive = Path.Combine(Path.GetTempPath(), "compliancehub-bench-search-3456");
        TestHost.TryDeleteDirectory(archive);
        try
        {
            var first = await RunAsync("bench", "search", "--messages", "3456", "--json");
            first.Exit.ShouldBe(0, first.Error);
            using var json = JsonDocument.Parse(first.Out);
            var root = json.RootElement;
            root.EnumerateObject().Select(p => p.Name).ShouldBe(["messages", "queries", "openConversationP95Ms"]);
            root.GetProperty("messages").GetInt32().ShouldBe(3456);
            var queries = root.GetProperty("queries").EnumerateArray().ToList();
            queries.Select(q => q.GetProperty("name").GetString()).ShouldBe([
                "common word", "common word + week + participant", "rare word", "rare word + week + participant", "two words",
                "two words + week + participant", "phrase", "phrase + week + participant", "prefix", "prefix + week + participant",
                "on legal hold", "common word + on legal hold", "common word + not on legal hold"]);
            queries.ShouldAllBe(q => q.GetProperty("p99Ms").GetDouble() >= q.GetProperty("p50Ms").GetDouble() && q.GetProperty("p50Ms").GetDouble() > 0);
            root.GetProperty("openConversationP95Ms").GetDouble().ShouldBeGreaterThan(0);

            var again = await RunAsync("bench", "search", "--messages", "3456");
            again.Exit.ShouldBe(0, again.Error);
            again.Error.ShouldContain("reusing the archive");
            again.Out.ShouldContain("phrase + week + participant");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestHost.TryDeleteDirectory(archive);
        }
    }

    [Theory]
    [InlineData("--urls", "http://localhost:5000")]
    [InlineData("--environment=Development")]
    public void IsVerb_WebHostArguments_GoToTheWebHost(params string[] args) =>
        CliDispatcher.IsVerb(args).ShouldBeFalse();
}
