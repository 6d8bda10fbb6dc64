using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ComplianceHub.Core.Archive.Writing;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage.Blobs;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// Imports WhatsApp "Export chat" files into the archive, forensically: the original is kept byte for
/// byte, times are converted in the custodian's zone, messages already archived are recognised and
/// skipped, and the whole file is stored or none of it: written in steps that let other writers in, it is
/// visible only once complete, and removed if it fails.
/// </summary>
public sealed class ExportImportService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory,
    IBlobStore blobs,
    ArchiveWriteGate gate,
    ISearchIndex index,
    AuditLog audit,
    TimeProvider clock)
{
    /// <summary>WhatsApp caps exports at about 40,000 messages, 10,000 with media (whatsapp-formats.md §1.7).</summary>
    public const int ExportCapWithoutMedia = 40_000;

    public const int ExportCapWithMedia = 10_000;

    private const int MaxListedWarnings = 20;
    private const int ProgressEvery = 5_000;

    /// <summary>Reads an export and reports what it holds; stores nothing.</summary>
    public Task<ImportPreview> PreviewAsync(string path, string originalFileName, ImportOptions options, CancellationToken ct = default) =>
        Task.Run(() => Preview(path, originalFileName, options, ct), ct);

    private static ImportPreview Preview(string path, string originalFileName, ImportOptions options, CancellationToken ct)
    {
        var zone = WallClockConverter.FindZone(options.TimeZoneId);
        using var package = ExportPackage.Open(path, originalFileName);
        var layout = DetectLayout(package, options);
        var title = ChatTitle(package, layout, ct);
        var reader = new ExportReading(package, layout, new WallClockConverter(zone));
        foreach (var _ in reader.Messages(ct, withKeys: false))
        {
        }

        return new ImportPreview(
            originalFileName, title, layout.Describe(), layout.DateOrder, layout.DateOrderAmbiguous,
            reader.MessageCount, reader.SystemCount, reader.Authors, reader.FirstLocal, reader.LastLocal,
            reader.ReferencedFiles, reader.MissingFiles, reader.Warnings(layout));
    }

    /// <summary>
    /// Imports the export at <paramref name="path"/> (uploaded as <paramref name="originalFileName"/>).
    /// Throws <see cref="ExportFormatException"/> for a file that is not a readable export and
    /// <see cref="ComplianceRuleException"/> for bad options; in both cases nothing is stored and the
    /// attempt is audited.
    /// </summary>
    public async Task<ImportResult> ImportAsync(
        string path, string originalFileName, ImportOptions options, AuditActor actor,
        IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        var newBlobs = new List<string>();
        string? originalSha256 = null;
        long? runningBatch = null;
        try
        {
            var zone = WallClockConverter.FindZone(options.TimeZoneId);
            var custodian = string.IsNullOrWhiteSpace(options.CustodianEmail) ? null : options.CustodianEmail.Trim().ToLowerInvariant();
            using var package = ExportPackage.Open(path, originalFileName);
            var layout = DetectLayout(package, options);

            // Chain of custody: the upload exactly as received, content-addressed.
            var original = await PutAsync(path, newBlobs, ct);
            originalSha256 = original.Sha256;

            await RollBackAbandonedAsync(ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var writer = await gate.BeginAsync(db, ct);
            var now = clock.GetUtcNow();
            var title = ChatTitle(package, layout, ct);
            var conversation = await FindOrCreateConversationAsync(db, title, custodian, now, ct);
            await ClaimAsync(db, conversation.Id, ct);
            var batch = new ImportBatch(conversation.Id, originalFileName, original.Sha256, original.Length, actor.Name, actor.UserId, now, zone.Id, custodian);
            db.ImportBatches.Add(batch);
            await db.SaveChangesAsync(ct);

            // The batch is written in steps, each its own transaction, so other writers get their turns; readers see
            // none of it until the last step completes the batch. If a step fails, what the earlier ones wrote is removed.
            await writer.PrepareConversationAsync(conversation.Id, forExport: true, ct);
            await writer.CommitStepAsync(ct);
            runningBatch = batch.Id;
            var sinceStep = 0;
            var step = Stopwatch.StartNew();
            var reading = new ExportReading(package, layout, new WallClockConverter(zone));
            int added = 0, alreadyPresent = 0, linked = 0, stored = 0, missing = 0;
            var isGroup = conversation.Kind == ConversationKind.Group;
            foreach (var message in reading.Messages(ct))
            {
                if (reading.MessageCount % ProgressEvery == 0)
                {
                    progress?.Report(new ImportProgress(reading.MessageCount, layout.HeaderLines));
                }

                // Every message read counts toward a step, stored or not: re-reading a chat already archived holds the turn too.
                if (++sinceStep >= StepMessages && step.Elapsed >= StepTime)
                {
                    batch.Stepped(clock.GetUtcNow());
                    await db.SaveChangesAsync(ct);
                    await writer.CommitStepAsync(ct);
                    sinceStep = 0;
                    step.Restart();
                }

                isGroup |= message.Parsed.IsSystem && MessageClassifier.IsGroupNotice(message.Parsed.Body);
                if (writer.IsAlreadyArchived(conversation.Id, message.DedupKey))
                {
                    alreadyPresent++;
                    continue;
                }

                if (message.Parsed.Kind == MessageKind.Text && writer.HasUnlinkedCaptures(conversation.Id)
                    && writer.LinkToCaptured(conversation.Id, message.ToRecord(zone.Id, batch.Id, []), now) is not null)
                {
                    // Captured live already: one message, now with two sources.
                    alreadyPresent++;
                    linked++;
                    continue;
                }

                IReadOnlyList<ChatAttachment> attachments = [];
                if (message.Parsed.AttachmentFileName is { } fileName)
                {
                    var attachment = await StoreAttachmentAsync(package, fileName, newBlobs, ct);
                    attachments = [attachment];
                    if (attachment.Status == AttachmentStatus.Stored)
                    {
                        stored++;
                    }
                    else
                    {
                        missing++;
                    }
                }

                writer.Append(conversation.Id, message.ToRecord(zone.Id, batch.Id, attachments), now);
                added++;
            }

            progress?.Report(new ImportProgress(reading.MessageCount, layout.HeaderLines));

            // More than two people, or (iOS) two people besides the name notices are written as: that name is a group's.
            isGroup |= reading.Authors.Count > 2
                || (layout.NoticeAuthor is { } noticeAuthor && reading.Authors.Count == 2 && !reading.Authors.Contains(noticeAuthor));
            if (isGroup && conversation.Kind != ConversationKind.Group)
            {
                conversation.MarkAsGroup();
            }

            var warnings = reading.Warnings(layout);
            batch.Record(layout.Describe(), layout.DateOrder.ToCode(), DateOrderSource(layout),
                reading.MessageCount, added, alreadyPresent, reading.SystemCount, stored, missing, JsonSerializer.Serialize(warnings), clock.GetUtcNow());
            audit.Record(db, AuditEventType.ExportImported, actor, new AuditSubject("ImportBatch", batch.Id.ToString(CultureInfo.InvariantCulture)), new
            {
                file = originalFileName,
                sha256 = original.Sha256,
                conversationId = conversation.Id,
                chat = title,
                timeZone = zone.Id,
                custodian,
                dateOrder = layout.DateOrder.ToCode(),
                messagesInFile = reading.MessageCount,
                added,
                alreadyPresent,
                linkedToCaptured = linked,
                attachmentsStored = stored,
                attachmentsMissing = missing,
            });
            await db.SaveChangesAsync(ct);
            await writer.CommitAsync(ct);
            runningBatch = null;
            newBlobs.Clear();

            return new ImportResult(batch.Id, conversation.Id, title, reading.MessageCount, added, alreadyPresent, stored, missing, warnings)
            {
                MessagesLinkedToCaptured = linked,
            };
        }
        catch (Exception ex) when (ex is ExportFormatException or ComplianceRuleException)
        {
            await RollBackAsync(runningBatch);
            await RecordRejectionAsync(originalFileName, originalSha256, ex.Message, actor);
            throw;
        }
        catch
        {
            await RollBackAsync(runningBatch);
            throw;
        }
        finally
        {
            // A failed import leaves nothing behind, not even the files it had stored, unless another
            // import committed the same bytes meanwhile.
            if (newBlobs.Count > 0)
            {
                await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                foreach (var sha in newBlobs)
                {
                    var referenced = await db.ChatAttachments.AnyAsync(a => a.Sha256 == sha, CancellationToken.None)
                        || await db.ImportBatches.AnyAsync(b => b.OriginalSha256 == sha, CancellationToken.None);
                    if (!referenced)
                    {
                        await blobs.DeleteUncommittedAsync(sha, CancellationToken.None);
                    }
                }
            }
        }
    }

    /// <summary>
    /// An import lets other writers in once a step has written at least <see cref="StepMessages"/> messages and taken
    /// <see cref="StepTime"/>: the write lock is never held much longer than that, and a million messages take a few
    /// hundred steps.
    /// </summary>
    internal int StepMessages { get; set; } = 100;

    internal TimeSpan StepTime { get; set; } = TimeSpan.FromMilliseconds(250);


    /// <summary>
    /// Makes sure no other import is writing to the conversation, which would interleave with its chain (abandoned
    /// imports were removed before the write turn was taken).
    /// </summary>
    private static async Task ClaimAsync(ComplianceHubDbContext db, long conversationId, CancellationToken ct)
    {
        var other = await db.ImportBatches.AsNoTracking().Where(b => b.ConversationId == conversationId && b.CompletedAt == null)
            .Select(b => new { b.OriginalFileName, b.UploadedAt }).FirstOrDefaultAsync(ct);
        if (other is not null)
        {
            throw new ComplianceRuleException(
                $"Another import into this chat ('{other.OriginalFileName}', started {other.UploadedAt:yyyy-MM-dd HH:mm} UTC) is still running. Import this file when it has finished.");
        }
    }

    /// <summary>Removes what a failed import wrote in its steps (nothing of it was ever visible).</summary>
    private async Task RollBackAsync(long? batchId)
    {
        if (batchId is not { } id)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await ImportRollback.RunAsync(db, gate, index, id, CancellationToken.None);
    }

    /// <summary>
    /// Removes imports that will never complete (their host stopped mid-way: no step for <see cref="ImportRollback.AbandonedAfter"/>),
    /// auditing each. Run on start-up and before every import.
    /// </summary>
    public Task<int> RollBackAbandonedAsync(CancellationToken ct = default) =>
        ImportRollback.RunForAbandonedAsync(dbFactory, gate, index, audit, clock.GetUtcNow(), ct);

    /// <summary>The batches imported so far, newest first.</summary>
    public async Task<IReadOnlyList<ImportBatchSummary>> ListBatchesAsync(int take = 200, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ImportBatches.AsNoTracking()
            .OrderByDescending(b => b.Id)
            .Take(take)
            .Join(db.Conversations, b => b.ConversationId, c => c.Id, (b, c) => new ImportBatchSummary(b, c.Title))
            .ToListAsync(ct);
    }

    /// <summary>Opens a batch's original upload for download, auditing the access.</summary>
    public async Task<(ImportBatch Batch, Stream Content)?> OpenOriginalAsync(long batchId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var batch = await db.ImportBatches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == batchId, ct);
        if (batch is null || await blobs.OpenReadAsync(batch.OriginalSha256, ct) is not { } content)
        {
            return null;
        }

        audit.Record(db, AuditEventType.ImportOriginalDownloaded, actor, new AuditSubject("ImportBatch", batchId.ToString(CultureInfo.InvariantCulture)),
            new { file = batch.OriginalFileName, sha256 = batch.OriginalSha256 });
        await db.SaveChangesAsync(ct);
        return (batch, content);
    }

    /// <summary>The chat's title from the upload's name, or from its content when the name is iOS's bare <c>_chat.txt</c> (one more pass over the text).</summary>
    private static string ChatTitle(ExportPackage package, ExportLayout layout, CancellationToken ct)
    {
        if (!ExportTitle.IsPlaceholder(package.ChatTitle))
        {
            return package.ChatTitle;
        }

        using var text = package.OpenText();
        return ExportTitle.FromMessages(WhatsAppExportParser.ReadMessages(text, layout).Select(m =>
        {
            ct.ThrowIfCancellationRequested();
            return m;
        })) ?? package.ChatTitle;
    }

    private static ExportLayout DetectLayout(ExportPackage package, ImportOptions options)
    {
        using var bytes = package.OpenBytes();
        return WhatsAppExportParser.DetectLayout(bytes, options.DateOrder);
    }

    private static string DateOrderSource(ExportLayout layout) =>
        layout.DateOrderOverridden ? "chosen" : layout.DateOrderAmbiguous ? "inferred (ambiguous)" : "inferred";

    private async Task<BlobReference> PutAsync(string path, List<string> newBlobs, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return await PutAsync(file, newBlobs, ct);
    }

    private async Task<BlobReference> PutAsync(Stream content, List<string> newBlobs, CancellationToken ct)
    {
        var reference = await blobs.PutAsync(content, ct);
        if (reference.Created)
        {
            newBlobs.Add(reference.Sha256);
        }

        return reference;
    }

    private async Task<ChatAttachment> StoreAttachmentAsync(ExportPackage package, string fileName, List<string> newBlobs, CancellationToken ct)
    {
        var mediaType = MediaTypes.FromFileName(fileName);
        if (!package.TryOpenMedia(fileName, out var content, out _))
        {
            return new ChatAttachment(0, fileName, mediaType, null, null, AttachmentStatus.Missing);
        }

        await using (content)
        {
            var reference = await PutAsync(content, newBlobs, ct);
            return new ChatAttachment(0, fileName, mediaType, reference.Length, reference.Sha256, AttachmentStatus.Stored);
        }
    }

    private static async Task<Conversation> FindOrCreateConversationAsync(
        ComplianceHubDbContext db, string title, string? custodian, DateTimeOffset now, CancellationToken ct)
    {
        var candidates = db.Conversations.Include(c => c.Custodians).Where(c => c.Title == title);
        var conversation = custodian is null
            ? await candidates.FirstOrDefaultAsync(c => !c.Custodians.Any(), ct)
            : await candidates.FirstOrDefaultAsync(c => c.Custodians.Any(k => k.Email == custodian), ct);
        if (conversation is null)
        {
            conversation = new Conversation(ConversationKind.Direct, title, now);
            if (custodian is not null)
            {
                conversation.Custodians.Add(new ConversationCustodian(custodian, now));
            }

            db.Conversations.Add(conversation);
            await db.SaveChangesAsync(ct);
        }

        return conversation;
    }

    private async Task RecordRejectionAsync(string fileName, string? sha256, string reason, AuditActor actor)
    {
        await audit.RecordInOwnTransactionAsync(AuditEventType.ExportRejected, actor, new AuditSubject("File", fileName.Length <= 256 ? fileName : fileName[..256]),
            new { file = fileName, sha256, reason = reason.Length <= 1000 ? reason : reason[..1000] }, CancellationToken.None);
    }

    /// <summary>The second pass over an export: messages with UTC times and dedup keys, plus what the preview reports.</summary>
    private sealed class ExportReading(ExportPackage package, ExportLayout layout, WallClockConverter clockZone)
    {
        private readonly SortedSet<string> _authors = new(StringComparer.Ordinal);
        private readonly List<string> _referenced = [];
        private readonly List<string> _missing = [];
        private readonly List<string> _timeWarnings = [];
        private readonly List<int> _uncertainLines = [];
        private int _uncertainCount;
        private int _timeWarningCount;
        private DateTimeOffset _occurrenceInstant = DateTimeOffset.MinValue;
        private readonly Dictionary<(string?, string), int> _occurrences = [];

        public int MessageCount { get; private set; }
        public int SystemCount { get; private set; }
        public DateTime? FirstLocal { get; private set; }
        public DateTime? LastLocal { get; private set; }
        public IReadOnlyList<string> Authors => _authors.ToList();
        public IReadOnlyList<string> ReferencedFiles => _referenced;
        public IReadOnlyList<string> MissingFiles => _missing;

        /// <summary>The messages with their UTC times; <paramref name="withKeys"/>: with dedup keys too (an import; a preview needs none).</summary>
        public IEnumerable<ReadMessage> Messages(CancellationToken ct, bool withKeys = true)
        {
            using var text = package.OpenText();
            foreach (var parsed in WhatsAppExportParser.ReadMessages(text, layout))
            {
                ct.ThrowIfCancellationRequested();
                MessageCount++;
                var (utc, flag) = clockZone.ToUtc(parsed.LocalTime);
                if (flag != TimestampFlag.Exact && ++_timeWarningCount <= MaxListedWarnings)
                {
                    _timeWarnings.Add(flag == TimestampFlag.Nonexistent
                        ? $"line {parsed.LineNumber}: {parsed.TimestampText} did not exist in {clockZone.Zone.Id} (clocks went forward); read with the earlier offset as {utc:yyyy-MM-dd HH:mm:ss} UTC"
                        : $"line {parsed.LineNumber}: {parsed.TimestampText} happened twice in {clockZone.Zone.Id} (clocks went back); read as the first, {utc:yyyy-MM-dd HH:mm:ss} UTC");
                }

                if (parsed.KindUncertain && ++_uncertainCount <= MaxListedWarnings)
                {
                    _uncertainLines.Add(parsed.LineNumber);
                }

                if (parsed.IsSystem)
                {
                    SystemCount++;
                }
                else
                {
                    FirstLocal ??= parsed.LocalTime;
                    LastLocal = parsed.LocalTime;
                }

                if (parsed.Author is not null && !parsed.IsSystem)
                {
                    _authors.Add(parsed.Author);
                }

                if (parsed.AttachmentFileName is { } file)
                {
                    _referenced.Add(file);
                    if (!package.MediaFileNames.Contains(file))
                    {
                        _missing.Add(file);
                    }
                }

                yield return new ReadMessage(parsed, utc, flag, withKeys ? DedupKey(parsed, utc) : "");
            }
        }

        public IReadOnlyList<string> Warnings(ExportLayout detected)
        {
            var warnings = new List<string>();
            if (detected.DateOrderAmbiguous)
            {
                warnings.Add($"No date in this file has a day above 12, so the date order cannot be certain: read as {detected.DateOrder.ToCode()} " +
                    "from how the dates change. Choose the order if that is wrong.");
            }

            var withMedia = package.MediaFileNames.Count > 0 || _referenced.Count > 0;
            var cap = withMedia ? ExportCapWithMedia : ExportCapWithoutMedia;
            if (MessageCount >= cap * 95 / 100)
            {
                warnings.Add($"This chat has {MessageCount:N0} messages, at WhatsApp's export limit of about {cap:N0}" +
                    (withMedia ? " with media" : " without media") + ": the earliest messages are probably missing. Capture the rest another way.");
            }

            if (_missing.Count > 0)
            {
                warnings.Add($"{_missing.Count} referenced file(s) are not in the upload and are recorded as missing: " +
                    string.Join(", ", _missing.Take(MaxListedWarnings)) + (_missing.Count > MaxListedWarnings ? ", …" : ""));
            }

            var unreferenced = package.MediaFileNames.Except(_referenced, StringComparer.Ordinal).ToList();
            if (unreferenced.Count > 0)
            {
                warnings.Add($"{unreferenced.Count} file(s) in the zip are not referenced by any message and were not imported: " +
                    string.Join(", ", unreferenced.Take(MaxListedWarnings)) + (unreferenced.Count > MaxListedWarnings ? ", …" : ""));
            }

            if (_uncertainCount > 0)
            {
                warnings.Add($"{_uncertainCount} line(s) could not be told for certain to be a WhatsApp notice or a person's message " +
                    $"(line {string.Join(", ", _uncertainLines)}{(_uncertainCount > MaxListedWarnings ? ", …" : "")}); " +
                    "each is stored with its best reading and flagged 'uncertain' in the conversation.");
            }

            warnings.AddRange(_timeWarnings);
            if (_timeWarningCount > MaxListedWarnings)
            {
                warnings.Add($"… and {_timeWarningCount - MaxListedWarnings} more time(s) affected by daylight-saving changes.");
            }

            return warnings;
        }

        /// <summary>
        /// The same message in two overlapping exports of one chat gives the same key: its instant,
        /// author and body, and which of several identical messages in that instant it is.
        /// </summary>
        private string DedupKey(ParsedMessage parsed, DateTimeOffset utc)
        {
            if (utc != _occurrenceInstant)
            {
                _occurrences.Clear();
                _occurrenceInstant = utc;
            }

            var key = (parsed.Author, parsed.Body);
            _occurrences[key] = _occurrences.TryGetValue(key, out var seen) ? seen + 1 : 0;
            var hash = SHA256.HashData(new CanonicalWriter()
                .Add(utc.ToUnixTimeMilliseconds()).Add(parsed.Author).Add(parsed.Body).Add(_occurrences[key]).ToBytes());
            return Convert.ToHexStringLower(hash.AsSpan(0, 16));
        }
    }
}

/// <summary>A parsed message with its UTC instant and dedup key.</summary>
internal sealed record ReadMessage(ParsedMessage Parsed, DateTimeOffset Utc, TimestampFlag Flag, string DedupKey)
{
    public ArchiveRecord ToRecord(string timeZoneId, long batchId, IReadOnlyList<ChatAttachment> attachments) =>
        new(Parsed.IsSystem || Parsed.Author is null ? null : new SenderIdentity(Parsed.Author, Parsed.AuthorPhone), Utc, Parsed.Body, Parsed.Kind,
            MessageSource.Export, DedupKey, attachments)
        {
            LocalTimestampText = Parsed.TimestampText,
            TimeZoneId = timeZoneId,
            TimestampFlag = Flag,
            IsEdited = Parsed.IsEdited,
            KindUncertain = Parsed.KindUncertain,
            ImportBatchId = batchId,
            LineNumber = Parsed.LineNumber,
        };
}

/// <summary>An import batch and the title of the conversation it went into.</summary>
public sealed record ImportBatchSummary(ImportBatch Batch, string ConversationTitle);

/// <summary>
/// How to read an export: the custodian's IANA time zone (exports carry no offset), whose device it
/// came from, and optionally the date order when the inferred one is wrong.
/// </summary>
public sealed record ImportOptions(string TimeZoneId, string? CustodianEmail = null, DateOrder? DateOrder = null);

/// <summary>What an export holds, read without storing anything (the preview and <c>import --dry-run</c>).</summary>
public sealed record ImportPreview(
    string File,
    string ChatTitle,
    string Format,
    DateOrder DateOrder,
    bool DateOrderAmbiguous,
    int Messages,
    int SystemMessages,
    IReadOnlyList<string> Authors,
    DateTime? First,
    DateTime? Last,
    IReadOnlyList<string> Attachments,
    IReadOnlyList<string> MissingAttachments,
    IReadOnlyList<string> Warnings);

/// <summary>The outcome of a committed import.</summary>
public sealed record ImportResult(
    long BatchId,
    long ConversationId,
    string ChatTitle,
    int MessagesInFile,
    int MessagesAdded,
    int MessagesAlreadyPresent,
    int AttachmentsStored,
    int AttachmentsMissing,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Of <see cref="MessagesAlreadyPresent"/>, the messages the webhook had captured: the export is recorded as their second source.</summary>
    public int MessagesLinkedToCaptured { get; init; }
}

/// <summary>Progress of a running import, reported every few thousand messages.</summary>
public sealed record ImportProgress(int MessagesRead, int MessagesInFile);
