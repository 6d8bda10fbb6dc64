using System.Data.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// The bulk path into one conversation: prepared raw inserts on the import's own connection and
/// transaction (tracked EF entities cap imports at a fraction of what the database takes,
/// perf-notes.md), each message chained to the conversation's previous one.
/// </summary>
internal sealed class ArchiveWriter : IDisposable
{
    private readonly long _conversationId;
    private readonly HashSet<UInt128> _existingKeys;
    private readonly Dictionary<string, long> _participants;
    private readonly IBulkInsert _insertMessage;
    private readonly IBulkInsert _insertAttachment;
    private readonly IBulkInsert _insertParticipant;
    private long _sequence;
    private string _previousHash;

    private ArchiveWriter(
        DbConnection connection, DbTransaction transaction, long conversationId, HashSet<UInt128> existingKeys,
        Dictionary<string, long> participants, long sequence, string previousHash, long lastIdBefore)
    {
        Connection = connection;
        Transaction = transaction;
        _conversationId = conversationId;
        _existingKeys = existingKeys;
        _participants = participants;
        _sequence = sequence;
        _previousHash = previousHash;
        LastIdBefore = lastIdBefore;

        _insertMessage = BulkInsert.Prepare(connection, transaction, "ChatMessages",
            "ConversationId", "ParticipantId", "SentAt", "LocalTimestampText", "TimeZoneId", "TimestampFlag", "Body", "Kind", "IsEdited",
            "Source", "ImportBatchId", "LineNumber", "DedupKey", "ChainSequence", "PreviousHash", "Hash");
        _insertAttachment = BulkInsert.Prepare(connection, transaction, "ChatAttachments",
            "MessageId", "Ordinal", "FileName", "MediaType", "Length", "Sha256", "Status");
        _insertParticipant = BulkInsert.Prepare(connection, transaction, "ChatParticipants",
            "ConversationId", "DisplayName", "PhoneE164", "FirstSeenAt");
    }

    public DbConnection Connection { get; }
    public DbTransaction Transaction { get; }

    /// <summary>The highest message id before this writer's first insert (for the search index).</summary>
    public long LastIdBefore { get; }

    public static async Task<ArchiveWriter> OpenAsync(ComplianceHubDbContext db, DbTransaction transaction, long conversationId, CancellationToken ct)
    {
        // Keys of what the conversation already holds, 16 bytes each: memory stays small for large chats.
        var existingKeys = new HashSet<UInt128>();
        await foreach (var key in db.ChatMessages.Where(m => m.ConversationId == conversationId).Select(m => m.DedupKey).AsAsyncEnumerable().WithCancellation(ct))
        {
            existingKeys.Add(UInt128.Parse(key, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture));
        }

        var participants = await db.ChatParticipants.Where(p => p.ConversationId == conversationId)
            .ToDictionaryAsync(p => p.DisplayName, p => p.Id, StringComparer.Ordinal, ct);
        var head = await db.ChatMessages.Where(m => m.ConversationId == conversationId)
            .OrderByDescending(m => m.ChainSequence)
            .Select(m => new { m.ChainSequence, m.Hash })
            .FirstOrDefaultAsync(ct);
        var lastId = await db.ChatMessages.MaxAsync(m => (long?)m.Id, ct) ?? 0;
        if (db.Database.IsSqlite())
        {
            // A bulk import touches index pages all over the file: give this connection a 32 MB page cache.
            await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -32768;", ct);
        }

        return new ArchiveWriter(
            db.Database.GetDbConnection(), transaction, conversationId, existingKeys, participants,
            head?.ChainSequence ?? 0, head?.Hash ?? Audit.AuditEvent.GenesisHash, lastId);
    }

    /// <summary>
    /// True when the conversation held no message with this key before the import. Repeats within one
    /// file are distinct messages already (their keys count occurrences), so new keys need no remembering.
    /// </summary>
    public bool IsNew(string dedupKey) =>
        _existingKeys.Count == 0
        || !_existingKeys.Contains(UInt128.Parse(dedupKey, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture));

    public void Append(ReadMessage message, string timeZoneId, long batchId, IReadOnlyList<ChatAttachment> attachments, DateTimeOffset now)
    {
        var parsed = message.Parsed;
        var sender = parsed.IsSystem ? null : parsed.Author;
        long? participantId = sender is null ? null : Participant(sender, parsed.AuthorPhone, now);

        _sequence++;
        var hash = ChatMessage.ComputeHash(
            _conversationId, _sequence, message.Utc, parsed.TimestampText, timeZoneId, message.Flag, sender, parsed.Body, parsed.Kind,
            parsed.IsEdited, MessageSource.Export, batchId, parsed.LineNumber, attachments, _previousHash);

        var messageId = _insertMessage
            .Bind(1, _conversationId).Bind(2, participantId).Bind(3, message.Utc).Bind(4, parsed.TimestampText).Bind(5, timeZoneId)
            .Bind(6, (long)message.Flag).Bind(7, parsed.Body).Bind(8, (long)parsed.Kind).Bind(9, parsed.IsEdited)
            .Bind(10, (long)MessageSource.Export).Bind(11, batchId).Bind(12, parsed.LineNumber).Bind(13, message.DedupKey)
            .Bind(14, _sequence).Bind(15, _previousHash).Bind(16, hash)
            .Insert();
        for (var i = 0; i < attachments.Count; i++)
        {
            var attachment = attachments[i];
            _insertAttachment.Bind(1, messageId).Bind(2, i).Bind(3, attachment.FileName).Bind(4, attachment.MediaType)
                .Bind(5, attachment.Length).Bind(6, attachment.Sha256).Bind(7, (long)attachment.Status).Insert();
        }

        _previousHash = hash;
    }

    public void Dispose()
    {
        _insertMessage.Dispose();
        _insertAttachment.Dispose();
        _insertParticipant.Dispose();
    }

    private long Participant(string displayName, string? phone, DateTimeOffset now)
    {
        if (!_participants.TryGetValue(displayName, out var id))
        {
            id = _insertParticipant.Bind(1, _conversationId).Bind(2, displayName).Bind(3, phone).Bind(4, now).Insert();
            _participants[displayName] = id;
        }

        return id;
    }
}
