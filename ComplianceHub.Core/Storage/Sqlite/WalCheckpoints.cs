using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ComplianceHub.Core.Storage.Sqlite;

/// <summary>
/// Moves SQLite's WAL checkpoints off the commit path in a long-running host. By default the
/// connection whose commit crosses 1,000 WAL pages copies them into the database file inside that
/// commit, which shows up as a 5–20 ms stall of whichever request commits next (measured with
/// <c>bench webhook</c>). The web host turns automatic checkpoints off on its connections and runs a
/// passive checkpoint in the background instead; a passive checkpoint never blocks readers or writers.
/// Command-line verbs keep SQLite's default.
/// </summary>
public sealed class WalCheckpoints(StorageSettings settings)
{
    /// <summary>Checkpoints what the WAL holds; returns the frames copied, or -1 when not on SQLite.</summary>
    public async Task<int> CheckpointAsync(CancellationToken ct)
    {
        if (settings.Provider != DatabaseProvider.Sqlite)
        {
            return -1;
        }

        await using var connection = new SqliteConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? reader.GetInt32(2) : 0;
    }
}

/// <summary>Turns off commit-time checkpoints on every connection EF opens (see <see cref="WalCheckpoints"/>).</summary>
internal sealed class NoAutoCheckpointInterceptor : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Disable(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Disable(connection);
        return Task.CompletedTask;
    }

    private static void Disable(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_autocheckpoint=0;";
#pragma warning disable CA1849 // A pragma on an open local connection: no I/O to wait for.
        command.ExecuteNonQuery();
#pragma warning restore CA1849
    }
}
