using System.Text;
using Npgsql;

namespace ComplianceHub.Core.Storage.Backup;

/// <summary>Finds PostgreSQL's client programs and tells them where the database is.</summary>
internal static class PostgresTools
{
    /// <summary>
    /// <paramref name="tool"/> on the PATH, else in the newest of Debian's <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>
    /// (where the server package puts them without linking them); a clear error when neither has it.
    /// </summary>
    public static string Find(string tool)
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
        if (onPath is not null)
        {
            return onPath;
        }

        const string Debian = "/usr/lib/postgresql";
        var packaged = Directory.Exists(Debian)
            ? Directory.EnumerateDirectories(Debian)
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0, Path: Path.Combine(d, "bin", tool)))
                .Where(d => File.Exists(d.Path))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Path)
                .FirstOrDefault()
            : null;
        return packaged ?? throw new InvalidOperationException(
            $"{tool} was not found on the PATH: install PostgreSQL's client programs (Debian: postgresql-client) of the server's major version or newer.");
    }

    /// <summary>A libpq connection string (<c>host=… port=… user=… dbname=…</c>) for the same database, without its password.</summary>
    public static string ConnectionInfo(NpgsqlConnectionStringBuilder connection)
    {
        var info = new StringBuilder();
        void Add(string key, object? value)
        {
            if (value is not null && value.ToString() is { Length: > 0 } text)
            {
                info.Append(key).Append("='").Append(text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)).Append("' ");
            }
        }

        Add("host", connection.Host);
        Add("port", connection.Port);
        Add("user", connection.Username);
        Add("dbname", connection.Database);
        if (connection.SslMode is not SslMode.Disable and not SslMode.Prefer)
        {
            Add("sslmode", connection.SslMode.ToString().ToLowerInvariant() switch
            {
                "verifyca" => "verify-ca",
                "verifyfull" => "verify-full",
                var other => other,
            });
        }

        return info.ToString().TrimEnd();
    }
}
