using System.Data.Common;

namespace ComplianceHub.Core.Storage;

/// <summary>Raw SQL on a DbContext's connection, for the few paths EF cannot express or must not slow down.</summary>
internal static class DbCommands
{
    /// <summary>A command for <paramref name="sql"/> with named parameters (<c>@name</c> on every provider).</summary>
    public static DbCommand Create(DbConnection connection, DbTransaction? transaction, string sql, params IEnumerable<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
