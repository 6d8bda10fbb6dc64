using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Pdf;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using ComplianceHub.Core.Transcripts;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Exports;

/// <summary>
/// The e-discovery package, a ZIP: <c>messages.json</c> and <c>messages.csv</c> (one record per message),
/// <c>conversations.json</c>, the attachments under their SHA-256, the original export files, the audit events about
/// the produced items, an RSMF 2.0 file per conversation (sliced at 10,000 events), and <c>manifest.json</c> listing
/// every file with its size and SHA-256 and the production's parameters. <c>SHA256SUMS</c> holds the manifest's hash
/// (and the transcript's, when the package carries one: its cover prints the manifest's hash), and
/// <c>manifest.json.p7s</c> a detached signature of the manifest when a certificate is configured. Messages are read
/// by key a window at a time, once per file that lists them; nothing of a section is held beyond its edits.
/// </summary>
public sealed class ExportPackageWriter(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, TranscriptService transcripts, IBlobStore blobs, TranscriptPdfExporter transcriptPdf, ExportSigner signer)
{
    public const string ManifestFile = "manifest.json";
    public const string ChecksumsFile = "SHA256SUMS";
    public const string SignatureFile = "manifest.json.p7s";
    public const string TranscriptFile = "transcript.pdf";
    public const string PackageFormat = "ComplianceHub e-discovery package";
    public const int PackageVersion = 1;

    /// <summary>The files at the package's root that the manifest cannot list: itself, its checksums and signature, the transcript.</summary>
    public static readonly IReadOnlySet<string> OutsideManifest = new HashSet<string>([ManifestFile, ChecksumsFile, SignatureFile, TranscriptFile], StringComparer.Ordinal);

    public static string Generator { get; } =
        "ComplianceHub " + (typeof(ExportPackageWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0");

    /// <summary>Writes the package of <paramref name="scope"/> to <paramref name="output"/>; reports messages written of the total over every pass.</summary>
    public async Task<PackageResult> WriteAsync(
        ResolvedExport scope, PackageOptions options, Stream output, IProgress<ExportProgress>? progress = null, CancellationToken ct = default)
    {
        var zone = ExportSettings.FindZone(options.TimeZoneId);
        var sections = new List<PackageSection>();
        foreach (var section in scope.Sections)
        {
            sections.Add(await PrepareAsync(section, ct));
        }

        var messages = scope.Messages + scope.Notices;
        var passes = options.Transcript is null ? 3 : 5; // JSON, CSV, RSMF (and the transcript's two passes)
        var counter = new Counter(progress, messages * passes);
        var files = new List<PackageFile>();
        var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
        await using (zip)
        {
            async Task AddAsync(string path, CompressionLevel level, Func<Stream, Task> write)
            {
                var entry = zip.CreateEntry(path, level);
                entry.LastWriteTime = options.GeneratedAt;
                await using var raw = await entry.OpenAsync(ct);
                await using var hashing = new HashingStream(raw);
                await write(hashing);
                await hashing.FlushAsync(ct);
                files.Add(new PackageFile(path, hashing.Length, hashing.Sha256()));
            }

            // messages.json: an array, one message per line.
            var attachments = new Dictionary<string, TranscriptAttachment>(StringComparer.Ordinal);
            await AddAsync("messages.json", CompressionLevel.Fastest, async stream =>
            {
                var json = new PackageRecords.CompactJson();
                var first = true;
                foreach (var section in sections)
                {
                    await foreach (var m in Messages(section, ct))
                    {
                        await stream.WriteAsync(first ? "[\n"u8.ToArray() : ",\n"u8.ToArray(), ct);
                        first = false;
                        await stream.WriteAsync(json.Write(w => PackageRecords.WriteJson(w, m, section, zone)), ct);
                        foreach (var a in m.Attachments.Where(a => a.Status == AttachmentStatus.Stored && a.Sha256 is not null))
                        {
                            attachments.TryAdd(PackagePaths.Attachment(a), a);
                        }

                        counter.Step();
                    }
                }

                await stream.WriteAsync(first ? "[]\n"u8.ToArray() : "\n]\n"u8.ToArray(), ct);
            });

            await AddAsync("messages.csv", CompressionLevel.Fastest, async stream =>
            {
                await using var csv = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16, leaveOpen: true);
                await using var rows = Csv.CreateWriter(csv);
                await rows.WriteRecordAsync(PackageRecords.CsvHeader, ct);
                foreach (var section in sections)
                {
                    await foreach (var m in Messages(section, ct))
                    {
                        await rows.WriteRecordAsync([.. PackageRecords.CsvCells(m, section, zone)], ct);
                        counter.Step();
                    }
                }
            });

            foreach (var (path, attachment) in attachments.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                await AddAsync(path, CompressionLevel.NoCompression, async stream =>
                {
                    await using var content = await blobs.OpenReadAsync(attachment.Sha256!, ct)
                        ?? throw new InvalidOperationException($"Attachment {attachment.Id} ({attachment.FileName}) is recorded as stored but its blob {attachment.Sha256} is missing.");
                    await content.CopyToAsync(stream, ct);
                });
            }

            foreach (var original in sections.SelectMany(s => s.Originals).DistinctBy(o => o.BatchId).OrderBy(o => o.BatchId))
            {
                await AddAsync(original.Path, CompressionLevel.Fastest, async stream =>
                {
                    await using var content = await blobs.OpenReadAsync(original.Sha256, ct)
                        ?? throw new InvalidOperationException($"The original export '{original.FileName}' (import {original.BatchId}) is missing from the blob store ({original.Sha256}).");
                    await content.CopyToAsync(stream, ct);
                });
            }

            var rsmfFiles = new Dictionary<long, IReadOnlyList<(string Path, int Events)>>();
            foreach (var section in sections)
            {
                await using var rsmf = new RsmfWriter(blobs, section, Generator, ct);
                Task WriteFile(string path, Func<Stream, Task> write) => AddAsync(path, CompressionLevel.Fastest, write);
                await foreach (var m in Messages(section, ct))
                {
                    await rsmf.AddAsync(m, WriteFile);
                    counter.Step();
                }

                rsmfFiles[section.Section.ConversationId] = await rsmf.FinishAsync(WriteFile);
            }

            await AddAsync("conversations.json", CompressionLevel.Fastest, stream => WriteConversationsAsync(stream, sections, rsmfFiles, ct));
            var auditEvents = 0;
            await AddAsync("audit/events.json", CompressionLevel.Fastest, async stream => auditEvents = await WriteAuditEventsAsync(stream, options.Source, sections, ct));

            var manifest = Manifest(scope, options, files, auditEvents);
            var manifestSha256 = Convert.ToHexStringLower(SHA256.HashData(manifest));
            await AddRawAsync(zip, ManifestFile, manifest, options.GeneratedAt, ct);
            var signature = signer.SignDetached(manifest, options.GeneratedAt);
            if (signature is not null)
            {
                await AddRawAsync(zip, SignatureFile, signature, options.GeneratedAt, ct);
            }

            var sums = new StringBuilder($"{manifestSha256}  {ManifestFile}\n");
            PdfResult? pdf = null;
            string? transcriptSha256 = null;
            if (options.Transcript is { } transcriptOptions)
            {
                var entry = zip.CreateEntry(TranscriptFile, CompressionLevel.Fastest);
                entry.LastWriteTime = options.GeneratedAt;
                await using (var raw = await entry.OpenAsync(ct))
                await using (var hashing = new HashingStream(raw))
                {
                    var offset = counter.Done;
                    pdf = await transcriptPdf.WriteAsync(scope, transcriptOptions with { ManifestSha256 = manifestSha256 }, hashing,
                        new Progress(p => counter.Report(offset + p.Done)), ct);
                    transcriptSha256 = hashing.Sha256();
                }

                sums.Append(CultureInfo.InvariantCulture, $"{transcriptSha256}  {TranscriptFile}\n");
            }

            await AddRawAsync(zip, ChecksumsFile, Encoding.ASCII.GetBytes(sums.ToString()), options.GeneratedAt, ct);
            counter.Finish();
            return new PackageResult(manifestSha256, files.Count, files.Sum(f => f.Bytes), signature is not null, pdf, transcriptSha256);
        }
    }

    private IAsyncEnumerable<TranscriptMessage> Messages(PackageSection section, CancellationToken ct) => transcripts.ReadSectionAsync(section.Section, ct);

    /// <summary>A section's header, the edits and deletions of its messages, which change records fold into their target, its original exports.</summary>
    private async Task<PackageSection> PrepareAsync(ExportSection section, CancellationToken ct)
    {
        var header = await transcripts.ReadHeaderAsync(section.ConversationId, ct)
            ?? throw new ComplianceRuleException($"Conversation {section.ConversationId} is no longer in the archive.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var inRange = section.Of(db.ChatMessages.AsNoTracking());
        var records = await inRange.Where(m => m.TargetExternalId != null).OrderBy(m => m.SearchKey)
            .Select(m => new { m.Id, m.TargetExternalId, m.Kind, m.SentAt, m.Body, m.ParticipantId }).ToListAsync(ct);
        var targetIds = records.Select(r => r.TargetExternalId!).Distinct().ToList();
        var targets = targetIds.Count == 0 ? [] : (await inRange.Where(m => m.ExternalId != null && targetIds.Contains(m.ExternalId))
                .Select(m => new { m.ExternalId, m.Id }).ToListAsync(ct))
            .DistinctBy(t => t.ExternalId).ToDictionary(t => t.ExternalId!, t => t.Id, StringComparer.Ordinal);
        var changes = new Dictionary<long, List<MessageChange>>();
        var folded = new HashSet<long>();
        foreach (var record in records)
        {
            if (!targets.TryGetValue(record.TargetExternalId!, out var target))
            {
                continue;
            }

            folded.Add(record.Id);
            if (record.Kind != MessageKind.Reaction)
            {
                var change = new MessageChange(record.Id, record.Kind == MessageKind.Deleted ? "deletion" : "edit", record.SentAt, record.Body, record.ParticipantId);
                (changes.TryGetValue(target, out var list) ? list : changes[target] = []).Add(change);
            }
        }

        var batchIds = await inRange.Where(m => m.ImportBatchId != null).Select(m => m.ImportBatchId!.Value).Distinct().ToListAsync(ct);
        batchIds.AddRange(await db.MessageExportSources.Where(s => inRange.Any(m => m.Id == s.MessageId)).Select(s => s.ImportBatchId).Distinct().ToListAsync(ct));
        var originals = await db.ImportBatches.AsNoTracking().Where(b => batchIds.Contains(b.Id)).OrderBy(b => b.Id)
            .Select(b => new PackageOriginal(b.Id, b.OriginalFileName, b.OriginalSha256, b.OriginalLength, b.UploadedAt, b.UploadedByName, b.TimeZoneId, b.CustodianEmail))
            .ToListAsync(ct);
        return new PackageSection(section, header, changes, folded, originals);
    }

    private static async Task WriteConversationsAsync(
        Stream stream, List<PackageSection> sections, Dictionary<long, IReadOnlyList<(string Path, int Events)>> rsmfFiles, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(stream, PackageRecords.Indented);
        json.WriteStartArray();
        foreach (var s in sections)
        {
            var header = s.Header;
            json.WriteStartObject();
            json.WriteNumber("conversation_id", header.Id);
            json.WriteString("title", header.Title);
            json.WriteString("kind", header.Kind == ConversationKind.Group ? "group" : "direct");
            json.WriteStartArray("custodians");
            header.Custodians.ToList().ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteStartArray("participants");
            foreach (var p in header.Participants)
            {
                json.WriteStartObject();
                json.WriteNumber("participant_id", p.Id);
                json.WriteString("name", p.DisplayName);
                PackageRecords.WriteNullable(json, "e164", p.PhoneE164);
                PackageRecords.WriteNullable(json, "roster", p.RosterPerson);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("section");
            WriteSectionFacts(json, s.Section);
            json.WriteString("sha256_method", "SHA-256 over each message's chain_hash followed by a line feed, in chain order (messages.json order)");
            json.WriteEndObject();
            json.WriteStartArray("original_exports");
            foreach (var o in s.Originals)
            {
                json.WriteStartObject();
                json.WriteNumber("import_batch_id", o.BatchId);
                json.WriteString("file_name", o.FileName);
                json.WriteString("path", o.Path);
                json.WriteString("sha256", o.Sha256);
                json.WriteNumber("bytes", o.Length);
                json.WriteString("uploaded_at_utc", PackageRecords.Utc(o.UploadedAt));
                json.WriteString("uploaded_by", o.UploadedBy);
                json.WriteString("time_zone", o.TimeZoneId);
                PackageRecords.WriteNullable(json, "custodian", o.Custodian);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("rsmf");
            foreach (var (path, events) in rsmfFiles[header.Id])
            {
                json.WriteStartObject();
                json.WriteString("path", path);
                json.WriteNumber("events", events);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        await json.FlushAsync(ct);
    }

    /// <summary>
    /// Every audit event about what the package holds: the legal hold and its productions, the conversations, their
    /// import batches, and the messages and attachments produced, each with its place in the audit chain.
    /// </summary>
    private async Task<int> WriteAuditEventsAsync(Stream stream, ExportSource source, List<PackageSection> sections, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var conversations = sections.Select(s => s.Section.ConversationId.ToString(CultureInfo.InvariantCulture)).ToList();
        var batches = sections.SelectMany(s => s.Originals).Select(o => o.BatchId.ToString(CultureInfo.InvariantCulture)).Distinct().ToList();
        var holdId = source is ExportSource.LegalHold h ? h.HoldId.ToString(CultureInfo.InvariantCulture) : null;
        var jobs = source is ExportSource.LegalHold hold
            ? (await db.ExportJobs.Where(j => j.SourceKind == ExportSourceKind.LegalHold && j.SourceId == hold.HoldId).Select(j => j.Id).ToListAsync(ct))
                .Select(id => id.ToString(CultureInfo.InvariantCulture)).ToList()
            : [];

        // Messages and attachments are many: their events are read by subject kind and matched against the package's ids.
        var messageIds = new HashSet<string>(StringComparer.Ordinal);
        var attachmentIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in sections)
        {
            var inRange = s.Section.Of(db.ChatMessages.AsNoTracking());
            await foreach (var id in inRange.Select(m => m.Id).AsAsyncEnumerable().WithCancellation(ct))
            {
                messageIds.Add(id.ToString(CultureInfo.InvariantCulture));
            }

            await foreach (var id in db.ChatAttachments.Where(a => inRange.Any(m => m.Id == a.MessageId)).Select(a => a.Id).AsAsyncEnumerable().WithCancellation(ct))
            {
                attachmentIds.Add(id.ToString(CultureInfo.InvariantCulture));
            }
        }

        var query = db.AuditEvents.AsNoTracking().Where(e =>
            (e.SubjectType == "LegalHold" && e.SubjectId == holdId)
            || (e.SubjectType == "ExportJob" && jobs.Contains(e.SubjectId!))
            || (e.SubjectType == "Conversation" && conversations.Contains(e.SubjectId!))
            || (e.SubjectType == "ImportBatch" && batches.Contains(e.SubjectId!))
            || e.SubjectType == "Message" || e.SubjectType == "Attachment").OrderBy(e => e.Id);
        await using var json = new Utf8JsonWriter(stream, PackageRecords.Indented);
        json.WriteStartArray();
        var count = 0;
        await foreach (var e in query.AsAsyncEnumerable().WithCancellation(ct))
        {
            if ((e.SubjectType == "Message" && !messageIds.Contains(e.SubjectId ?? ""))
                || (e.SubjectType == "Attachment" && !attachmentIds.Contains(e.SubjectId ?? "")))
            {
                continue;
            }

            json.WriteStartObject();
            json.WriteNumber("audit_event_id", e.Id);
            json.WriteString("occurred_at_utc", e.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("type", e.Type.ToString());
            json.WriteString("description", AuditEventTypeInfo.Describe(e.Type));
            json.WriteString("actor", e.ActorName);
            PackageRecords.WriteNullable(json, "actor_user_id", e.ActorUserId);
            PackageRecords.WriteNullable(json, "ip_address", e.IpAddress);
            PackageRecords.WriteNullable(json, "subject_type", e.SubjectType);
            PackageRecords.WriteNullable(json, "subject_id", e.SubjectId);
            PackageRecords.WriteNullable(json, "details", e.Details);
            json.WriteString("previous_hash", e.PreviousHash);
            json.WriteString("hash", e.Hash);
            json.WriteEndObject();
            count++;
            if (json.BytesPending > 1 << 16)
            {
                await json.FlushAsync(ct);
            }
        }

        json.WriteEndArray();
        await json.FlushAsync(ct);
        return count;
    }

    private static byte[] Manifest(ResolvedExport scope, PackageOptions options, List<PackageFile> files, int auditEvents)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, PackageRecords.Indented))
        {
            json.WriteStartObject();
            json.WriteString("package", PackageFormat);
            json.WriteNumber("package_version", PackageVersion);
            json.WriteString("generator", Generator);
            json.WriteString("produced_at_utc", PackageRecords.Utc(options.GeneratedAt));
            json.WriteString("produced_by", options.GeneratedBy);
            json.WriteStartObject("parameters");
            json.WriteString("source", options.Source.Describe());
            switch (options.Source)
            {
                case ExportSource.LegalHold hold:
                    json.WriteString("source_kind", "legal_hold");
                    json.WriteNumber("source_id", hold.HoldId);
                    break;
                case ExportSource.Conversation conversation:
                    json.WriteString("source_kind", "conversation");
                    json.WriteNumber("source_id", conversation.ConversationId);
                    break;
                case ExportSource.Search search:
                    json.WriteString("source_kind", "search");
                    json.WritePropertyName("search");
                    JsonSerializer.Serialize(json, search.Criteria, SearchJson);
                    break;
            }

            json.WriteString("format", "zip");
            json.WriteString("time_zone", options.TimeZoneId);
            json.WriteBoolean("includes_transcript", options.Transcript is not null);
            PackageRecords.WriteNullable(json, "bates_prefix", options.Transcript?.BatesPrefix);
            if (options.Transcript is { } transcript)
            {
                json.WriteNumber("bates_start", transcript.BatesStart);
            }

            json.WriteEndObject();
            json.WriteStartObject("matter");
            json.WriteString("name", scope.Matter);
            PackageRecords.WriteNullable(json, "number", scope.MatterNumber);
            json.WriteEndObject();
            json.WriteStartArray("scope");
            foreach (var (name, value) in scope.Scope)
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("value", value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("counts");
            json.WriteNumber("conversations", scope.Sections.Count);
            json.WriteNumber("messages", scope.Messages);
            json.WriteNumber("notices", scope.Notices);
            json.WriteNumber("attachments", scope.Attachments);
            json.WriteNumber("custodians", scope.Custodians.Count);
            json.WriteNumber("audit_events", auditEvents);
            json.WriteEndObject();
            json.WriteStartArray("custodians");
            scope.Custodians.ToList().ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteStartArray("sections");
            foreach (var s in scope.Sections)
            {
                json.WriteStartObject();
                json.WriteNumber("conversation_id", s.ConversationId);
                json.WriteString("title", s.Title);
                WriteSectionFacts(json, s);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("section_sha256_method", "SHA-256 over each message's chain_hash followed by a line feed, in chain order");
            json.WriteString("manifest_sha256_method", $"SHA-256 of this file's bytes, given in {ChecksumsFile} and on the transcript's cover");
            json.WriteStartArray("files");
            foreach (var f in files)
            {
                json.WriteStartObject();
                json.WriteString("path", f.Path);
                json.WriteNumber("bytes", f.Bytes);
                json.WriteString("sha256", f.Sha256);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static readonly JsonSerializerOptions SearchJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A section's selection, key range, counts and SHA-256, as the manifest and conversations.json both give them.</summary>
    private static void WriteSectionFacts(Utf8JsonWriter json, ExportSection section)
    {
        json.WriteString("selection", section.MessageIds is null ? "key_range" : "search_hits");
        PackageRecords.WriteNullable(json, "from_search_key", section.FromKey);
        PackageRecords.WriteNullable(json, "until_search_key", section.UntilKey);
        json.WriteNumber("messages", section.Messages);
        json.WriteNumber("notices", section.Notices);
        json.WriteNumber("attachments", section.Attachments);
        json.WriteString("sha256", section.Sha256);
    }

    private static async Task AddRawAsync(ZipArchive zip, string path, byte[] content, DateTimeOffset at, CancellationToken ct)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Fastest);
        entry.LastWriteTime = at;
        await using var stream = await entry.OpenAsync(ct);
        await stream.WriteAsync(content, ct);
    }

    /// <summary>Messages done of the total over every pass, reported every 500.</summary>
    private sealed class Counter(IProgress<ExportProgress>? progress, int total)
    {
        public int Done { get; private set; }

        public void Step()
        {
            Done++;
            if (Done % 500 == 0)
            {
                progress?.Report(new ExportProgress(Math.Min(Done, total), total));
            }
        }

        public void Report(int done)
        {
            Done = done;
            progress?.Report(new ExportProgress(Math.Min(done, total), total));
        }

        public void Finish() => progress?.Report(new ExportProgress(total, total));
    }

    private sealed class Progress(Action<ExportProgress> report) : IProgress<ExportProgress>
    {
        public void Report(ExportProgress value) => report(value);
    }
}

/// <summary>How a package is produced: the zone of local times, who produced it and when, its source, and the transcript to include (null: none).</summary>
public sealed record PackageOptions(string TimeZoneId, string GeneratedBy, DateTimeOffset GeneratedAt, ExportSource Source, TranscriptPdfOptions? Transcript);

/// <summary>A file the manifest lists.</summary>
public sealed record PackageFile(string Path, long Bytes, string Sha256);

/// <summary>The package written: its manifest's SHA-256, how many files it lists and their bytes, whether it is signed, and the transcript it carries.</summary>
public sealed record PackageResult(string ManifestSha256, int Files, long Bytes, bool Signed, PdfResult? Transcript, string? TranscriptSha256);
