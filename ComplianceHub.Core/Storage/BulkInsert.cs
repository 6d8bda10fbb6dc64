using System.Data.Common;
using ComplianceHub.Core.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace ComplianceHub.Core.Storage;

/// <summary>
/// A prepared single-row INSERT for bulk paths, bound by 1-based column position and run inside the
/// connection's open transaction. <see cref="Insert"/> returns the new row's id.
/// </summary>
internal interface IBulkInsert : IDisposable
{
    IBulkInsert Bind(int position, long? value);

    IBulkInsert Bind(int position, string? value);

    IBulkInsert Bind(int position, bool value);

    IBulkInsert Bind(int position, byte[]? value);

    /// <summary>Instants in the provider's stored form (Unix milliseconds on SQLite, timestamptz on PostgreSQL).</summary>
    IBulkInsert Bind(int position, DateTimeOffset value);

    long Insert();
}

internal static class BulkInsert
{
    /// <summary>
    /// An insert into <paramref name="table"/>'s <paramref name="columns"/>: on SQLite a statement on the
    /// connection's own handle (no per-row name lookups), elsewhere a reused ADO.NET command.
    /// </summary>
    public static IBulkInsert Prepare(DbConnection connection, DbTransaction transaction, string table, params string[] columns)
    {
        var names = string.Join(", ", columns.Select(c => $"\"{c}\""));
        if (connection is SqliteConnection sqlite)
        {
            var positions = string.Join(", ", columns.Select((_, i) => $"?{i + 1}"));
            return new SqliteBulkStatement(sqlite, $"INSERT INTO \"{table}\" ({names}) VALUES ({positions})");
        }

        var parameters = string.Join(", ", columns.Select((_, i) => $"@p{i + 1}"));
        return new CommandBulkInsert(connection, transaction, $"INSERT INTO \"{table}\" ({names}) VALUES ({parameters}) RETURNING \"Id\"", columns.Length);
    }

    /// <summary>A reused ADO.NET command for <paramref name="sql"/> with parameters <c>@p1</c>…; <see cref="IBulkInsert.Insert"/> returns its scalar result, or 0.</summary>
    public static IBulkInsert PrepareCommand(DbConnection connection, DbTransaction transaction, string sql, int parameterCount) =>
        new CommandBulkInsert(connection, transaction, sql, parameterCount);

    private sealed class CommandBulkInsert : IBulkInsert
    {
        private readonly DbCommand _command;

        public CommandBulkInsert(DbConnection connection, DbTransaction transaction, string sql, int parameterCount)
        {
            _command = connection.CreateCommand();
            _command.Transaction = transaction;
            _command.CommandText = sql;
            for (var i = 1; i <= parameterCount; i++)
            {
                var parameter = _command.CreateParameter();
                parameter.ParameterName = $"@p{i}";
                _command.Parameters.Add(parameter);
            }
        }

        public IBulkInsert Bind(int position, long? value) => Set(position, value);

        public IBulkInsert Bind(int position, string? value) => Set(position, value);

        public IBulkInsert Bind(int position, bool value) => Set(position, value);

        public IBulkInsert Bind(int position, byte[]? value) => Set(position, value);

        public IBulkInsert Bind(int position, DateTimeOffset value) => Set(position, value.ToUniversalTime());

        public long Insert() => _command.ExecuteScalar() is { } id and not DBNull ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture) : 0;

        public void Dispose() => _command.Dispose();

        private CommandBulkInsert Set(int position, object? value)
        {
            _command.Parameters[position - 1].Value = value ?? DBNull.Value;
            return this;
        }
    }
}
