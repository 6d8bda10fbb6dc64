using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Exports;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Search;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.Core.Archive;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;
using static ComplianceHub.Tests.TestSupport.WebhookPayloads;

namespace ComplianceHub.Tests.Core.Exports;

/// <summary>
/// A legal hold's e-discovery package, read back file by file: the manifest lists every file with its real size and
/// SHA-256 and is signed; the CSV opens with the README's header and keeps multi-line text; the JSON carries edit
/// history, deletions, reactions and attachment paths; each RSMF file parses as a MIME message whose rsmf.zip manifest
/// has the 2.0 schema's required fields and names only files it holds; verify-export accepts it and names any change.
/// </summary>
public abstract class ExportPackageTests(DatabaseProvider provider) : IDisposable
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.1.2.3");
    private static readonly DateTimeOffset T0 = new(2026, 3, 5, 9, 0, 0, TimeSpan.Zero);
    private const string CertificatePassword = "package-test-password";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ExportFiles _files = new();

    public void Dispose() => _files.Dispose();

    private async Task<(TestHost Host, long HoldId, byte[] Photo)> ArchiveAsync()
    {
        var settings = WebhookProcessingTests.CaptureSettings();
        settings["Exports:Signing:CertificatePath"] = Certificate();
        settings["Exports:Signing:CertificatePassword"] = CertificatePassword;
        var host = await TestHost.StartAsync(provider, settings);
        var photo = Jpeg();
        var chat = new StringBuilder()
            .Append("02/03/2026, 08:59 - Messages and calls are end-to-end encrypted. No one outside of this chat can read them.\n")
            .Append("02/03/2026, 09:00 - Omar Khan: مرحبا، نريد خمسة ملايين 👍🏽\n")
            .Append("02/03/2026, 09:01 - Alex Kim: =SUM(1+2) is what the sheet says\n")
            .Append("02/03/2026, 09:02 - Omar Khan: Two lines, \"quoted\", with commas\nand a second line\n")
            .Append("03/03/2026, 10:15 - Omar Khan: IMG-20260303-WA0001.jpg (file attached)\nsigned term sheet\n");
        await host.Get<ExportImportService>().ImportAsync(_files.Zip("WhatsApp Chat with Omar Khan.zip", "WhatsApp Chat with Omar Khan.txt", chat.ToString(),
            ("IMG-20260303-WA0001.jpg", photo)), "WhatsApp Chat with Omar Khan.zip", new ImportOptions("Europe/London", "alex.kim@example.com"), Officer, ct: Ct);

        foreach (var payload in new[]
        {
            Echoes(Echo("wamid.question", T0, "text", new JsonObject { ["body"] = "Shall we book 40 at 12.00?" })),
            Inbound(Text("wamid.answer", T0.AddMinutes(1), "Yes please").Also(m => m["context"] = new JsonObject { ["from"] = BusinessDisplayNumber, ["id"] = "wamid.question" })),
            Inbound(Message("wamid.like", T0.AddMinutes(2), "reaction", new JsonObject { ["message_id"] = "wamid.question", ["emoji"] = "👍" })),
            Echoes(Echo("wamid.edit", T0.AddMinutes(3), "edit", new JsonObject
            {
                ["original_message_id"] = "wamid.question",
                ["message"] = new JsonObject { ["type"] = "text", ["text"] = new JsonObject { ["body"] = "Shall we book 45 at 12.00?" } },
            })),
            Echoes(Echo("wamid.unsend", T0.AddMinutes(4), "revoke", new JsonObject { ["original_message_id"] = "wamid.question" })),
        })
        {
            await host.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(payload), "127.0.0.1", Ct);
        }

        await host.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
        await using var db = await host.CreateDbContextAsync();
        var conversations = await db.Conversations.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(Ct);
        var holdId = await host.Get<LegalHoldService>().PlaceAsync(
            new LegalHoldDraft("Bund futures", "2026-017", "Bund trades on the desk", conversations, [], null, null), Officer, Ct);
        return (host, holdId, photo);
    }

    private async Task<(string Path, ExportOutcome Outcome)> ProduceAsync(TestHost host, long holdId, ExportFormat format)
    {
        var path = Path.Combine(_files.Directory, $"package-{Guid.NewGuid():N}.zip");
        await using var file = File.Create(path);
        var outcome = await host.Get<ExportService>().WriteAsync(new ExportSource.LegalHold(holdId), format, new ExportSettings("Europe/London", "ACME-"), file, Officer, ct: Ct);
        return (path, outcome);
    }

    [Fact]
    public async Task APackage_ListsEveryFileWithItsHash_IsSigned_AndItsTranscriptCarriesTheManifestHash()
    {
        var (host, holdId, photo) = await ArchiveAsync();
        await using var _ = host;

        var (path, outcome) = await ProduceAsync(host, holdId, ExportFormat.PackageWithTranscript);

        await using var zip = await ZipFile.OpenReadAsync(path, Ct);
        var entries = zip.Entries.ToDictionary(e => e.FullName, Read);
        var manifestBytes = entries["manifest.json"];
        var manifest = JsonNode.Parse(manifestBytes)!;
        var manifestSha256 = Sha256(manifestBytes);
        outcome.Package!.ManifestSha256.ShouldBe(manifestSha256);

        // Every file but the four at the root that cannot be in it is listed, with its real size and hash.
        var listed = manifest["files"]!.AsArray().ToDictionary(f => (string)f!["path"]!, f => ((long)f!["bytes"]!, (string)f["sha256"]!));
        listed.Keys.Order(StringComparer.Ordinal).ShouldBe(entries.Keys.Except(["manifest.json", "SHA256SUMS", "manifest.json.p7s", "transcript.pdf"]).Order(StringComparer.Ordinal));
        foreach (var (name, (bytes, sha256)) in listed)
        {
            (entries[name].LongLength, Sha256(entries[name])).ShouldBe((bytes, sha256), name);
        }

        listed.Keys.ShouldContain($"attachments/{Sha256(photo)}.jpg");
        listed.Keys.ShouldContain("originals/batch-1/WhatsApp Chat with Omar Khan.zip");
        await using (var db = await host.CreateDbContextAsync())
        {
            Sha256(entries["originals/batch-1/WhatsApp Chat with Omar Khan.zip"]).ShouldBe(await db.ImportBatches.Select(b => b.OriginalSha256).SingleAsync(Ct));
        }

        ((string)manifest["parameters"]!["source"]!).ShouldBe($"legal hold {holdId}");
        ((int)manifest["counts"]!["messages"]!).ShouldBe(outcome.Scope.Messages);
        manifest["sections"]!.AsArray().Select(s => (string)s!["sha256"]!).ShouldBe(outcome.Scope.Sections.Select(s => s.Sha256));

        // SHA256SUMS holds the manifest's and the transcript's hash; the transcript's cover prints the manifest's.
        Encoding.ASCII.GetString(entries["SHA256SUMS"]).ShouldBe($"{manifestSha256}  manifest.json\n{Sha256(entries["transcript.pdf"])}  transcript.pdf\n");
        var transcript = Path.Combine(_files.Directory, "transcript.pdf");
        await File.WriteAllBytesAsync(transcript, entries["transcript.pdf"], Ct);
        string.Concat((await Poppler.TextAsync(transcript)).Split('\f')[0].Where(c => !char.IsWhiteSpace(c))).ShouldContain($"PackagemanifestSHA-256{manifestSha256}");

        // With a certificate configured the transcript is signed too: pdfsig finds the signature valid, and the text is unchanged.
        var signature = await Poppler.RunAsync("pdfsig", [transcript]);
        signature.ShouldContain("Signature Validation: Signature is Valid.");
        signature.ShouldContain("ComplianceHub test productions");
        var text = string.Concat((await Poppler.TextAsync(transcript)).Where(c => !char.IsWhiteSpace(c) && c is < '\u202A' or > '\u202E'));
        text.ShouldContain("نريدخمسة");
        text.ShouldContain("DigitalsignaturethisPDFissignedbyCN=ComplianceHubtestproductions");

        // The detached signature verifies with OpenSSL and with the verifier, and not over a changed manifest.
        outcome.Package.Signed.ShouldBeTrue();
        var unpacked = Unpack(path);
        // (RunAsync fails on a non-zero exit, with OpenSSL's message.)
        await Poppler.RunAsync("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-noverify",
            "-in", Path.Combine(unpacked, "manifest.json.p7s"), "-content", Path.Combine(unpacked, "manifest.json"), "-out", "/dev/null"]);
        ExportSigner.VerifyDetached(manifestBytes, entries["manifest.json.p7s"]).Valid.ShouldBeTrue();
        ExportSigner.VerifyDetached([.. manifestBytes, (byte)' '], entries["manifest.json.p7s"]).Valid.ShouldBeFalse();

        // The production is audited with the manifest's hash.
        await using (var db = await host.CreateDbContextAsync())
        {
            var produced = await db.AuditEvents.Where(e => e.Type == AuditEventType.ProductionExported).SingleAsync(Ct);
            var details = JsonNode.Parse(produced.Details!)!;
            ((string)details["manifestSha256"]!, (string)details["format"]!, (bool)details["signed"]!).ShouldBe((manifestSha256, "zip+pdf", true));
        }
    }

    [Fact]
    public async Task MessagesCsvAndJson_CarryEveryMessage_WithHistoryReactionsAndAttachments()
    {
        var (host, holdId, photo) = await ArchiveAsync();
        await using var _ = host;

        var (path, outcome) = await ProduceAsync(host, holdId, ExportFormat.Package);
        await using var zip = await ZipFile.OpenReadAsync(path, Ct);
        var total = outcome.Scope.Messages + outcome.Scope.Notices;
        zip.GetEntry("transcript.pdf").ShouldBeNull();

        // The CSV opens with the header the README documents, and keeps quotes, commas and line breaks.
        var csvText = Encoding.UTF8.GetString(Read(zip.GetEntry("messages.csv")!));
        csvText[0].ShouldBe('\uFEFF');
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "README.md"), Ct);
        var documented = readme.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("message_id,", StringComparison.Ordinal));
        var rows = Csv.Read(new StringReader(csvText)).Select(r => r.Fields).ToList();
        string.Join(',', rows[0]).ShouldBe(documented);
        rows.Count.ShouldBe(total + 1);
        var column = rows[0].Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        var bodies = rows.Skip(1).Select(r => r[column["body"]]).ToList();
        bodies.ShouldContain("Two lines, \"quoted\", with commas\nand a second line");
        bodies.ShouldContain("مرحبا، نريد خمسة ملايين 👍🏽");
        bodies.ShouldContain("'=SUM(1+2) is what the sheet says");
        rows.Skip(1).Single(r => r[column["attachments"]].Length > 0)[column["attachments"]]
            .ShouldBe($"attachments/{Sha256(photo)}.jpg (IMG-20260303-WA0001.jpg)");

        // The JSON: one message per line, verbatim, with the chain hash the archive holds.
        var json = JsonNode.Parse(Read(zip.GetEntry("messages.json")!))!.AsArray();
        json.Count.ShouldBe(total);
        ((string)json.Single(m => ((string)m!["body"]!).StartsWith("=SUM", StringComparison.Ordinal))!["body"]!).ShouldBe("=SUM(1+2) is what the sheet says");
        await using (var db = await host.CreateDbContextAsync())
        {
            var hashes = await db.ChatMessages.ToDictionaryAsync(m => m.Id, m => m.Hash, Ct);
            foreach (var m in json)
            {
                ((string)m!["chain_hash"]!).ShouldBe(hashes[(long)m["message_id"]!]);
            }
        }

        // The question: its edit and deletion in its history, the reaction on it; the edit and deletion point back at it.
        var question = json.Single(m => (string?)m!["source"]!["whatsapp_message_id"] == "wamid.question")!;
        var questionId = (long)question["message_id"]!;
        question["history"]!.AsArray().Select(h => ((string)h!["change"]!, (string)h["body"]!)).ShouldBe(
            [("edit", "Shall we book 45 at 12.00?"), ("deletion", "")]);
        question["reactions"]!.AsArray().Select(r => (string)r!["emoji"]!).ShouldBe(["👍"]);
        var edit = json.Single(m => (string?)m!["source"]!["whatsapp_message_id"] == "wamid.edit")!;
        ((long)edit["changes_message_id"]!, (string)edit["change"]!).ShouldBe((questionId, "edit"));
        var reply = json.Single(m => (string?)m!["source"]!["whatsapp_message_id"] == "wamid.answer")!;
        ((long)reply["reply_to_id"]!).ShouldBe(questionId);
        var photoRow = json.Single(m => m!["attachments"]!.AsArray().Count > 0)!["attachments"]![0]!;
        ((string)photoRow["path"]!, (string)photoRow["sha256"]!).ShouldBe(($"attachments/{Sha256(photo)}.jpg", Sha256(photo)));
        zip.GetEntry($"attachments/{Sha256(photo)}.jpg").ShouldNotBeNull();

        // The audit events about the held items: the hold itself and the import it was read from.
        var events = JsonNode.Parse(Read(zip.GetEntry("audit/events.json")!))!.AsArray();
        events.Select(e => (string)e!["type"]!).ShouldContain(nameof(AuditEventType.LegalHoldPlaced));
        events.ShouldContain(e => (string?)e!["subject_type"] == "ImportBatch");
    }

    [Fact]
    public async Task EachConversationsRsmf_ParsesAsMime_WithAManifestTheSchemaAccepts_AndTheFilesItNames()
    {
        var (host, holdId, photo) = await ArchiveAsync();
        await using var _ = host;

        var (path, outcome) = await ProduceAsync(host, holdId, ExportFormat.Package);
        await using var zip = await ZipFile.OpenReadAsync(path, Ct);
        var rsmfFiles = zip.Entries.Where(e => e.FullName.StartsWith("rsmf/", StringComparison.Ordinal)).ToList();
        rsmfFiles.Count.ShouldBe(outcome.Scope.Sections.Count);

        JsonNode? webhookManifest = null;
        foreach (var file in rsmfFiles)
        {
            var (headers, parts) = Mime(Encoding.ASCII.GetString(Read(file)));
            headers["X-RSMF-Version"].ShouldBe("2.0.0");
            headers["MIME-Version"].ShouldBe("1.0");
            headers.ShouldContainKey("Date");
            headers.ShouldContainKey("From");
            parts.Count.ShouldBe(2);
            parts[0].Headers["Content-Type"].ShouldStartWith("text/plain");
            var attachment = parts.Single(p => p.Headers.TryGetValue("Content-Disposition", out var d) && d.StartsWith("attachment", StringComparison.Ordinal));
            attachment.Headers["Content-Disposition"].ShouldContain("filename=\"rsmf.zip\"");
            attachment.Headers["Content-Transfer-Encoding"].ShouldBe("base64");

            using var inner = new ZipArchive(new MemoryStream(attachment.Body));
            var names = inner.Entries.Select(e => e.FullName).ToList();
            names.ShouldAllBe(n => !n.Contains('/'));
            var manifest = JsonNode.Parse(Read(inner.GetEntry("rsmf_manifest.json")!))!;
            SchemaProblems(manifest, names).ShouldBeEmpty();
            ((string)manifest["version"]!).ShouldBe("2.0.0");
            int.Parse(headers["X-RSMF-EventCount"], CultureInfo.InvariantCulture).ShouldBe(manifest["events"]!.AsArray().Count);
            if (((string)manifest["conversations"]![0]!["display"]!).Contains("Omar Khan", StringComparison.Ordinal))
            {
                names.ShouldContain($"{Sha256(photo)}.jpg");
                Sha256(Read(inner.GetEntry($"{Sha256(photo)}.jpg")!)).ShouldBe(Sha256(photo));
                manifest["events"]!.AsArray().ShouldContain(e => (string)e!["type"]! == "disclaimer");
                Encoding.UTF8.GetString(parts[0].Body).ShouldContain("مرحبا، نريد خمسة ملايين 👍🏽");
            }
            else
            {
                webhookManifest = manifest;
            }
        }

        // The edit, deletion and reaction are folded into the question's event.
        var question = webhookManifest!["events"]!.AsArray().Single(e => ((string)e!["body"]!).StartsWith("Shall we book 40", StringComparison.Ordinal))!;
        ((bool)question["deleted"]!).ShouldBeTrue();
        question["edits"]!.AsArray().Select(e => ((string)e!["previous"]!, (string)e["new"]!)).ShouldBe([("Shall we book 40 at 12.00?", "Shall we book 45 at 12.00?")]);
        question["reactions"]!.AsArray().Select(r => ((string)r!["value"]!, (int)r["count"]!)).ShouldBe([("👍", 1)]);
        webhookManifest["events"]!.AsArray().ShouldNotContain(e => ((string)e!["body"]!).StartsWith("Shall we book 45", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyExport_AcceptsThePackage_ZippedOrUnpacked_AndNamesEveryChange()
    {
        var (host, holdId, _) = await ArchiveAsync();
        await using var __ = host;
        var (path, _) = await ProduceAsync(host, holdId, ExportFormat.PackageWithTranscript);
        var verifier = host.Get<ExportPackageVerifier>();

        var zipped = await verifier.VerifyAsync(path, Ct);
        zipped.Verified.ShouldBeTrue(string.Join("\n", zipped.Checks.Where(c => !c.Ok).Select(c => $"{c.Name}: {c.Detail}")));
        zipped.Checks.ShouldContain(c => c.Name == "signature" && c.Detail.StartsWith("signature valid", StringComparison.Ordinal));
        zipped.Checks.Where(c => c.Name.StartsWith("section ", StringComparison.Ordinal)).Count().ShouldBe(2);
        var unpacked = Unpack(path);
        (await verifier.VerifyAsync(unpacked, Ct)).Verified.ShouldBeTrue();

        // A changed message line, an extra file, a changed transcript: each is named.
        var messages = Path.Combine(unpacked, "messages.json");
        await File.WriteAllTextAsync(messages, (await File.ReadAllTextAsync(messages, Ct)).Replace("Yes please", "No thanks", StringComparison.Ordinal), Ct);
        await File.WriteAllTextAsync(Path.Combine(unpacked, "attachments", "extra.txt"), "slipped in", Ct);
        await File.AppendAllTextAsync(Path.Combine(unpacked, "transcript.pdf"), "%tampered", Ct);
        var changed = await verifier.VerifyAsync(unpacked, Ct);
        changed.Verified.ShouldBeFalse();
        changed.Checks.Where(c => !c.Ok).Select(c => c.Name).ShouldBe(["SHA256SUMS: transcript.pdf", "file messages.json", "file attachments/extra.txt", "files"], ignoreOrder: true);

        // A manifest that says something else no longer matches its signature or SHA256SUMS.
        var manifest = Path.Combine(unpacked, "manifest.json");
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest, Ct)).Replace("Bund futures", "Other matter", StringComparison.Ordinal), Ct);
        var forged = await verifier.VerifyAsync(unpacked, Ct);
        forged.Checks.Single(c => c.Name == "signature").Ok.ShouldBeFalse();
        forged.Checks.Single(c => c.Name == "SHA256SUMS: manifest.json").Ok.ShouldBeFalse();
    }

    [Fact]
    public async Task ASearchProduction_HoldsExactlyTheHits_InEachConversation_AndVerifies()
    {
        var (host, _, _) = await ArchiveAsync();
        await using var __ = host;
        var criteria = new MessageSearchCriteria { Text = "book OR مرحبا" };
        var hits = await host.Get<MessageSearchService>().MatchingMessagesAsync(criteria, Ct);
        hits.Select(h => h.ConversationId).Distinct().Count().ShouldBe(2);

        var path = Path.Combine(_files.Directory, "search.zip");
        ExportOutcome outcome;
        await using (var file = File.Create(path))
        {
            outcome = await host.Get<ExportService>().WriteAsync(new ExportSource.Search(criteria), ExportFormat.PackageWithTranscript,
                new ExportSettings("UTC", "SRCH-"), file, Officer, ct: Ct);
        }

        outcome.Scope.Sections.Sum(s => s.Messages + s.Notices).ShouldBe(hits.Count);
        await using var zip = await ZipFile.OpenReadAsync(path, Ct);
        var messages = JsonNode.Parse(Read(zip.GetEntry("messages.json")!))!.AsArray();
        messages.Select(m => (long)m!["message_id"]!).Order().ShouldBe(hits.Select(h => h.MessageId).Order());
        messages.ShouldNotContain(m => (string)m!["body"]! == "Yes please");
        var manifest = JsonNode.Parse(Read(zip.GetEntry("manifest.json")!))!;
        ((string)manifest["parameters"]!["source_kind"]!).ShouldBe("search");
        ((string)manifest["parameters"]!["search"]!["text"]!).ShouldBe("book OR مرحبا");
        manifest["sections"]!.AsArray().ShouldAllBe(s => (string)s!["selection"]! == "search_hits");

        var transcript = Path.Combine(_files.Directory, "search.pdf");
        await File.WriteAllBytesAsync(transcript, Read(zip.GetEntry("transcript.pdf")!), Ct);
        var text = await Poppler.TextAsync(transcript);
        text.ShouldContain("Shall we book 40 at 12.00?");
        text.ShouldNotContain("Yes please");

        var verified = await host.Get<ExportPackageVerifier>().VerifyAsync(path, Ct);
        verified.Verified.ShouldBeTrue(string.Join("\n", verified.Checks.Where(c => !c.Ok).Select(c => $"{c.Name}: {c.Detail}")));

        // A search that finds nothing, or cannot run, is refused before anything is written.
        (await Should.ThrowAsync<ComplianceRuleException>(() => host.Get<ExportService>().WriteAsync(new ExportSource.Search(new MessageSearchCriteria { Text = "zzzunfound" }),
            ExportFormat.Package, new ExportSettings("UTC"), Stream.Null, Officer, ct: Ct))).Message.ShouldContain("finds no messages");
        (await Should.ThrowAsync<ComplianceRuleException>(() => host.Get<ExportJobService>().RequestAsync(new ExportSource.Search(new MessageSearchCriteria { Text = "\"open" }),
            ExportFormat.Pdf, new ExportSettings("UTC"), Officer, Ct))).Message.ShouldContain("The search cannot run");
    }

    private string Unpack(string zip)
    {
        var folder = Path.Combine(_files.Directory, "unpacked-" + Guid.NewGuid().ToString("N"));
        ZipFile.ExtractToDirectory(zip, folder);
        return folder;
    }

    /// <summary>What the RSMF 2.0.0 schema requires of a manifest, and that every reference resolves.</summary>
    internal static List<string> SchemaProblems(JsonNode manifest, IReadOnlyCollection<string> zipNames)
    {
        var problems = new List<string>();
        foreach (var field in new[] { "version", "participants", "conversations", "events" })
        {
            if (manifest[field] is null)
            {
                problems.Add($"root: {field} is required");
            }
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        if (((string)manifest["version"]!).Length < 5)
        {
            problems.Add("version is shorter than 5 characters");
        }

        var participants = manifest["participants"]!.AsArray().Select(p => (string?)p!["id"]).ToList();
        problems.AddRange(participants.Where(string.IsNullOrEmpty).Select(_ => "a participant has no id"));
        var conversations = new List<string>();
        foreach (var c in manifest["conversations"]!.AsArray())
        {
            if ((string?)c!["id"] is not { Length: > 0 } id || (string?)c["platform"] is not { Length: > 0 } || c["participants"] is not JsonArray members)
            {
                problems.Add("a conversation lacks id, platform or participants");
                continue;
            }

            conversations.Add(id);
            problems.AddRange(members.Where(m => !participants.Contains((string?)m)).Select(m => $"conversation {id}: unknown participant {m}"));
            if ((string?)c["type"] is { } type && type is not ("direct" or "channel"))
            {
                problems.Add($"conversation {id}: type {type}");
            }
        }

        foreach (var e in manifest["events"]!.AsArray())
        {
            var type = (string?)e!["type"];
            if (type is not ("message" or "disclaimer" or "join" or "leave" or "history" or "unknown"))
            {
                problems.Add($"event type {type}");
            }

            if ((string?)e["participant"] is { } participant && !participants.Contains(participant))
            {
                problems.Add($"event {e["id"]}: unknown participant {participant}");
            }

            if ((string?)e["conversation"] is { } conversation && !conversations.Contains(conversation))
            {
                problems.Add($"event {e["id"]}: unknown conversation {conversation}");
            }

            if ((string?)e["timestamp"] is { } at && !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                problems.Add($"event {e["id"]}: timestamp {at}");
            }

            foreach (var a in e["attachments"]?.AsArray() ?? [])
            {
                if ((string?)a!["id"] is not { } name || !zipNames.Contains(name))
                {
                    problems.Add($"event {e["id"]}: attachment {a["id"]} is not in rsmf.zip");
                }
            }

            problems.AddRange((e["edits"]?.AsArray() ?? []).Where(x => (string?)x!["participant"] is not { Length: > 0 }).Select(_ => $"event {e["id"]}: an edit has no participant"));
            problems.AddRange((e["reactions"]?.AsArray() ?? []).Where(x => (string?)x!["value"] is not { Length: > 0 }).Select(_ => $"event {e["id"]}: a reaction has no value"));
            problems.AddRange((e["custom"]?.AsArray() ?? []).Where(x => (string?)x!["name"] is not { Length: > 0 } || (string?)x["value"] is not { Length: > 0 })
                .Select(_ => $"event {e["id"]}: a custom field lacks its name or value"));
        }

        return problems;
    }

    internal sealed record MimePart(Dictionary<string, string> Headers, byte[] Body);

    /// <summary>A multipart RFC 5322 message: its headers (folded lines unfolded, encoded words decoded) and its parts.</summary>
    internal static (Dictionary<string, string> Headers, List<MimePart> Parts) Mime(string message)
    {
        var (headers, body) = Split(message);
        var boundary = headers["Content-Type"].Split("boundary=\"", 2)[1].TrimEnd('"');
        var parts = new List<MimePart>();
        foreach (var raw in body.Split("--" + boundary).Skip(1))
        {
            if (raw.StartsWith("--", StringComparison.Ordinal))
            {
                break;
            }

            var (partHeaders, partBody) = Split(raw.TrimStart('\r', '\n'));
            var bytes = partHeaders.GetValueOrDefault("Content-Transfer-Encoding") == "base64"
                ? Convert.FromBase64String(string.Concat(partBody.Where(c => !char.IsWhiteSpace(c))))
                : Encoding.UTF8.GetBytes(partBody);
            parts.Add(new MimePart(partHeaders, bytes));
        }

        return (headers, parts);

        static (Dictionary<string, string>, string) Split(string text)
        {
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var lines = text[..end].Replace("\r\n ", " ", StringComparison.Ordinal).Split("\r\n");
            lines.ShouldAllBe(l => l.Length <= 998);
            return (lines.ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)], l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()), text[(end + 4)..]);
        }
    }

    private string Certificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ComplianceHub test productions, O=ComplianceHub tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var path = Path.Combine(_files.Directory, "signing.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, CertificatePassword));
        return path;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ComplianceHub.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (ComplianceHub.sln) is not above the test binaries.");
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] Jpeg()
    {
        using var bitmap = new SKBitmap(320, 240);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.SteelBlue);
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 85);
        return data.ToArray();
    }
}

public sealed class SqliteExportPackageTests() : ExportPackageTests(DatabaseProvider.Sqlite);

public sealed class PostgresExportPackageTests() : ExportPackageTests(DatabaseProvider.Postgres);
