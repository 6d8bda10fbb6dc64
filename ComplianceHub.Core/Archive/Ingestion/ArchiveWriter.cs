using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Archive.Search;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>Who sent a message, as a capture path identifies them.</summary>
internal sealed record SenderIdentity(string DisplayName, string? PhoneE164 = null, string? WhatsAppUserId = null);

/// <summary>One message on its way into the archive, from any capture path.</summary>
internal sealed record ArchiveRecord(
    SenderIdentity? Sender, DateTimeOffset SentAt, string Body, MessageKind Kind, MessageSource Source, string DedupKey,
    IReadOnlyList<ChatAttachment> Attachments)
{
    public string? LocalTimestampText { get; init; }
    public string? TimeZoneId { get; init; }
    public TimestampFlag TimestampFlag { get; init; }
    public bool IsEdited { get; init; }
    public long? ImportBatchId { get; init; }
    public int? LineNumber { get; init; }
    public CaptureReference? Capture { get; init; }
}

/// <summary>
/// The bulk path into the archive: prepared raw inserts on the caller's connection and transaction
/// (tracked EF entities cap imports at a fraction of what the database takes, perf-notes.md), each
/// message chained to its conversation's previous one, given its search key and indexed for search
/// in the same transaction. Exports and the webhook both write through it.
/// </summary>
internal sealed class ArchiveWriter : IDisposable
{
    private readonly ComplianceHubDbContext _db;
    private readonly Dictionary<long, ConversationState> _conversations = [];
    private readonly ConversationStateCache? _cache;
    private readonly IBulkInsert _insertMessage;
    private readonly IBulkInsert _insertAttachment;
    private readonly IBulkInsert _insertParticipant;
    private readonly ISearchIndexWriter _index;
    private readonly SearchKeyAllocator _keys;

    private ArchiveWriter(ComplianceHubDbContext db, DbTransaction transaction, IMessageSearch search, ConversationStateCache? cache)
    {
        _db = db;
        _cache = cache;
        Connection = db.Database.GetDbConnection();
        Transaction = transaction;

        _insertMessage = BulkInsert.Prepare(Connection, transaction, "ChatMessages",
            "ConversationId", "ParticipantId", "SentAt", "LocalTimestampText", "TimeZoneId", "TimestampFlag", "Body", "Kind", "IsEdited",
            "Source", "ImportBatchId", "LineNumber", "DedupKey", "ChainSequence", "PreviousHash", "Hash",
            "ExternalId", "ReplyToExternalId", "TargetExternalId", "WebhookDeliveryId", "RawJson", "SearchKey");
        _insertAttachment = BulkInsert.Prepare(Connection, transaction, "ChatAttachments",
            "MessageId", "Ordinal", "FileName", "MediaType", "Length", "Sha256", "Status");
        _insertParticipant = BulkInsert.Prepare(Connection, transaction, "ChatParticipants",
            "ConversationId", "DisplayName", "PhoneE164", "WhatsAppUserId", "FirstSeenAt");
        _index = search.OpenIndexWriter(Connection, transaction);
        _keys = new SearchKeyAllocator(Connection, transaction);
    }

    public DbConnection Connection { get; }
    public DbTransaction Transaction { get; }

    /// <summary>
    /// Opens a writer on the caller's transaction, holding the archive's write lock until it ends. A
    /// long-lived writer (the webhook processor) passes a cache of chain heads and participants kept
    /// between transactions, and must clear it when its transaction does not commit. A stale head
    /// cannot fork a chain: the next sequence number is unique per conversation, so the insert fails instead.
    /// </summary>
    public static async Task<ArchiveWriter> OpenAsync(
        ComplianceHubDbContext db, DbTransaction transaction, IMessageSearch search, CancellationToken ct, ConversationStateCache? cache = null)
    {
        await db.LockArchiveWritesAsync(ct);
        return new ArchiveWriter(db, transaction, search, cache);
    }

    /// <summary>
    /// Loads a conversation's chain head and participants before messages are appended to it. With
    /// <paramref name="forExport"/> it also loads what an export is checked against: the dedup keys of
    /// every message and the minute and text of captured ones, 16 bytes each so large chats stay small.
    /// </summary>
    public async Task PrepareConversationAsync(long conversationId, bool forExport, CancellationToken ct)
    {
        if (_conversations.ContainsKey(conversationId))
        {
            return;
        }

        var state = new ConversationState();
        foreach (var participant in await _db.ChatParticipants.AsNoTracking().Where(p => p.ConversationId == conversationId).ToListAsync(ct))
        {
            state.Remember(participant.Id, participant.DisplayName, participant.PhoneE164, participant.WhatsAppUserId);
        }

        var head = await _db.ChatMessages.Where(m => m.ConversationId == conversationId)
            .OrderByDescending(m => m.ChainSequence)
            .Select(m => new { m.ChainSequence, m.Hash })
            .FirstOrDefaultAsync(ct);
        state.Sequence = head?.ChainSequence ?? 0;
        state.PreviousHash = head?.Hash ?? Audit.AuditEvent.GenesisHash;

        if (forExport)
        {
            await foreach (var key in _db.ChatMessages.Where(m => m.ConversationId == conversationId).Select(m => m.DedupKey).AsAsyncEnumerable().WithCancellation(ct))
            {
                state.ExistingKeys.Add(ParseKey(key));
            }

            // A message captured live and later seen again in an export of the same chat: same minute, same text.
            var captured = _db.ChatMessages.Where(m => m.ConversationId == conversationId && m.Source == MessageSource.Webhook && m.Kind == MessageKind.Text)
                .Select(m => new { m.SentAt, m.Body }).AsAsyncEnumerable();
            await foreach (var message in captured.WithCancellation(ct))
            {
                var key = ContentKey(message.SentAt, message.Body);
                state.CapturedContent[key] = state.CapturedContent.GetValueOrDefault(key) + 1;
            }

            if (_db.Database.IsSqlite())
            {
                // A bulk import touches index pages all over the file: give this connection a 32 MB page cache.
                await _db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -32768;", ct);
            }
        }

        _conversations[conversationId] = state;
    }

    /// <summary>
    /// Loads the chain heads and participants of many conversations in two set-based queries (the
    /// webhook path: one batch of deliveries touches many chats, each with only a few new messages).
    /// </summary>
    public async Task PrepareConversationsAsync(IReadOnlyCollection<long> conversationIds, CancellationToken ct)
    {
        var ids = new List<long>();
        foreach (var id in conversationIds.Distinct())
        {
            if (_conversations.ContainsKey(id))
            {
                continue;
            }

            if (_cache is not null && _cache.States.TryGetValue(id, out var cached))
            {
                _conversations[id] = cached;
            }
            else
            {
                ids.Add(id);
            }
        }

        if (ids.Count == 0)
        {
            return;
        }

        var states = ids.ToDictionary(id => id, _ => new ConversationState { PreviousHash = Audit.AuditEvent.GenesisHash });
        foreach (var participant in await _db.ChatParticipants.AsNoTracking().Where(p => ids.Contains(p.ConversationId)).ToListAsync(ct))
        {
            states[participant.ConversationId].Remember(participant.Id, participant.DisplayName, participant.PhoneE164, participant.WhatsAppUserId);
        }

        var heads = await _db.ChatMessages
            .Where(m => ids.Contains(m.ConversationId)
                && m.ChainSequence == _db.ChatMessages.Where(x => x.ConversationId == m.ConversationId).Max(x => x.ChainSequence))
            .Select(m => new { m.ConversationId, m.ChainSequence, m.Hash })
            .ToListAsync(ct);
        foreach (var head in heads)
        {
            states[head.ConversationId].Sequence = head.ChainSequence;
            states[head.ConversationId].PreviousHash = head.Hash;
        }

        foreach (var (id, state) in states)
        {
            _conversations[id] = state;
            _cache?.Add(id, state);
        }
    }

    /// <summary>
    /// True when an exported message is already in the conversation: from an earlier export (same
    /// key; repeats within one file have distinct keys already), or captured live by the webhook
    /// (same UTC minute and text, each captured message matched once).
    /// </summary>
    public bool IsAlreadyArchived(long conversationId, string dedupKey, DateTimeOffset sentAt, string body, MessageKind kind)
    {
        var state = _conversations[conversationId];
        if (state.ExistingKeys.Count > 0 && state.ExistingKeys.Contains(ParseKey(dedupKey)))
        {
            return true;
        }

        if (kind != MessageKind.Text || state.CapturedContent.Count == 0)
        {
            return false;
        }

        var content = ContentKey(sentAt, body);
        if (!state.CapturedContent.TryGetValue(content, out var count))
        {
            return false;
        }

        if (count == 1)
        {
            state.CapturedContent.Remove(content);
        }
        else
        {
            state.CapturedContent[content] = count - 1;
        }

        return true;
    }

    /// <summary>Appends a message (and its attachments) to the end of its conversation's chain.</summary>
    public AppendedMessage Append(long conversationId, ArchiveRecord record, DateTimeOffset now)
    {
        var state = _conversations[conversationId];
        long? participantId = record.Sender is null ? null : Participant(conversationId, state, record.Sender, now);

        state.Sequence++;
        var capture = record.Capture;
        var hash = ChatMessage.ComputeHash(
            conversationId, state.Sequence, record.SentAt, record.LocalTimestampText, record.TimeZoneId, record.TimestampFlag,
            participantId is { } sender ? state.NameOf(sender) : null, record.Body, record.Kind,
            record.IsEdited, record.Source, record.ImportBatchId, record.LineNumber, capture, record.Attachments, state.PreviousHash);

        var searchKey = _keys.Next(record.SentAt);
        var messageId = _insertMessage
            .Bind(1, conversationId).Bind(2, participantId).Bind(3, record.SentAt).Bind(4, record.LocalTimestampText).Bind(5, record.TimeZoneId)
            .Bind(6, (long)record.TimestampFlag).Bind(7, record.Body).Bind(8, (long)record.Kind).Bind(9, record.IsEdited)
            .Bind(10, (long)record.Source).Bind(11, record.ImportBatchId).Bind(12, record.LineNumber).Bind(13, record.DedupKey)
            .Bind(14, state.Sequence).Bind(15, state.PreviousHash).Bind(16, hash)
            .Bind(17, capture?.ExternalId).Bind(18, capture?.ReplyToExternalId).Bind(19, capture?.TargetExternalId)
            .Bind(20, capture?.WebhookDeliveryId).Bind(21, capture?.RawJson).Bind(22, searchKey)
            .Insert();
        _index.Add(searchKey, IndexText(record.Body, record.Attachments.Select(a => a.FileName)));
        var attachmentIds = record.Attachments.Count == 0 ? [] : new long[record.Attachments.Count];
        for (var i = 0; i < record.Attachments.Count; i++)
        {
            var attachment = record.Attachments[i];
            attachmentIds[i] = _insertAttachment.Bind(1, messageId).Bind(2, i).Bind(3, attachment.FileName).Bind(4, attachment.MediaType)
                .Bind(5, attachment.Length).Bind(6, attachment.Sha256).Bind(7, (long)attachment.Status).Insert();
        }

        state.PreviousHash = hash;
        return new AppendedMessage(messageId, attachmentIds);
    }

    /// <summary>Writes the search index entries still buffered; call before committing.</summary>
    public void Complete() => _index.Flush();

    /// <summary>Indexes every stored message for search in one transaction (after a migration emptied the index).</summary>
    public static async Task<int> RebuildSearchIndexAsync(ComplianceHubDbContext db, IMessageSearch search, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var connection = db.Database.GetDbConnection();
        await using var read = DbCommands.Create(connection, transaction.GetDbTransaction(), """
            SELECT m."SearchKey", m."Body", a."FileName"
            FROM (SELECT "Id", "SearchKey", "Body" FROM "ChatMessages" WHERE "SearchKey" > @after ORDER BY "SearchKey" LIMIT 10000) AS m
            LEFT JOIN "ChatAttachments" a ON a."MessageId" = m."Id"
            ORDER BY m."SearchKey", a."Ordinal"
            """, ("@after", long.MinValue));

        using var index = search.OpenIndexWriter(connection, transaction.GetDbTransaction());
        var count = 0;
        while (true)
        {
            // Read a page, then index it: one connection cannot read and write at once on every provider.
            var page = new List<(long Key, string Body, string? FileName)>();
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    page.Add((reader.GetInt64(0), reader.GetString(1), await reader.IsDBNullAsync(2, ct) ? null : reader.GetString(2)));
                }
            }

            if (page.Count == 0)
            {
                break;
            }

            foreach (var message in page.GroupBy(r => r.Key))
            {
                index.Add(message.Key, IndexText(message.First().Body, message.Where(r => r.FileName is not null).Select(r => r.FileName!)));
                count++;
            }

            index.Flush();
            read.Parameters[0].Value = page[^1].Key;
        }

        await transaction.CommitAsync(ct);
        return count;
    }

    /// <summary>What a message is found by: its text and its attachments' file names.</summary>
    internal static string IndexText(string body, IEnumerable<string> fileNames)
    {
        var text = SearchTokenizer.IndexText(body);
        foreach (var fileName in fileNames)
        {
            var name = SearchTokenizer.IndexText(fileName);
            text = text.Length == 0 ? name : name.Length == 0 ? text : text + " " + name;
        }

        return text;
    }

    public void Dispose()
    {
        _insertMessage.Dispose();
        _insertAttachment.Dispose();
        _insertParticipant.Dispose();
        _index.Dispose();
        _keys.Dispose();
    }

    private long Participant(long conversationId, ConversationState state, SenderIdentity sender, DateTimeOffset now)
    {
        if (state.Find(sender) is { } known)
        {
            return known;
        }

        // A different person under a name already taken in this chat gets their number added to it.
        var name = sender.DisplayName;
        if (state.NameTaken(name))
        {
            name = $"{name} ({sender.PhoneE164 ?? sender.WhatsAppUserId})";
        }

        var id = _insertParticipant.Bind(1, conversationId).Bind(2, name).Bind(3, sender.PhoneE164).Bind(4, sender.WhatsAppUserId).Bind(5, now).Insert();
        state.Remember(id, name, sender.PhoneE164, sender.WhatsAppUserId);
        return id;
    }

    private static UInt128 ParseKey(string key) => UInt128.Parse(key, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static UInt128 ContentKey(DateTimeOffset sentAt, string body)
    {
        var minute = sentAt.ToUnixTimeSeconds() / 60;
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(minute.ToString(CultureInfo.InvariantCulture) + "\n" + body.Trim()), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    internal sealed class ConversationState
    {
        private readonly Dictionary<string, long> _byName = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _byNumber = new(StringComparer.Ordinal);
        private readonly Dictionary<long, string> _names = [];
        private readonly HashSet<long> _numbered = [];

        public long Sequence { get; set; }
        public string PreviousHash { get; set; } = "";
        public HashSet<UInt128> ExistingKeys { get; } = [];
        public Dictionary<UInt128, int> CapturedContent { get; } = [];

        public void Remember(long id, string name, string? phone, string? userId)
        {
            _byName[name] = id;
            _names[id] = name;
            if (phone is not null || userId is not null)
            {
                _numbered.Add(id);
            }

            if (phone is not null)
            {
                _byNumber["p:" + phone] = id;
            }

            if (userId is not null)
            {
                _byNumber["u:" + userId] = id;
            }
        }

        /// <summary>By number or user id when the capture has one (names change), else by the name an export shows.</summary>
        public long? Find(SenderIdentity sender)
        {
            if (sender.PhoneE164 is { } phone && _byNumber.TryGetValue("p:" + phone, out var id))
            {
                return id;
            }

            if (sender.WhatsAppUserId is { } user && _byNumber.TryGetValue("u:" + user, out id))
            {
                return id;
            }

            // A name matches when one side has no number to disagree with (an export shows only names).
            var hasNumber = sender.PhoneE164 is not null || sender.WhatsAppUserId is not null;
            return _byName.TryGetValue(sender.DisplayName, out id) && (!hasNumber || !_numbered.Contains(id)) ? id : null;
        }

        public bool NameTaken(string name) => _byName.ContainsKey(name);

        /// <summary>The stored name of a participant: the one hashed into the chain.</summary>
        public string NameOf(long participantId) => _names[participantId];
    }
}

internal sealed record AppendedMessage(long Id, long[] AttachmentIds);

/// <summary>Conversation chain heads and participants kept by a long-lived writer between its transactions.</summary>
internal sealed class ConversationStateCache
{
    private const int MaxConversations = 20_000;

    internal System.Collections.Concurrent.ConcurrentDictionary<long, ArchiveWriter.ConversationState> States { get; } = new();

    internal void Add(long conversationId, ArchiveWriter.ConversationState state)
    {
        if (States.Count >= MaxConversations)
        {
            States.Clear();
        }

        States[conversationId] = state;
    }

    public void Clear() => States.Clear();
}
