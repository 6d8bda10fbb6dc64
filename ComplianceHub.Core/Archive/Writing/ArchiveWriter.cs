using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ComplianceHub.Core.Archive.Writing;

/// <summary>
/// The one write path into the archive, for imports and webhook capture alike: prepared raw inserts on
/// the writer's own transaction (tracked EF entities cap imports at a fraction of what the database
/// takes, perf-notes.md), each message chained to its conversation's previous one, given its search key
/// and indexed for search in the same transaction. Opened only by <see cref="ArchiveWriteGate.BeginAsync"/>,
/// so a writer always holds the archive's write turn; other work on the same context (conversations,
/// import batches, audit) joins its transaction.
/// </summary>
internal sealed class ArchiveWriter : IAsyncDisposable
{
    private readonly ComplianceHubDbContext _db;
    private readonly Dictionary<long, ConversationState> _conversations = [];
    private readonly ISearchIndex _searchIndex;
    private readonly ConversationStateCache? _cache;
    private readonly Action? _committed;
    private readonly Func<CancellationToken, Task<(IDisposable Turn, IDbContextTransaction Transaction)>> _reopen;

    /// <summary>Told once when the writer is disposed (the gate's count of long writers).</summary>
    private Action? _closed;
    private IDbContextTransaction _transaction;
    private IDisposable _turn;
    private IBulkInsert _insertMessage = null!;
    private IBulkInsert _insertAttachment = null!;
    private IBulkInsert _insertParticipant = null!;
    private IBulkInsert? _insertExportSource;
    private ISearchIndexWriter _index = null!;
    private SearchKeyAllocator _keys = null!;
    private bool _open;

    internal ArchiveWriter(
        ComplianceHubDbContext db, IDbContextTransaction transaction, IDisposable turn, ISearchIndex index, ConversationStateCache? cache,
        Action? committed, Func<CancellationToken, Task<(IDisposable Turn, IDbContextTransaction Transaction)>> reopen, Action? closed = null)
    {
        _db = db;
        _transaction = transaction;
        _turn = turn;
        _searchIndex = index;
        _cache = cache;
        _committed = committed;
        _reopen = reopen;
        _closed = closed;
        Open();
    }

    /// <summary>Prepares the inserts, the index writer and the key allocator on the current transaction.</summary>
    private void Open()
    {
        var connection = _db.Database.GetDbConnection();
        var dbTransaction = _transaction.GetDbTransaction();
        _insertMessage = BulkInsert.Prepare(connection, dbTransaction, "ChatMessages",
            "ConversationId", "ParticipantId", "SentAt", "LocalTimestampText", "TimeZoneId", "TimestampFlag", "Body", "Kind", "IsEdited",
            "KindUncertain", "Source", "ImportBatchId", "LineNumber", "DedupKey", "ChainSequence", "PreviousHash", "Hash",
            "ExternalId", "ReplyToExternalId", "TargetExternalId", "WebhookDeliveryId", "RawJson", "SearchKey");
        _insertAttachment = BulkInsert.Prepare(connection, dbTransaction, "ChatAttachments",
            "MessageId", "Ordinal", "FileName", "MediaType", "Length", "Sha256", "Status");
        _insertParticipant = BulkInsert.Prepare(connection, dbTransaction, "ChatParticipants",
            "ConversationId", "DisplayName", "PhoneE164", "WhatsAppUserId", "FirstSeenAt");
        _index = _searchIndex.OpenWriter(connection, dbTransaction);
        _keys = new SearchKeyAllocator(connection, dbTransaction);
        _open = true;
    }

    private void Close()
    {
        if (!_open)
        {
            return;
        }

        _open = false;
        _insertMessage.Dispose();
        _insertAttachment.Dispose();
        _insertParticipant.Dispose();
        _insertExportSource?.Dispose();
        _insertExportSource = null;
        _index.Dispose();
        _keys.Dispose();
    }

    /// <summary>
    /// Commits what was written so far and gives the write turn and the database's write lock to whoever waits
    /// for them, then takes them back and goes on in a new transaction: a long import lets sign-ins, the audit
    /// trail and webhook capture write between its steps. What it wrote stays invisible to readers until its
    /// batch completes (<see cref="ArchiveVisibility"/>), and no one else appends to its conversation meanwhile,
    /// so the chain heads held here stay true.
    /// </summary>
    public async Task CommitStepAsync(CancellationToken ct)
    {
        await CommitAsync(ct);
        Close();
        await _transaction.DisposeAsync();
        _turn.Dispose();
        if (_db.Database.IsSqlite())
        {
            // One write lock for everyone: let saves that are under way have it (PostgreSQL has no such lock).
            await WriteContention.LetOthersInAsync(ct);
        }

        (_turn, _transaction) = await _reopen(ct);
        Open();
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

        // The chain goes on from its true head, whether or not readers see it yet (ArchiveVisibility), and whether or not a
        // disposition has removed it since (its tombstone holds its place and hash).
        var head = await _db.ChatMessages.IgnoreQueryFilters().Where(m => m.ConversationId == conversationId)
            .OrderByDescending(m => m.ChainSequence)
            .Select(m => new { m.ChainSequence, m.Hash })
            .FirstOrDefaultAsync(ct);
        var removedHead = await _db.MessageTombstones.Where(t => t.ConversationId == conversationId)
            .OrderByDescending(t => t.ChainSequence)
            .Select(t => new { t.ChainSequence, t.Hash })
            .FirstOrDefaultAsync(ct);
        if (removedHead is not null && (head is null || removedHead.ChainSequence > head.ChainSequence))
        {
            head = removedHead;
        }

        state.Sequence = head?.ChainSequence ?? 0;
        state.PreviousHash = head?.Hash ?? Audit.AuditEvent.GenesisHash;

        if (forExport)
        {
            await foreach (var key in _db.ChatMessages.IgnoreQueryFilters().Where(m => m.ConversationId == conversationId).Select(m => m.DedupKey).AsAsyncEnumerable().WithCancellation(ct))
            {
                state.ExistingKeys.Add(ParseKey(key));
            }

            // Export lines already recorded as second sources of captured messages.
            await foreach (var key in _db.MessageExportSources.Where(s => s.ConversationId == conversationId).Select(s => s.DedupKey).AsAsyncEnumerable().WithCancellation(ct))
            {
                state.ExistingKeys.Add(ParseKey(key));
            }

            // Messages captured live that an export of the same chat may hold again: same minute, same text, same sender.
            var captured = _db.ChatMessages
                .Where(m => m.ConversationId == conversationId && m.Source == MessageSource.Webhook && m.Kind == MessageKind.Text
                    && !_db.MessageExportSources.Any(s => s.MessageId == m.Id))
                .Select(m => new { m.Id, m.ParticipantId, m.SentAt, m.Body }).AsAsyncEnumerable();
            await foreach (var message in captured.WithCancellation(ct))
            {
                var key = ContentKey(message.SentAt, message.Body);
                if (!state.Captured.TryGetValue(key, out var list))
                {
                    state.Captured[key] = list = [];
                }

                list.Add(new CapturedMessage(message.Id, message.ParticipantId));
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

        var heads = await _db.ChatMessages.IgnoreQueryFilters()
            .Where(m => ids.Contains(m.ConversationId)
                && m.ChainSequence == _db.ChatMessages.IgnoreQueryFilters().Where(x => x.ConversationId == m.ConversationId).Max(x => x.ChainSequence))
            .Select(m => new { m.ConversationId, m.ChainSequence, m.Hash })
            .ToListAsync(ct);
        var removedHeads = await _db.MessageTombstones
            .Where(t => ids.Contains(t.ConversationId)
                && t.ChainSequence == _db.MessageTombstones.Where(x => x.ConversationId == t.ConversationId).Max(x => x.ChainSequence))
            .Select(t => new { t.ConversationId, t.ChainSequence, t.Hash })
            .ToListAsync(ct);
        foreach (var head in heads.Concat(removedHeads))
        {
            if (head.ChainSequence > states[head.ConversationId].Sequence)
            {
                states[head.ConversationId].Sequence = head.ChainSequence;
                states[head.ConversationId].PreviousHash = head.Hash;
            }
        }

        foreach (var (id, state) in states)
        {
            _conversations[id] = state;
            _cache?.Add(id, state);
        }
    }

    /// <summary>
    /// True when an exported message is already in the conversation from an earlier export, as a message or as
    /// a second source of a captured one (same key; repeats within one file have distinct keys already).
    /// </summary>
    public bool IsAlreadyArchived(long conversationId, string dedupKey)
    {
        var state = _conversations[conversationId];
        return state.ExistingKeys.Count > 0 && state.ExistingKeys.Contains(ParseKey(dedupKey));
    }

    /// <summary>True while the conversation has captured messages no export line has been linked to.</summary>
    public bool HasUnlinkedCaptures(long conversationId) => _conversations[conversationId].Captured.Count > 0;

    /// <summary>
    /// Records an export line as a second source of the message the webhook captured, when there is one (same
    /// UTC minute, text and sender: <see cref="ConversationState.TakeCaptured"/>); returns its id, or null when
    /// the line is new to the archive.
    /// </summary>
    public long? LinkToCaptured(long conversationId, ArchiveRecord exported, DateTimeOffset now)
    {
        var state = _conversations[conversationId];
        if (exported.Kind != MessageKind.Text || state.Captured.Count == 0
            || state.TakeCaptured(ContentKey(exported.SentAt, exported.Body), exported.Sender?.DisplayName, exported.Sender?.PhoneE164) is not { } messageId)
        {
            return null;
        }

        _insertExportSource ??= BulkInsert.Prepare(_db.Database.GetDbConnection(), _transaction.GetDbTransaction(), "MessageExportSources",
            "ConversationId", "MessageId", "ImportBatchId", "LineNumber", "LocalTimestampText", "TimeZoneId", "Author", "DedupKey", "RecordedAt");
        _insertExportSource.Bind(1, conversationId).Bind(2, messageId).Bind(3, exported.ImportBatchId).Bind(4, exported.LineNumber)
            .Bind(5, exported.LocalTimestampText).Bind(6, exported.TimeZoneId).Bind(7, exported.Sender?.DisplayName).Bind(8, exported.DedupKey)
            .Bind(9, now).Insert();
        return messageId;
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
            record.IsEdited, record.KindUncertain, record.Source, record.ImportBatchId, record.LineNumber, capture, record.Attachments, state.PreviousHash);

        var searchKey = _keys.Next(record.SentAt);
        var messageId = _insertMessage
            .Bind(1, conversationId).Bind(2, participantId).Bind(3, record.SentAt).Bind(4, record.LocalTimestampText).Bind(5, record.TimeZoneId)
            .Bind(6, (long)record.TimestampFlag).Bind(7, record.Body).Bind(8, (long)record.Kind).Bind(9, record.IsEdited)
            .Bind(10, record.KindUncertain).Bind(11, (long)record.Source).Bind(12, record.ImportBatchId).Bind(13, record.LineNumber)
            .Bind(14, record.DedupKey).Bind(15, state.Sequence).Bind(16, state.PreviousHash).Bind(17, hash)
            .Bind(18, capture?.ExternalId).Bind(19, capture?.ReplyToExternalId).Bind(20, capture?.TargetExternalId)
            .Bind(21, capture?.WebhookDeliveryId).Bind(22, capture?.RawJson).Bind(23, searchKey)
            .Insert();
        _index.Add(searchKey, record.Body, record.Attachments.Select(a => a.FileName));
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

    /// <summary>Writes the search index entries still buffered and commits everything done on the writer's context.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        _index.Flush();
        await _transaction.CommitAsync(ct);
        _committed?.Invoke();
    }

    /// <summary>Rolls back what was not committed and gives up the write turn.</summary>
    public async ValueTask DisposeAsync()
    {
        Close();
        await _transaction.DisposeAsync();
        _turn.Dispose();
        Interlocked.Exchange(ref _closed, null)?.Invoke();
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
}
