using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ComplianceHub.Core.Storage.Sqlite;

/// <summary>
/// A prepared statement on an open <see cref="SqliteConnection"/>'s own handle, bound by position.
/// Bulk imports run millions of inserts; binding by index skips the per-execution name lookups of
/// <see cref="SqliteCommand"/>. It runs inside whatever transaction the connection has open.
/// </summary>
internal sealed class SqliteBulkStatement : IBulkInsert
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteBulkStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    /// <summary>Positions are 1-based, as in SQLite.</summary>
    public IBulkInsert Bind(int position, long? value)
    {
        if (value is not { } v)
        {
            return BindNull(position);
        }

        Check(raw.sqlite3_bind_int64(_statement, position, v));
        return this;
    }

    public IBulkInsert Bind(int position, bool value) => Bind(position, value ? 1L : 0L);

    public IBulkInsert Bind(int position, byte[]? value)
    {
        if (value is null)
        {
            return BindNull(position);
        }

        Check(raw.sqlite3_bind_blob(_statement, position, value));
        return this;
    }

    /// <summary>The SQLite model stores instants as Unix milliseconds (UnixMillisecondsConverter).</summary>
    public IBulkInsert Bind(int position, DateTimeOffset value) => Bind(position, value.ToUnixTimeMilliseconds());

    public IBulkInsert Bind(int position, string? value)
    {
        if (value is null)
        {
            return BindNull(position);
        }

        Check(raw.sqlite3_bind_text(_statement, position, value));
        return this;
    }

    /// <summary>Runs the statement once and returns the new row's rowid.</summary>
    public long Insert()
    {
        var result = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_DONE)
        {
            throw new SqliteException($"SQLite error {result}: {raw.sqlite3_errmsg(_db).utf8_to_string()}", result);
        }

        return raw.sqlite3_last_insert_rowid(_db);
    }

    public void Dispose() => _statement.Dispose();

    private SqliteBulkStatement BindNull(int position)
    {
        Check(raw.sqlite3_bind_null(_statement, position));
        return this;
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite error {result}: {raw.sqlite3_errmsg(_db).utf8_to_string()}", result);
        }
    }
}
