using System.Globalization;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.LegalHolds;
using ComplianceHub.Core.Roster;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Transcripts;

/// <summary>
/// Reads one conversation as a transcript, a window at a time: around a message or a date, then older
/// or newer pages by keyset on (conversation, search key), so any point of a very long chat opens in
/// one index seek. Opening a conversation and opening an attachment are audited.
/// </summary>
public sealed class TranscriptService(IDbContextFactory<ComplianceHubDbContext> dbFactory, IBlobStore blobs, AuditLog audit)
{
    public const int MaxPageSize = 500;

    /// <summary>The conversation's header, audited as opened by <paramref name="actor"/>; null when there is no such conversation.</summary>
    public async Task<TranscriptHeader?> OpenAsync(long conversationId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var header = await HeaderAsync(db, conversationId, ct);
        if (header is not null)
        {
            audit.Record(db, AuditEventType.ConversationOpened, actor, Subject(conversationId), new { title = header.Title, messages = header.Messages });
            await db.SaveChangesAsync(ct);
        }

        return header;
    }

    /// <summary>
    /// The conversation's header without an audit record of its own: for a caller that audits the whole of what
    /// it does once (an export). Null when there is no such conversation.
    /// </summary>
    public async Task<TranscriptHeader?> ReadHeaderAsync(long conversationId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await HeaderAsync(db, conversationId, ct);
    }

    /// <summary>
    /// Every message of the conversation with a search key from <paramref name="fromKey"/> (inclusive) to
    /// <paramref name="untilKey"/> (exclusive), either end open, oldest first, read a window at a time by key: memory
    /// stays flat however long the conversation.
    /// </summary>
    public async IAsyncEnumerable<TranscriptMessage> ReadAllAsync(
        long conversationId, long? fromKey, long? untilKey, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var after = (fromKey ?? long.MinValue + 1) - 1;
        var until = untilKey ?? long.MaxValue;
        while (true)
        {
            List<TranscriptMessage> page;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                page = await LoadAsync(db, db.ChatMessages.AsNoTracking()
                    .Where(m => m.ConversationId == conversationId && m.SearchKey > after && m.SearchKey < until)
                    .OrderBy(m => m.SearchKey).Take(MaxPageSize), ct);
            }

            foreach (var message in page)
            {
                yield return message;
            }

            if (page.Count < MaxPageSize)
            {
                yield break;
            }

            after = page[^1].SearchKey;
        }
    }

    /// <summary>
    /// Exactly the messages <paramref name="messageIds"/> of the conversation (given in chain order), read a window at
    /// a time: a search's hits in a production. Ids not in the conversation, or not visible, are skipped.
    /// </summary>
    public async IAsyncEnumerable<TranscriptMessage> ReadManyAsync(
        long conversationId, IReadOnlyList<long> messageIds, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var chunk in messageIds.Chunk(MaxPageSize))
        {
            var ids = chunk.ToList();
            List<TranscriptMessage> page;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                page = await LoadAsync(db, db.ChatMessages.AsNoTracking()
                    .Where(m => m.ConversationId == conversationId && ids.Contains(m.Id))
                    .OrderBy(m => m.SearchKey), ct);
            }

            foreach (var message in page)
            {
                yield return message;
            }
        }
    }

    /// <summary>An attachment's stored bytes without an audit record (the caller audits its own use); null when not stored.</summary>
    public Task<Stream?> ReadAttachmentAsync(TranscriptAttachment attachment, CancellationToken ct = default) =>
        attachment is { Status: AttachmentStatus.Stored, Sha256: { } sha256 } ? blobs.OpenReadAsync(sha256, ct) : Task.FromResult<Stream?>(null);

    private static async Task<TranscriptHeader?> HeaderAsync(ComplianceHubDbContext db, long conversationId, CancellationToken ct)
    {
        var conversation = await db.Conversations.AsNoTracking().Include(c => c.Custodians).SingleOrDefaultAsync(c => c.Id == conversationId, ct);
        if (conversation is null)
        {
            return null;
        }

        // WhatsApp's own notices are not messages: they neither count nor start the conversation's period.
        var figures = await db.ChatMessages.Where(m => m.ConversationId == conversationId && m.Kind != MessageKind.System)
            .GroupBy(m => m.ConversationId)
            .Select(g => new { Count = g.Count(), First = (DateTimeOffset?)g.Min(m => m.SentAt), Last = (DateTimeOffset?)g.Max(m => m.SentAt) })
            .SingleOrDefaultAsync(ct);
        var count = figures?.Count ?? 0;
        // Each participant with the roster person their number belongs to, when it is on the roster.
        var chatParticipants = await db.ChatParticipants.AsNoTracking().Where(p => p.ConversationId == conversationId)
            .OrderBy(p => p.DisplayName)
            .Select(p => new { p.Id, p.DisplayName, p.PhoneE164 })
            .ToListAsync(ct);
        var phones = chatParticipants.Where(p => p.PhoneE164 is not null).Select(p => p.PhoneE164!).Distinct().ToList();
        var owners = (await RosterNumbers.Owners(db).Where(o => phones.Contains(o.PhoneE164)).ToListAsync(ct))
            .GroupBy(o => o.PhoneE164, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Label, StringComparer.Ordinal);
        var participants = chatParticipants
            .Select(p => new TranscriptParticipant(p.Id, p.DisplayName, p.PhoneE164, p.PhoneE164 is { } phone ? owners.GetValueOrDefault(phone) : null))
            .ToList();

        var holds = await LegalHoldScope.Covering(db, LegalHoldScope.Active(db), conversationId).Select(h => h.Name).ToListAsync(ct);
        var removed = await db.MessageTombstones.AsNoTracking().Where(t => t.ConversationId == conversationId)
            .GroupBy(t => t.RunId).Select(g => new RemovedByDisposition(g.Key, g.Count(), g.Max(t => t.RemovedAt))).ToListAsync(ct);
        return new TranscriptHeader(
            conversation.Id, conversation.Title, conversation.Kind, conversation.Custodians.Select(c => c.Email).Order(StringComparer.Ordinal).ToList(),
            participants, count, figures?.First, figures?.Last, holds.Order(StringComparer.CurrentCulture).ToList())
        {
            Removed = removed.OrderBy(r => r.RunId).ToList(),
        };
    }

    /// <summary>
    /// Up to <paramref name="pageSize"/> messages before and after a starting point, oldest first: the
    /// message <paramref name="messageId"/> when given, else the first message sent at or after
    /// <paramref name="at"/>, else the end of the conversation.
    /// </summary>
    public async Task<TranscriptWindow> AroundAsync(long conversationId, long? messageId, DateTimeOffset? at, int pageSize = 100, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var messages = db.ChatMessages.AsNoTracking().Where(m => m.ConversationId == conversationId);
        long? anchorKey = null;
        if (messageId is { } id)
        {
            anchorKey = await messages.Where(m => m.Id == id).Select(m => (long?)m.SearchKey).SingleOrDefaultAsync(ct);
        }
        else if (at is { } instant)
        {
            var key = SearchKeys.FirstOf(instant);
            anchorKey = await messages.Where(m => m.SearchKey >= key).OrderBy(m => m.SearchKey).Select(m => (long?)m.SearchKey).FirstOrDefaultAsync(ct)
                ?? await messages.OrderByDescending(m => m.SearchKey).Select(m => (long?)m.SearchKey).FirstOrDefaultAsync(ct);
        }

        if (anchorKey is not { } anchor)
        {
            var latest = await LoadAsync(db, messages.OrderByDescending(m => m.SearchKey).Take(pageSize + 1), ct);
            var hasOlder = latest.Count > pageSize;
            latest = latest.Take(pageSize).Reverse().ToList();
            return new TranscriptWindow(latest, hasOlder, false, null);
        }

        var before = await LoadAsync(db, messages.Where(m => m.SearchKey < anchor).OrderByDescending(m => m.SearchKey).Take(pageSize / 2 + 1), ct);
        var from = await LoadAsync(db, messages.Where(m => m.SearchKey >= anchor).OrderBy(m => m.SearchKey).Take(pageSize - pageSize / 2 + 1), ct);
        var older = before.Count > pageSize / 2;
        var newer = from.Count > pageSize - pageSize / 2;
        var window = before.Take(pageSize / 2).Reverse().Concat(from.Take(pageSize - pageSize / 2)).ToList();
        return new TranscriptWindow(window, older, newer, window.FirstOrDefault(m => m.SearchKey == anchor)?.Id);
    }

    /// <summary>Up to <paramref name="pageSize"/> messages just before <paramref name="beforeKey"/>, oldest first.</summary>
    public async Task<TranscriptWindow> OlderAsync(long conversationId, long beforeKey, int pageSize = 100, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var page = await LoadAsync(db, db.ChatMessages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.SearchKey < beforeKey).OrderByDescending(m => m.SearchKey).Take(pageSize + 1), ct);
        return new TranscriptWindow(page.Take(pageSize).Reverse().ToList(), page.Count > pageSize, true, null);
    }

    /// <summary>Up to <paramref name="pageSize"/> messages just after <paramref name="afterKey"/>, oldest first.</summary>
    public async Task<TranscriptWindow> NewerAsync(long conversationId, long afterKey, int pageSize = 100, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var page = await LoadAsync(db, db.ChatMessages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.SearchKey > afterKey).OrderBy(m => m.SearchKey).Take(pageSize + 1), ct);
        return new TranscriptWindow(page.Take(pageSize).ToList(), true, page.Count > pageSize, null);
    }

    /// <summary>
    /// An attachment's bytes, audited (shown inline in the transcript or downloaded); null when unknown or
    /// its bytes are not stored.
    /// </summary>
    public async Task<(TranscriptAttachment Attachment, Stream Content)?> OpenAttachmentAsync(
        long attachmentId, bool inline, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var attachment = await db.Set<ChatAttachment>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == attachmentId, ct);
        if (attachment?.Sha256 is not { } sha256 || attachment.Status != AttachmentStatus.Stored || await blobs.OpenReadAsync(sha256, ct) is not { } content)
        {
            return null;
        }

        try
        {
            var conversationId = await db.ChatMessages.Where(m => m.Id == attachment.MessageId).Select(m => m.ConversationId).SingleAsync(ct);
            audit.Record(db, AuditEventType.AttachmentOpened, actor, new AuditSubject("Attachment", attachmentId.ToString(CultureInfo.InvariantCulture)), new
            {
                conversationId,
                messageId = attachment.MessageId,
                file = attachment.FileName,
                sha256,
                view = inline ? "inline" : "download",
            });
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            // No bytes leave without their audit record.
            await content.DisposeAsync();
            throw;
        }

        return (ToRecord(attachment), content);
    }

    /// <summary>
    /// Where a message came from, audited as viewed: the webhook payload it was read from, the export lines
    /// that hold it too and, for a message the business sent, its delivery history (sent, delivered, read,
    /// failed with Meta's errors).
    /// Null when there is no such message in the conversation.
    /// </summary>
    public async Task<MessageProvenance?> ProvenanceAsync(long conversationId, long messageId, AuditActor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var message = await db.ChatMessages.AsNoTracking().Where(m => m.Id == messageId && m.ConversationId == conversationId)
            .Select(m => new { m.ExternalId, m.RawJson })
            .SingleOrDefaultAsync(ct);
        if (message is null)
        {
            return null;
        }

        var deliveries = message.ExternalId is null ? [] : await db.MessageStatusEvents.AsNoTracking()
            .Where(e => e.ExternalId == message.ExternalId)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .Select(e => new DeliveryStatus(e.Status, e.OccurredAt, e.RecipientId, e.ErrorsJson))
            .ToListAsync(ct);
        var exports = await db.MessageExportSources.AsNoTracking().Where(s => s.MessageId == messageId)
            .Join(db.ImportBatches, s => s.ImportBatchId, b => b.Id, (s, b) => new { Source = s, b.OriginalFileName })
            .OrderBy(x => x.Source.Id)
            .Select(x => new ExportSighting(x.Source.ImportBatchId, x.OriginalFileName, x.Source.LineNumber, x.Source.LocalTimestampText, x.Source.TimeZoneId, x.Source.Author))
            .ToListAsync(ct);
        audit.Record(db, AuditEventType.MessageDetailsViewed, actor, new AuditSubject("Message", messageId.ToString(CultureInfo.InvariantCulture)),
            new { conversationId });
        await db.SaveChangesAsync(ct);
        return new MessageProvenance(message.RawJson, deliveries, exports);
    }

    public static AuditSubject Subject(long conversationId) => new("Conversation", conversationId.ToString(CultureInfo.InvariantCulture));

    private static async Task<List<TranscriptMessage>> LoadAsync(ComplianceHubDbContext db, IQueryable<ChatMessage> query, CancellationToken ct)
    {
        var rows = await query.Select(m => new
        {
            Message = m,
            Sender = db.ChatParticipants.Where(p => p.Id == m.ParticipantId).Select(p => new { p.DisplayName, p.PhoneE164 }).FirstOrDefault(),
            m.Attachments,
            AlsoExported = m.Source == MessageSource.Webhook && db.MessageExportSources.Any(s => s.MessageId == m.Id),
        }).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return [];
        }

        // Replies, edits, deletions and reactions point at other messages by WhatsApp id: resolve them within the conversation.
        var conversationId = rows[0].Message.ConversationId;
        var referenced = rows.SelectMany(r => new[] { r.Message.ReplyToExternalId, r.Message.TargetExternalId }).OfType<string>().Distinct().ToList();
        var externalIds = rows.Select(r => r.Message.ExternalId).OfType<string>().ToList();
        var quoted = referenced.Count == 0 ? [] : await db.ChatMessages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.ExternalId != null && referenced.Contains(m.ExternalId))
            .Select(m => new { m.ExternalId, m.Id, m.Body, Sender = db.ChatParticipants.Where(p => p.Id == m.ParticipantId).Select(p => p.DisplayName).FirstOrDefault() })
            .ToListAsync(ct);
        var reactions = externalIds.Count == 0 ? [] : await db.ChatMessages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.Kind == MessageKind.Reaction && m.TargetExternalId != null && externalIds.Contains(m.TargetExternalId))
            .OrderBy(m => m.SearchKey)
            .Select(m => new { m.TargetExternalId, m.Body, m.ParticipantId, Sender = db.ChatParticipants.Where(p => p.Id == m.ParticipantId).Select(p => p.DisplayName).FirstOrDefault() })
            .ToListAsync(ct);
        var quotedById = quoted.ToDictionary(q => q.ExternalId!, q => new QuotedMessage(q.Id, q.Sender, q.Body));

        return rows.Select(r =>
        {
            var m = r.Message;
            // A reaction replaced by a later one from the same person counts once; an empty body removed it.
            var current = m.ExternalId is null ? [] : reactions.Where(x => x.TargetExternalId == m.ExternalId)
                .GroupBy(x => x.ParticipantId).Select(g => g.Last()).Where(x => x.Body.Length > 0)
                .Select(x => new TranscriptReaction(x.Body, x.Sender, x.ParticipantId)).ToList();
            return new TranscriptMessage(
                m.Id, m.SearchKey, m.SentAt, m.ParticipantId, r.Sender?.DisplayName, r.Sender?.PhoneE164, m.Body, m.Kind, m.IsEdited, m.KindUncertain, m.Source, r.AlsoExported,
                m.ExternalId, m.ImportBatchId, m.LineNumber, m.WebhookDeliveryId, m.ChainSequence, m.Hash, m.PreviousHash, m.LocalTimestampText, m.TimeZoneId,
                m.ReplyToExternalId is { } reply ? quotedById.GetValueOrDefault(reply) ?? new QuotedMessage(null, null, null) : null,
                m.TargetExternalId is { } target ? quotedById.GetValueOrDefault(target) ?? new QuotedMessage(null, null, null) : null,
                r.Attachments.OrderBy(a => a.Ordinal).Select(ToRecord).ToList(),
                current);
        }).ToList();
    }

    private static TranscriptAttachment ToRecord(ChatAttachment a) => new(a.Id, a.FileName, a.MediaType, a.Length, a.Sha256, a.Status);
}

/// <summary>
/// A conversation's header: what it is, who is in it, its span, and the active legal holds whose scope
/// takes in some or all of it (by the conversation or one of its custodians).
/// </summary>
public sealed record TranscriptHeader(
    long Id, string Title, ConversationKind Kind, IReadOnlyList<string> Custodians, IReadOnlyList<TranscriptParticipant> Participants,
    int Messages, DateTimeOffset? FirstMessageAt, DateTimeOffset? LastMessageAt, IReadOnlyList<string> LegalHolds)
{
    /// <summary>Messages disposition runs removed from the conversation (their tombstones keep the chain), per run.</summary>
    public IReadOnlyList<RemovedByDisposition> Removed { get; init; } = [];
}

/// <summary>How many of a conversation's messages one disposition run removed, and when.</summary>
public sealed record RemovedByDisposition(long RunId, int Messages, DateTimeOffset RemovedAt);

/// <summary>A participant of a conversation; <paramref name="RosterPerson"/> names who their number belongs to on the roster.</summary>
public sealed record TranscriptParticipant(long Id, string DisplayName, string? PhoneE164, string? RosterPerson);

/// <summary>A run of consecutive messages, oldest first, and whether the conversation goes on either side.</summary>
public sealed record TranscriptWindow(IReadOnlyList<TranscriptMessage> Messages, bool HasOlder, bool HasNewer, long? AnchorMessageId);

/// <summary>
/// One message as the transcript shows it, with what compliance staff need to know where it came
/// from: the import line or webhook delivery, and its place in the hash chain. <paramref name="KindUncertain"/>:
/// the export did not say clearly whether the line is a notice or a person's message. <paramref name="AlsoExported"/>:
/// a message captured live that an imported export holds too (its second source).
/// </summary>
public sealed record TranscriptMessage(
    long Id, long SearchKey, DateTimeOffset SentAt, long? SenderId, string? Sender, string? SenderPhone, string Body, MessageKind Kind,
    bool IsEdited, bool KindUncertain, MessageSource Source, bool AlsoExported, string? ExternalId, long? ImportBatchId, int? LineNumber, long? WebhookDeliveryId,
    long ChainSequence, string Hash, string PreviousHash, string? LocalTimestampText, string? TimeZoneId,
    QuotedMessage? ReplyTo, QuotedMessage? Target, IReadOnlyList<TranscriptAttachment> Attachments, IReadOnlyList<TranscriptReaction> Reactions);

/// <summary>A message another one refers to; all null when it is not in the archive (sent before capture began).</summary>
public sealed record QuotedMessage(long? Id, string? Sender, string? Body);

public sealed record TranscriptAttachment(long Id, string FileName, string MediaType, long? Length, string? Sha256, AttachmentStatus Status)
{
    /// <summary>Raster images only: shown inline in the portal. Anything else (SVG can carry script) is only ever downloaded.</summary>
    public bool IsImage => Status == AttachmentStatus.Stored && MediaType.ToLowerInvariant() is "image/jpeg" or "image/png" or "image/gif" or "image/webp";
}

/// <summary>A reaction as it stands: the emoji, who reacted (name, and participant id when known).</summary>
public sealed record TranscriptReaction(string Emoji, string? Sender, long? SenderId = null);

/// <summary>The payload a captured message was read from, and the delivery history of a message the business sent.</summary>
public sealed record MessageProvenance(string? RawJson, IReadOnlyList<DeliveryStatus> Deliveries, IReadOnlyList<ExportSighting> Exports);

/// <summary>An export line that holds a message captured live: its second source, as the export wrote it.</summary>
public sealed record ExportSighting(long ImportBatchId, string FileName, int LineNumber, string LocalTimestampText, string TimeZoneId, string? Author);

/// <summary>One status Meta reported: <c>sent</c>, <c>delivered</c>, <c>read</c>, <c>failed</c> (with its errors as JSON)…</summary>
public sealed record DeliveryStatus(string Status, DateTimeOffset OccurredAt, string? RecipientId, string? ErrorsJson);
