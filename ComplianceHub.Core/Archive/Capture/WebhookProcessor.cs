using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Archive.Writing;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Archive.Capture;

/// <summary>What one processing pass did.</summary>
public sealed record WebhookProcessingResult(int Deliveries, int Failed, int Messages, int Duplicates, int Statuses, int MediaQueued)
{
    public static WebhookProcessingResult None { get; } = new(0, 0, 0, 0, 0, 0);
}

/// <summary>
/// Turns pending inbox rows into archive records: messages join the same conversations, participants
/// and hash chains as imports; statuses become delivery history; media is queued for download. A
/// batch of deliveries is stored in one transaction; a payload that cannot be read is marked failed
/// with the reason and never holds up the rest. Duplicates (Meta redelivers for days) are stored once.
/// </summary>
public sealed class WebhookProcessor(
    IDbContextFactory<ComplianceHubDbContext> dbFactory,
    WebhookInbox inbox,
    AuditLog audit,
    IOptionsMonitor<WhatsAppOptions> options,
    ArchiveWriteGate gate,
    ISearchIndex index,
    TimeProvider clock,
    ILogger<WebhookProcessor> logger)
{
    /// <summary>Deliveries per transaction: large enough for throughput, small enough that the write lock is held only briefly.</summary>
    public const int DefaultBatchSize = 50;

    private const int MaxErrorLength = 4000;

    /// <summary>Conversation ids by capture key, once committed (ids never change; a failed batch clears it).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _conversationIds = new(StringComparer.Ordinal);

    /// <summary>Chain heads and participants of recently active conversations; cleared whenever a batch fails.</summary>
    private readonly ConversationStateCache _states = new();
    private const int InClauseChunk = 500;

    /// <summary>Processes pending deliveries, oldest first, in full batches until the backlog is drained; returns the totals.</summary>
    public async Task<WebhookProcessingResult> ProcessPendingAsync(int batchSize = DefaultBatchSize, CancellationToken ct = default)
    {
        var total = WebhookProcessingResult.None;
        while (true)
        {
            var result = await ProcessBatchAsync(batchSize, ct);
            total = new WebhookProcessingResult(
                total.Deliveries + result.Deliveries, total.Failed + result.Failed, total.Messages + result.Messages,
                total.Duplicates + result.Duplicates, total.Statuses + result.Statuses, total.MediaQueued + result.MediaQueued);

            // A part batch means the backlog is drained; what arrived meanwhile waits for the next pass,
            // so a steady trickle does not turn into a transaction per delivery.
            if (result.Deliveries < batchSize)
            {
                return total;
            }
        }
    }

    /// <summary>Processes up to <paramref name="batchSize"/> pending deliveries.</summary>
    public async Task<WebhookProcessingResult> ProcessBatchAsync(int batchSize = DefaultBatchSize, CancellationToken ct = default)
    {
        await inbox.MoveSpooledAsync(ct);
        List<PendingDelivery> pending;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            pending = await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.Status == WebhookDeliveryStatus.Pending)
                .OrderBy(d => d.Id)
                .Take(batchSize)
                .Select(d => new PendingDelivery(d.Id, d.Body))
                .ToListAsync(ct);
        }

        if (pending.Count == 0)
        {
            return WebhookProcessingResult.None;
        }

        try
        {
            return await StoreAsync(pending, ct);
        }
        catch (RetryLaterException e)
        {
            if (e.ImportAbandoned)
            {
                await ImportRollback.RunForAbandonedAsync(dbFactory, gate, index, audit, clock.GetUtcNow(), ct);
            }

            return WebhookProcessingResult.None;
        }
        catch (Exception e) when (pending.Count > 1 && e is not OperationCanceledException)
        {
            // Something in the batch broke the transaction: go one by one so only the culprit fails.
            logger.LogWarning(e, "Webhook batch {First}–{Last} failed; processing its deliveries one at a time", pending[0].Id, pending[^1].Id);
            var total = WebhookProcessingResult.None;
            foreach (var delivery in pending)
            {
                WebhookProcessingResult one;
                try
                {
                    one = await StoreAsync([delivery], ct);
                }
                catch (RetryLaterException)
                {
                    continue;
                }
                catch (Exception single) when (single is not OperationCanceledException)
                {
                    await MarkFailedAsync(delivery.Id, Describe(single), ct);
                    one = new WebhookProcessingResult(1, 1, 0, 0, 0, 0);
                }

                total = new WebhookProcessingResult(
                    total.Deliveries + one.Deliveries, total.Failed + one.Failed, total.Messages + one.Messages,
                    total.Duplicates + one.Duplicates, total.Statuses + one.Statuses, total.MediaQueued + one.MediaQueued);
            }

            return total;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await MarkFailedAsync(pending[0].Id, Describe(e), ct);
            return new WebhookProcessingResult(1, 1, 0, 0, 0, 0);
        }
    }

    /// <summary>Puts a failed delivery back in the queue (Administrator, after fixing the cause).</summary>
    public async Task<bool> RetryAsync(long deliveryId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.WebhookDeliveries
            .Where(d => d.Id == deliveryId && d.Status == WebhookDeliveryStatus.Failed)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, WebhookDeliveryStatus.Pending), ct);
        if (changed == 0)
        {
            return false;
        }

        audit.Record(db, AuditEventType.WebhookDeliveryRetried, actor, Subject(deliveryId), new { deliveryId });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    private async Task<WebhookProcessingResult> StoreAsync(IReadOnlyList<PendingDelivery> pending, CancellationToken ct)
    {
        try
        {
            return await StoreInTransactionAsync(pending, ct);
        }
        catch
        {
            // The cached chain heads may hold appends that were rolled back.
            ForgetCachedState();
            throw;
        }
    }

    private async Task<WebhookProcessingResult> StoreInTransactionAsync(IReadOnlyList<PendingDelivery> pending, CancellationToken ct)
    {
        // Reading is pure: a payload that cannot be read fails on its own, before any write.
        var readable = new List<(long Id, CapturedPayload Payload)>();
        var unreadable = new List<(long Id, string Error)>();
        foreach (var delivery in pending)
        {
            try
            {
                readable.Add((delivery.Id, WebhookPayloadReader.Read(delivery.Body)));
            }
            catch (WebhookPayloadException e)
            {
                unreadable.Add((delivery.Id, e.Message));
            }
        }

        var settings = options.CurrentValue;
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        // Reads before the write lock, so the inbox is held up only by the writes. Another host could
        // store one of these ids or conversations meanwhile: the unique indexes then fail the batch, and
        // the one-by-one retry reads again.
        var allMessages = readable.SelectMany(r => r.Payload.Messages.Select(m => (DeliveryId: r.Id, Message: m))).ToList();
        var stored = await ExistingMessageIdsAsync(db, allMessages.Select(m => m.Message.ExternalId).Distinct(StringComparer.Ordinal).ToList(), ct);
        var (conversations, missing) = await FindConversationsAsync(db, allMessages.Select(m => m.Message).Where(m => !stored.Contains(m.ExternalId)), ct);

        await using var writer = await gate.BeginAsync(db, ct, _states);
        if (conversations.Count > 0)
        {
            // A chat an import is writing to in steps takes no other appends until it completes: the import
            // continues its chain, and removes what it wrote if it fails. Its deliveries wait in the inbox.
            var ids = conversations.Values.ToList();
            var importing = await db.ImportBatches.Where(b => b.CompletedAt == null && ids.Contains(b.ConversationId)).Select(b => b.LastStepAt).ToListAsync(ct);
            if (importing.Count > 0)
            {
                throw new RetryLaterException("An import into one of these chats is running.")
                {
                    ImportAbandoned = importing.Any(at => ImportRollback.IsAbandoned(at, clock.GetUtcNow())),
                };
            }
        }

        var now = clock.GetUtcNow();
        await CreateConversationsAsync(db, missing, conversations, settings, now, ct);

        await writer.PrepareConversationsAsync(conversations.Values, ct);
        int messages = 0, duplicates = 0, mediaQueued = 0;
        foreach (var (deliveryId, message) in allMessages)
        {
            if (!stored.Add(message.ExternalId))
            {
                duplicates++;
                continue;
            }

            var conversationId = conversations[message.ConversationKey];
            IReadOnlyList<ChatAttachment> attachments = message.Media is { } media
                ? [new ChatAttachment(0, media.FileName, media.MediaType.Split(';', 2)[0].Trim(), null, media.Sha256Hex, AttachmentStatus.Remote)]
                : [];
            var appended = writer.Append(conversationId, ToRecord(message, deliveryId, attachments, settings), now);
            messages++;
            if (message.Media is { } captured)
            {
                db.MediaDownloads.Add(new MediaDownload(appended.AttachmentIds[0], captured.MediaId, message.PhoneNumberId, captured.Sha256Hex, now));
                mediaQueued++;
            }
        }

        var statuses = await AddStatusesAsync(db, readable, now, ct);

        var processedIds = readable.Select(r => r.Id).ToList();
        var claimed = 0;
        foreach (var chunk in processedIds.Chunk(InClauseChunk))
        {
            claimed += await db.WebhookDeliveries.Where(d => chunk.Contains(d.Id) && d.Status == WebhookDeliveryStatus.Pending).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, WebhookDeliveryStatus.Processed)
                .SetProperty(d => d.ProcessedAt, now)
                .SetProperty(d => d.Error, (string?)null)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1), ct);
        }

        foreach (var (id, error) in unreadable)
        {
            claimed += await SetFailedAsync(db, id, error, ct);
            audit.Record(db, AuditEventType.WebhookDeliveryFailed, AuditActor.System, Subject(id), new { deliveryId = id, error = Truncate(error, 1000) });
        }

        if (processedIds.Count > 0)
        {
            var notes = readable.SelectMany(r => r.Payload.Notes.Select(n => $"#{r.Id} {n}")).Take(10).Select(n => Truncate(n, 200)).ToList();
            audit.Record(db, AuditEventType.WebhookDeliveriesProcessed, AuditActor.System,
                new AuditSubject("WebhookDelivery", processedIds.Count == 1
                    ? processedIds[0].ToString(CultureInfo.InvariantCulture)
                    : string.Create(CultureInfo.InvariantCulture, $"{processedIds.Min()}-{processedIds.Max()}")),
                new { deliveries = processedIds.Count, messages, duplicates, statuses, mediaQueued, conversations = conversations.Count, notes });
        }

        if (claimed != pending.Count)
        {
            // Another host sharing the database took some of these while this one waited for the lock:
            // roll back and let the next pass read the inbox again.
            throw new RetryLaterException("Another processor took deliveries of this batch.");
        }

        await db.SaveChangesAsync(ct);
        await writer.CommitAsync(ct);
        foreach (var (key, id) in conversations)
        {
            _conversationIds.TryAdd(key, id);
        }

        foreach (var (id, error) in unreadable)
        {
            logger.LogWarning("Webhook delivery {Id} could not be read and is marked failed: {Error}", id, error);
        }

        return new WebhookProcessingResult(pending.Count, unreadable.Count, messages, duplicates, statuses, mediaQueued);
    }

    private void ForgetCachedState()
    {
        _conversationIds.Clear();
        _states.Clear();
    }

    private static ArchiveRecord ToRecord(CapturedMessage message, long deliveryId, IReadOnlyList<ChatAttachment> attachments, WhatsAppOptions settings)
    {
        SenderIdentity? sender;
        if (message.Kind == MessageKind.System)
        {
            sender = null;
        }
        else if (message.Direction == CaptureDirection.Outbound)
        {
            var number = settings.FindNumber(message.PhoneNumberId);
            var digits = message.BusinessDisplayNumber;
            var phone = digits is null ? null : "+" + digits;
            sender = new SenderIdentity(number?.Label ?? phone ?? $"Business number {message.PhoneNumberId}", phone);
        }
        else
        {
            sender = new SenderIdentity(
                message.CustomerName ?? message.CustomerPhoneE164 ?? message.CustomerUserId ?? message.CustomerId,
                message.CustomerPhoneE164, message.CustomerUserId);
        }

        return new ArchiveRecord(sender, message.SentAt, message.Body, message.Kind, MessageSource.Webhook, DedupKey(message.ExternalId), attachments)
        {
            IsEdited = message.IsEdited,
            Capture = new CaptureReference(message.ExternalId, message.ReplyToExternalId, message.TargetExternalId, deliveryId, message.RawJson),
        };
    }

    /// <summary>The business number as the payload's metadata gives it, else as configured.</summary>
    private static string? BusinessPhone(CapturedMessage message, WhatsAppOptions settings) =>
        (message.BusinessDisplayNumber is { } digits ? PhoneNumberNormalizer.TryNormalize("+" + digits.TrimStart('+')) : null)
        ?? (settings.FindNumber(message.PhoneNumberId)?.DisplayPhoneNumber is { } configured
            ? PhoneNumberNormalizer.TryNormalize(configured.StartsWith('+') ? configured : "+" + configured)
            : null);

    private static string DedupKey(string externalId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(externalId)).AsSpan(0, 16));

    private static async Task<HashSet<string>> ExistingMessageIdsAsync(ComplianceHubDbContext db, List<string> ids, CancellationToken ct)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(InClauseChunk))
        {
            existing.UnionWith(await db.ChatMessages.IgnoreQueryFilters().Where(m => m.ExternalId != null && chunk.Contains(m.ExternalId)).Select(m => m.ExternalId!).ToListAsync(ct));
        }

        return existing;
    }

    /// <summary>The conversation of every message, created on first sight with the number's custodian.</summary>
    private async Task<(Dictionary<string, long> Found, List<CapturedMessage> Missing)> FindConversationsAsync(
        ComplianceHubDbContext db, IEnumerable<CapturedMessage> messages, CancellationToken ct)
    {
        var firstByKey = new Dictionary<string, CapturedMessage>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            if (!firstByKey.TryGetValue(message.ConversationKey, out var first) || first.CustomerName is null && message.CustomerName is not null)
            {
                firstByKey[message.ConversationKey] = message;
            }
        }

        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        var keys = new List<string>();
        foreach (var key in firstByKey.Keys)
        {
            if (_conversationIds.TryGetValue(key, out var known))
            {
                found[key] = known;
            }
            else
            {
                keys.Add(key);
            }
        }

        foreach (var chunk in keys.Chunk(InClauseChunk))
        {
            foreach (var row in await db.Conversations.Where(c => c.ExternalKey != null && chunk.Contains(c.ExternalKey)).Select(c => new { c.ExternalKey, c.Id }).ToListAsync(ct))
            {
                found[row.ExternalKey!] = row.Id;
                _conversationIds.TryAdd(row.ExternalKey!, row.Id);
            }
        }

        return (found, firstByKey.Where(p => !found.ContainsKey(p.Key)).Select(p => p.Value).ToList());
    }

    /// <summary>Creates the conversations first seen in this batch, with the business number's custodian.</summary>
    private static async Task CreateConversationsAsync(
        ComplianceHubDbContext db, List<CapturedMessage> missing, Dictionary<string, long> found, WhatsAppOptions settings, DateTimeOffset now, CancellationToken ct)
    {
        if (missing.Count == 0)
        {
            return;
        }

        var created = new List<(string Key, Conversation Conversation)>();
        foreach (var message in missing)
        {
            var key = message.ConversationKey;
            var title = message.CustomerName ?? message.CustomerPhoneE164 ?? message.CustomerUserId ?? message.CustomerId;
            var conversation = Conversation.Captured(title, key, message.PhoneNumberId, BusinessPhone(message, settings), now);
            if (settings.FindNumber(message.PhoneNumberId)?.CustodianEmail is { Length: > 0 } custodian)
            {
                conversation.Custodians.Add(new ConversationCustodian(custodian.Trim().ToLowerInvariant(), now));
            }

            db.Conversations.Add(conversation);
            created.Add((key, conversation));
        }

        await db.SaveChangesAsync(ct);
        foreach (var (key, conversation) in created)
        {
            found[key] = conversation.Id;
        }
    }

    private static async Task<int> AddStatusesAsync(
        ComplianceHubDbContext db, List<(long Id, CapturedPayload Payload)> readable, DateTimeOffset now, CancellationToken ct)
    {
        var all = readable.SelectMany(r => r.Payload.Statuses.Select(s => (DeliveryId: r.Id, Status: s))).ToList();
        if (all.Count == 0)
        {
            return 0;
        }

        var seen = new HashSet<(string, string)>();
        foreach (var chunk in all.Select(s => s.Status.ExternalId).Distinct(StringComparer.Ordinal).Chunk(InClauseChunk))
        {
            foreach (var row in await db.MessageStatusEvents.Where(s => chunk.Contains(s.ExternalId)).Select(s => new { s.ExternalId, s.Status }).ToListAsync(ct))
            {
                seen.Add((row.ExternalId, row.Status));
            }
        }

        var added = 0;
        foreach (var (deliveryId, status) in all)
        {
            if (seen.Add((status.ExternalId, status.Status)))
            {
                db.MessageStatusEvents.Add(new MessageStatusEvent(
                    status.ExternalId, status.Status, status.OccurredAt, status.RecipientId, status.PhoneNumberId,
                    status.ErrorsJson is null ? null : Truncate(status.ErrorsJson, 8000), deliveryId, now));
                added++;
            }
        }

        return added;
    }

    private async Task MarkFailedAsync(long id, string error, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await SetFailedAsync(db, id, error, ct);
        audit.Record(db, AuditEventType.WebhookDeliveryFailed, AuditActor.System, Subject(id), new { deliveryId = id, error = Truncate(error, 1000) });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogError("Webhook delivery {Id} failed processing and is marked failed: {Error}", id, error);
    }

    private static Task<int> SetFailedAsync(ComplianceHubDbContext db, long id, string error, CancellationToken ct) =>
        db.WebhookDeliveries.Where(d => d.Id == id && d.Status == WebhookDeliveryStatus.Pending).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, WebhookDeliveryStatus.Failed)
            .SetProperty(d => d.Error, Truncate(error, MaxErrorLength))
            .SetProperty(d => d.Attempts, d => d.Attempts + 1), ct);

    private static string Describe(Exception e) => e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;

    private static AuditSubject Subject(long deliveryId) => new("WebhookDelivery", deliveryId.ToString(CultureInfo.InvariantCulture));

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private sealed record PendingDelivery(long Id, string Body);

    /// <summary>The batch is rolled back and left in the inbox for a later pass (nothing failed).</summary>
    private sealed class RetryLaterException(string reason) : Exception(reason)
    {
        /// <summary>What holds the batch back is an import that stopped mid-way: remove it, then the next pass goes on.</summary>
        public bool ImportAbandoned { get; init; }
    }
}
