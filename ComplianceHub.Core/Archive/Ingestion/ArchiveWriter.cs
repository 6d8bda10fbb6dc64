using System.Data.Common;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Archive.Ingestion;

/// <summary>
/// The bulk path into one conversation: prepared raw inserts on the import's own connection and
/// transaction (tracked EF entities cap imports at a fraction of what the database takes,
/// perf-notes.md), each message chained to the conversation's previous one.
/// </summary>
internal sealed class ArchiveWriter : IAsyncDisposable
{
    private readonly bool _sqlite;
    private readonly long _conversationId;
    private readonly HashSet<UInt128> _existingKeys;
    private readonly Dictionary<string, long> _participants;
    private readonly DbCommand _insertMessage;
    private readonly DbCommand _insertAttachment;
    private readonly DbCommand _insertParticipant;

    // SQLite: the same three inserts, prepared on the connection's handle and bound by position.
    private readonly SqliteBulkStatement? _sqliteMessage;
    private readonly SqliteBulkStatement? _sqliteAttachment;
    private readonly SqliteBulkStatement? _sqliteParticipant;
    private long _sequence;
    private string _previousHash;

    private ArchiveWriter(
        DbConnection connection, DbTransaction transaction, bool sqlite, long conversationId, HashSet<UInt128> existingKeys,
        Dictionary<string, long> participants, long sequence, string previousHash, long lastIdBefore)
    {
        Connection = connection;
        Transaction = transaction;
        _sqlite = sqlite;
        _conversationId = conversationId;
        _existingKeys = existingKeys;
        _participants = participants;
        _sequence = sequence;
        _previousHash = previousHash;
        LastIdBefore = lastIdBefore;

        _insertMessage = Command("""
            INSERT INTO "ChatMessages" ("ConversationId", "ParticipantId", "SentAt", "LocalTimestampText", "TimeZoneId", "TimestampFlag",
                "Body", "Kind", "IsEdited", "Source", "ImportBatchId", "LineNumber", "DedupKey", "ChainSequence", "PreviousHash", "Hash")
            VALUES (@conversation, @participant, @sentAt, @localText, @zone, @flag, @body, @kind, @edited, @source, @batch, @line,
                @dedup, @sequence, @previousHash, @hash)
            RETURNING "Id"
            """, "conversation", "participant", "sentAt", "localText", "zone", "flag", "body", "kind", "edited", "source", "batch",
            "line", "dedup", "sequence", "previousHash", "hash");
        _insertAttachment = Command("""
            INSERT INTO "ChatAttachments" ("MessageId", "Ordinal", "FileName", "MediaType", "Length", "Sha256", "Status")
            VALUES (@message, @ordinal, @file, @type, @length, @sha, @status)
            """, "message", "ordinal", "file", "type", "length", "sha", "status");
        _insertParticipant = Command("""
            INSERT INTO "ChatParticipants" ("ConversationId", "DisplayName", "PhoneE164", "FirstSeenAt")
            VALUES (@conversation, @name, @phone, @seen)
            RETURNING "Id"
            """, "conversation", "name", "phone", "seen");

        if (sqlite)
        {
            var handle = (SqliteConnection)connection;
            _sqliteMessage = new SqliteBulkStatement(handle, """
                INSERT INTO "ChatMessages" ("ConversationId", "ParticipantId", "SentAt", "LocalTimestampText", "TimeZoneId", "TimestampFlag",
                    "Body", "Kind", "IsEdited", "Source", "ImportBatchId", "LineNumber", "DedupKey", "ChainSequence", "PreviousHash", "Hash")
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
                """);
            _sqliteAttachment = new SqliteBulkStatement(handle, """
                INSERT INTO "ChatAttachments" ("MessageId", "Ordinal", "FileName", "MediaType", "Length", "Sha256", "Status")
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                """);
            _sqliteParticipant = new SqliteBulkStatement(handle, """
                INSERT INTO "ChatParticipants" ("ConversationId", "DisplayName", "PhoneE164", "FirstSeenAt") VALUES (?1, ?2, ?3, ?4)
                """);
        }
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
            db.Database.GetDbConnection(), transaction, db.Database.IsSqlite(), conversationId, existingKeys, participants,
            head?.ChainSequence ?? 0, head?.Hash ?? Audit.AuditEvent.GenesisHash, lastId);
    }

    /// <summary>
    /// True when the conversation held no message with this key before the import. Repeats within one
    /// file are distinct messages already (their keys count occurrences), so new keys need no remembering.
    /// </summary>
    public bool IsNew(string dedupKey) =>
        _existingKeys.Count == 0
        || !_existingKeys.Contains(UInt128.Parse(dedupKey, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture));

    public async Task AppendAsync(
        ReadMessage message, string timeZoneId, long batchId, IReadOnlyList<ChatAttachment> attachments, DateTimeOffset now, CancellationToken ct)
    {
        var parsed = message.Parsed;
        var sender = parsed.IsSystem ? null : parsed.Author;
        long? participantId = sender is null ? null : await ParticipantAsync(sender, parsed.AuthorPhone, now, ct);

        _sequence++;
        var hash = ChatMessage.ComputeHash(
            _conversationId, _sequence, message.Utc, parsed.TimestampText, timeZoneId, message.Flag, sender, parsed.Body, parsed.Kind,
            parsed.IsEdited, MessageSource.Export, batchId, parsed.LineNumber, attachments, _previousHash);

        long messageId;
        if (_sqliteMessage is not null)
        {
            messageId = _sqliteMessage
                .Bind(1, _conversationId).Bind(2, participantId).Bind(3, message.Utc.ToUnixTimeMilliseconds()).Bind(4, parsed.TimestampText)
                .Bind(5, timeZoneId).Bind(6, (long)message.Flag).Bind(7, parsed.Body).Bind(8, (long)parsed.Kind).Bind(9, parsed.IsEdited)
                .Bind(10, (long)MessageSource.Export).Bind(11, batchId).Bind(12, parsed.LineNumber).Bind(13, message.DedupKey)
                .Bind(14, _sequence).Bind(15, _previousHash).Bind(16, hash)
                .Insert();
        }
        else
        {
            Set(_insertMessage, 0, _conversationId);
            Set(_insertMessage, 1, participantId);
            Set(_insertMessage, 2, Instant(message.Utc));
            Set(_insertMessage, 3, parsed.TimestampText);
            Set(_insertMessage, 4, timeZoneId);
            Set(_insertMessage, 5, (int)message.Flag);
            Set(_insertMessage, 6, parsed.Body);
            Set(_insertMessage, 7, (int)parsed.Kind);
            Set(_insertMessage, 8, parsed.IsEdited);
            Set(_insertMessage, 9, (int)MessageSource.Export);
            Set(_insertMessage, 10, batchId);
            Set(_insertMessage, 11, parsed.LineNumber);
            Set(_insertMessage, 12, message.DedupKey);
            Set(_insertMessage, 13, _sequence);
            Set(_insertMessage, 14, _previousHash);
            Set(_insertMessage, 15, hash);
            messageId = Convert.ToInt64(await _insertMessage.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }

        for (var i = 0; i < attachments.Count; i++)
        {
            var attachment = attachments[i];
            if (_sqliteAttachment is not null)
            {
                _sqliteAttachment.Bind(1, messageId).Bind(2, i).Bind(3, attachment.FileName).Bind(4, attachment.MediaType)
                    .Bind(5, attachment.Length).Bind(6, attachment.Sha256).Bind(7, (long)attachment.Status).Insert();
                continue;
            }

            Set(_insertAttachment, 0, messageId);
            Set(_insertAttachment, 1, i);
            Set(_insertAttachment, 2, attachment.FileName);
            Set(_insertAttachment, 3, attachment.MediaType);
            Set(_insertAttachment, 4, attachment.Length);
            Set(_insertAttachment, 5, attachment.Sha256);
            Set(_insertAttachment, 6, (int)attachment.Status);
            await _insertAttachment.ExecuteNonQueryAsync(ct);
        }

        _previousHash = hash;
    }

    public async ValueTask DisposeAsync()
    {
        _sqliteMessage?.Dispose();
        _sqliteAttachment?.Dispose();
        _sqliteParticipant?.Dispose();
        await _insertMessage.DisposeAsync();
        await _insertAttachment.DisposeAsync();
        await _insertParticipant.DisposeAsync();
    }

    private async Task<long> ParticipantAsync(string displayName, string? phone, DateTimeOffset now, CancellationToken ct)
    {
        if (_participants.TryGetValue(displayName, out var id))
        {
            return id;
        }

        if (_sqliteParticipant is not null)
        {
            id = _sqliteParticipant.Bind(1, _conversationId).Bind(2, displayName).Bind(3, phone).Bind(4, now.ToUnixTimeMilliseconds()).Insert();
        }
        else
        {
            Set(_insertParticipant, 0, _conversationId);
            Set(_insertParticipant, 1, displayName);
            Set(_insertParticipant, 2, phone);
            Set(_insertParticipant, 3, Instant(now));
            id = Convert.ToInt64(await _insertParticipant.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }

        _participants[displayName] = id;
        return id;
    }

    /// <summary>Instants as each provider's model stores them: Unix milliseconds on SQLite, timestamptz on PostgreSQL.</summary>
    private object Instant(DateTimeOffset value) => _sqlite ? value.ToUnixTimeMilliseconds() : value.ToUniversalTime();

    private DbCommand Command(string sql, params string[] parameters)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static void Set(DbCommand command, int index, object? value) => command.Parameters[index].Value = value ?? DBNull.Value;
}
