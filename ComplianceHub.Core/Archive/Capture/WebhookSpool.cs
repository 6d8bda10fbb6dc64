using ComplianceHub.Core.Storage;
using Microsoft.Data.Sqlite;

namespace ComplianceHub.Core.Archive.Capture;

/// <summary>
/// Where the inbox puts verified payloads, durably, when SQLite's single write lock is busy with a long writer (an
/// import's step): a small SQLite file of its own beside the archive, with its own lock, so a delivery is still
/// acknowledged within the webhook's latency goal. Rows leave it for the inbox table, in the order they came, at the
/// next write turn (<see cref="WebhookInbox.MoveSpooledAsync"/>). Not thread-safe: the inbox serialises its use.
/// </summary>
internal sealed class WebhookSpool : IDisposable
{
    private readonly SqliteConnection _connection;

    private WebhookSpool(SqliteConnection connection) => _connection = connection;

    /// <summary>The spool beside a SQLite archive; none for PostgreSQL, whose writers do not wait on one lock.</summary>
    public static WebhookSpool? Open(StorageSettings settings)
    {
        if (settings.Provider != DatabaseProvider.Sqlite)
        {
            return null;
        }

        var archive = new SqliteConnectionStringBuilder(settings.ConnectionString);
        if (string.IsNullOrEmpty(archive.DataSource) || archive.DataSource == ":memory:" || archive.Mode == SqliteOpenMode.Memory)
        {
            return null;
        }

        // The inbox may be built before the database is first created (the web host's startup seeds through it).
        var path = Path.GetFullPath(PathBeside(archive.DataSource));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=FULL;
            CREATE TABLE IF NOT EXISTS "Spooled" (
                "Seq" INTEGER PRIMARY KEY AUTOINCREMENT,
                "ReceivedAt" INTEGER NOT NULL,
                "Body" TEXT NOT NULL,
                "BodySha256" TEXT NOT NULL,
                "RemoteAddress" TEXT NULL);
            """);
        using (var columns = connection.CreateCommand())
        {
            // Spools written before bodies kept their bytes lack the column.
            columns.CommandText = """SELECT COUNT(*) FROM pragma_table_info('Spooled') WHERE name = 'RawBody'""";
            if ((long)columns.ExecuteScalar()! == 0)
            {
                Execute(connection, """ALTER TABLE "Spooled" ADD COLUMN "RawBody" BLOB NULL;""");
            }
        }

        var spool = new WebhookSpool(connection);
        spool.HasRows = spool.Count() > 0;
        return spool;
    }

    /// <summary>The spool's file for the archive at <paramref name="archivePath"/> (<c>compliancehub.db</c> → <c>compliancehub.webhook-spool.db</c>).</summary>
    public static string PathBeside(string archivePath) => Path.ChangeExtension(archivePath, ".webhook-spool.db");

    /// <summary>True while rows wait to be moved; new arrivals then queue behind them here, to keep their order.</summary>
    public bool HasRows { get; private set; }

    /// <summary>Writes the deliveries in one durable transaction.</summary>
    public void Append(IEnumerable<WebhookDelivery> deliveries)
    {
        using var transaction = _connection.BeginTransaction();
        using var insert = _connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """INSERT INTO "Spooled" ("ReceivedAt", "Body", "BodySha256", "RemoteAddress", "RawBody") VALUES ($at, $body, $sha, $remote, $raw)""";
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var body = insert.Parameters.Add("$body", SqliteType.Text);
        var sha = insert.Parameters.Add("$sha", SqliteType.Text);
        var remote = insert.Parameters.Add("$remote", SqliteType.Text);
        var raw = insert.Parameters.Add("$raw", SqliteType.Blob);
        foreach (var delivery in deliveries)
        {
            at.Value = delivery.ReceivedAt.ToUnixTimeMilliseconds();
            body.Value = delivery.Body;
            sha.Value = delivery.BodySha256;
            remote.Value = (object?)delivery.RemoteAddress ?? DBNull.Value;
            raw.Value = (object?)delivery.RawBody ?? DBNull.Value;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        HasRows = true;
    }

    /// <summary>Up to <paramref name="max"/> waiting rows, oldest first, with the sequence number to pass to <see cref="RemoveThrough"/>.</summary>
    public (long LastSeq, List<WebhookDelivery> Deliveries) ReadOldest(int max)
    {
        using var select = _connection.CreateCommand();
        select.CommandText = """SELECT "Seq", "ReceivedAt", "Body", "BodySha256", "RemoteAddress", "RawBody" FROM "Spooled" ORDER BY "Seq" LIMIT $max""";
        select.Parameters.AddWithValue("$max", max);
        using var reader = select.ExecuteReader();
        var deliveries = new List<WebhookDelivery>();
        var last = 0L;
        while (reader.Read())
        {
            last = reader.GetInt64(0);
            deliveries.Add(new WebhookDelivery(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : (byte[])reader.GetValue(5)));
        }

        return (last, deliveries);
    }

    /// <summary>Forgets the rows up to <paramref name="lastSeq"/>, once they are in the inbox table.</summary>
    public void RemoveThrough(long lastSeq)
    {
        using var delete = _connection.CreateCommand();
        delete.CommandText = """DELETE FROM "Spooled" WHERE "Seq" <= $last""";
        delete.Parameters.AddWithValue("$last", lastSeq);
        delete.ExecuteNonQuery();
        HasRows = Count() > 0;
    }

    public void Dispose() => _connection.Dispose();

    private long Count()
    {
        using var count = _connection.CreateCommand();
        count.CommandText = """SELECT COUNT(*) FROM "Spooled" """;
        return (long)count.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
