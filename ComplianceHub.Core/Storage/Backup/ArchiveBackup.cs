using System.Diagnostics;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage.Blobs;
using ComplianceHub.Core.Storage.Encryption;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ComplianceHub.Core.Storage.Backup;

/// <summary>
/// A backup of the whole archive in one tar file, taken while the portal runs: first a consistent snapshot of the
/// database (SQLite's online backup API for each database file of the data directory, the webhook spool included;
/// <c>pg_dump</c> for PostgreSQL), then every blob as it is stored (still sealed: the backup holds no key) and the
/// portal's data-protection key ring, then <c>manifest.json</c> naming every file with its SHA-256. Blobs are written
/// once and never changed, so those the snapshot names are all there when they are copied after it.
/// A restore checks every file against the manifest and the key file against the keys the blobs need before it
/// writes anything, and writes only into an empty data directory (and, for PostgreSQL, an empty database).
/// The archive key file and the checkpoint log are not in it: they live apart from the data on purpose, and are
/// backed up apart from it.
/// </summary>
public sealed class ArchiveBackup(StorageSettings storage, IBlobStore blobs, TimeProvider clock)
{
    public const string Format = "compliancehub-backup/1";
    private const string ManifestName = "manifest.json";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes the backup to <paramref name="outFile"/> (owner-only; a file already there is refused).</summary>
    public async Task<BackupManifest> CreateAsync(string outFile, CancellationToken ct = default)
    {
        outFile = Path.GetFullPath(outFile);
        if (File.Exists(outFile))
        {
            throw new ComplianceRuleException($"{outFile} already exists: give a new file name for the backup.");
        }

        var data = Path.TrimEndingDirectorySeparator(Path.GetFullPath(storage.DataDirectory));
        if (outFile.StartsWith(data + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ComplianceRuleException($"{outFile} is inside the data directory: write the backup elsewhere.");
        }

        var partial = outFile + ".partial";
        var staging = outFile + ".staging";
        File.Delete(partial);
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        PrivateFiles.CreateDirectory(staging);
        var files = new List<BackupFile>();
        var keyIds = new SortedSet<string>(StringComparer.Ordinal);
        BackupManifest manifest;
        try
        {
            await using (var output = new FileStream(partial, PrivateFiles.NewFile(new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous })))
            await using (var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
            {
                // 1. The database, as one consistent snapshot.
                foreach (var (name, path) in await SnapshotDatabaseAsync(staging, ct))
                {
                    files.Add(await AddFileAsync(tar, name, path, ct));
                }

                // 2. Every blob as stored, and the key each is sealed under.
                await foreach (var blob in blobs.ListAsync(ct))
                {
                    await using var stored = await blobs.OpenStoredAsync(blob.Sha256, ct);
                    if (stored is null)
                    {
                        continue; // removed since it was listed: an orphan the sweep took
                    }

                    if (BlobEncryption.KeyIdOf(stored) is { } keyId)
                    {
                        keyIds.Add(keyId);
                    }

                    stored.Position = 0;
                    files.Add(await AddStreamAsync(tar, "blobs/" + blob.Sha256, stored, ct));
                }

                // 3. The sign-in key ring (sealed under the archive key), so sessions and antiforgery survive a restore.
                var ring = Path.Combine(storage.DataDirectory, "keys");
                if (Directory.Exists(ring))
                {
                    foreach (var key in Directory.EnumerateFiles(ring, "*.xml").Order(StringComparer.Ordinal))
                    {
                        files.Add(await AddFileAsync(tar, "keys/" + Path.GetFileName(key), key, ct));
                    }
                }

                manifest = new BackupManifest(Format, clock.GetUtcNow(), storage.Provider.ToString(), [.. keyIds], files);
                var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, Json);
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, ManifestName) { DataStream = new MemoryStream(bytes), Mode = OwnerOnly }, ct);
            }

            File.Move(partial, outFile);
            return manifest;
        }
        finally
        {
            File.Delete(partial);
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Restores <paramref name="backupFile"/> into this store's (empty) data directory and database. Every file is
    /// checked against the manifest, and <paramref name="keys"/> against the keys the blobs are sealed under, before
    /// anything is written; then the database, the blobs and the key ring are put in place.
    /// </summary>
    public async Task<BackupManifest> RestoreAsync(string backupFile, ArchiveKeys keys, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        backupFile = Path.GetFullPath(backupFile);
        if (!File.Exists(backupFile))
        {
            throw new ComplianceRuleException($"{backupFile} does not exist.");
        }

        await RequireEmptyTargetAsync(ct);
        var staging = Path.TrimEndingDirectorySeparator(Path.GetFullPath(storage.DataDirectory)) + ".restoring-" + Guid.NewGuid().ToString("N")[..8];
        PrivateFiles.CreateDirectory(staging);
        try
        {
            // 1. Unpack to one side, hashing each file.
            var found = new Dictionary<string, (string Sha256, long Length)>(StringComparer.Ordinal);
            byte[]? manifestBytes = null;
            await using (var input = new FileStream(backupFile, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
            await using (var tar = new TarReader(input))
            {
                try
                {
                    while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
                    {
                        if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                        {
                            throw new ComplianceRuleException($"The backup holds '{entry.Name}', which is not a file: it was not written by ComplianceHub.");
                        }

                        if (entry.Name == ManifestName)
                        {
                            using var copy = new MemoryStream();
                            await entry.DataStream.CopyToAsync(copy, ct);
                            manifestBytes = copy.ToArray();
                            continue;
                        }

                        if (!IsSafeName(entry.Name) || found.ContainsKey(entry.Name))
                        {
                            throw new ComplianceRuleException($"The backup holds '{entry.Name}', a name ComplianceHub never writes (or writes once): it is not a ComplianceHub backup, or it was altered.");
                        }

                        var target = Path.Combine(staging, entry.Name.Replace('/', Path.DirectorySeparatorChar));
                        PrivateFiles.CreateDirectory(Path.GetDirectoryName(target)!);
                        found[entry.Name] = await CopyHashedAsync(entry.DataStream, target, ct);
                    }
                }
                catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
                {
                    throw new ComplianceRuleException($"{backupFile} is not a readable backup (the tar file is damaged or cut short: {e.Message}).");
                }
            }

            // 2. Check it all before writing anything.
            if (manifestBytes is null)
            {
                throw new ComplianceRuleException($"{backupFile} has no {ManifestName}: it is cut short, or not a ComplianceHub backup.");
            }

            var manifest = JsonSerializer.Deserialize<BackupManifest>(manifestBytes, Json)
                ?? throw new ComplianceRuleException($"{backupFile}: its manifest is empty.");
            if (manifest.Format != Format)
            {
                throw new ComplianceRuleException($"{backupFile} is a '{manifest.Format}' backup; this version reads '{Format}'.");
            }

            if (!string.Equals(manifest.Provider, storage.Provider.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                throw new ComplianceRuleException($"The backup is of a {manifest.Provider} archive; this portal is configured for {storage.Provider}.");
            }

            var problems = new List<string>();
            foreach (var file in manifest.Files)
            {
                if (!found.Remove(file.Path, out var actual))
                {
                    problems.Add($"{file.Path} is missing");
                }
                else if (actual.Sha256 != file.Sha256 || actual.Length != file.Length)
                {
                    problems.Add($"{file.Path} hashes to {actual.Sha256[..16]}… ({actual.Length:N0} bytes), not the {file.Sha256[..16]}… ({file.Length:N0} bytes) the manifest names");
                }
            }

            problems.AddRange(found.Keys.Select(extra => $"{extra} is not in the manifest"));
            if (problems.Count > 0)
            {
                throw new ComplianceRuleException($"The backup does not match its manifest, so nothing was restored: {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? $"; and {problems.Count - 5} more" : "")}.");
            }

            var missingKeys = manifest.ArchiveKeys.Where(id => !keys.Ids.Contains(id)).ToList();
            if (missingKeys.Count > 0)
            {
                throw new ComplianceRuleException(
                    $"The backup's files are sealed under archive key(s) {string.Join(", ", missingKeys)}, which {keys.Path} does not hold: give the archive's key file (--key-file or Encryption:KeyFile), so nothing was restored.");
            }

            // 3. Put it in place.
            PrivateFiles.CreateDirectory(storage.DataDirectory);
            await RestoreDatabaseAsync(staging, manifest, ct);
            foreach (var file in manifest.Files.Where(f => f.Path.StartsWith("blobs/", StringComparison.Ordinal)))
            {
                await using var stored = File.OpenRead(Path.Combine(staging, "blobs", file.Path["blobs/".Length..]));
                await blobs.RestoreStoredAsync(file.Path["blobs/".Length..], stored, ct);
            }

            foreach (var file in manifest.Files.Where(f => f.Path.StartsWith("keys/", StringComparison.Ordinal)))
            {
                var ring = Path.Combine(storage.DataDirectory, "keys");
                PrivateFiles.CreateDirectory(ring);
                File.Move(Path.Combine(staging, "keys", file.Path["keys/".Length..]), Path.Combine(ring, file.Path["keys/".Length..]));
            }

            return manifest;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private async Task<List<(string Name, string Path)>> SnapshotDatabaseAsync(string staging, CancellationToken ct)
    {
        var snapshots = new List<(string, string)>();
        switch (storage.Provider)
        {
            case DatabaseProvider.Sqlite:
            {
                var archive = new SqliteConnectionStringBuilder(storage.ConnectionString).DataSource;
                var directory = Path.GetDirectoryName(Path.GetFullPath(archive))!;
                // The archive first (what the spool holds is not yet in it), then the others beside it: the webhook spool.
                var sources = new[] { Path.GetFullPath(archive) }
                    .Concat(Directory.EnumerateFiles(directory, "*.db").Select(Path.GetFullPath).Where(p => p != Path.GetFullPath(archive)).Order(StringComparer.Ordinal));
                foreach (var source in sources.Where(File.Exists))
                {
                    var copy = Path.Combine(staging, Path.GetFileName(source));
                    await using (var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
                    await using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString()))
                    {
                        await from.OpenAsync(ct);
                        await to.OpenAsync(ct);
                        // One step: the source is read under one snapshot, while the portal goes on writing to its WAL.
                        from.BackupDatabase(to);
                        await using var single = to.CreateCommand();
                        single.CommandText = "PRAGMA journal_mode=DELETE;";
                        await single.ExecuteNonQueryAsync(ct);
                    }

                    snapshots.Add(("database/" + Path.GetFileName(source), copy));
                }

                break;
            }

            case DatabaseProvider.Postgres:
            {
                var dump = Path.Combine(staging, "database.pgdump");
                await RunPostgresToolAsync("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file=" + dump], ct);
                snapshots.Add(("database/compliancehub.pgdump", dump));
                break;
            }
        }

        return snapshots;
    }

    private async Task RestoreDatabaseAsync(string staging, BackupManifest manifest, CancellationToken ct)
    {
        switch (storage.Provider)
        {
            case DatabaseProvider.Sqlite:
            {
                var archive = Path.GetFullPath(new SqliteConnectionStringBuilder(storage.ConnectionString).DataSource);
                var directory = Path.GetDirectoryName(archive)!;
                PrivateFiles.CreateDirectory(directory);
                // The first is the archive (under whatever name it is configured with here); the rest keep their names.
                var databases = manifest.Files.Where(f => f.Path.StartsWith("database/", StringComparison.Ordinal))
                    .Select((f, i) => (Name: f.Path["database/".Length..], Target: i == 0 ? archive : Path.Combine(directory, f.Path["database/".Length..])))
                    .ToList();
                if (databases.FirstOrDefault(d => File.Exists(d.Target)) is { Target: { } taken })
                {
                    throw new ComplianceRuleException($"{taken} already exists: restore into an empty data directory (move the old one aside first).");
                }

                foreach (var (name, target) in databases)
                {
                    File.Move(Path.Combine(staging, "database", name), target);
                }

                break;
            }

            case DatabaseProvider.Postgres:
                await RunPostgresToolAsync("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", Path.Combine(staging, "database", "compliancehub.pgdump")], ct);
                break;
        }
    }

    private async Task RequireEmptyTargetAsync(CancellationToken ct)
    {
        var data = storage.DataDirectory;
        if (Directory.Exists(Path.Combine(data, "blobs")) && Directory.EnumerateFiles(Path.Combine(data, "blobs"), "*", SearchOption.AllDirectories).Any())
        {
            throw new ComplianceRuleException($"The data directory {data} already holds blobs: restore into an empty data directory (move the old one aside first).");
        }

        switch (storage.Provider)
        {
            case DatabaseProvider.Sqlite:
                var archive = Path.GetFullPath(new SqliteConnectionStringBuilder(storage.ConnectionString).DataSource);
                if (File.Exists(archive) && new FileInfo(archive).Length > 0)
                {
                    throw new ComplianceRuleException($"{archive} already exists: restore into an empty data directory (move the old one aside first).");
                }

                break;
            case DatabaseProvider.Postgres:
                await using (var connection = new NpgsqlConnection(storage.ConnectionString))
                {
                    await connection.OpenAsync(ct);
                    await using var tables = new NpgsqlCommand("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'", connection);
                    if ((long)(await tables.ExecuteScalarAsync(ct))! > 0)
                    {
                        throw new ComplianceRuleException($"The database '{connection.Database}' already holds tables: restore into a new, empty database.");
                    }
                }

                break;
        }
    }

    /// <summary>Runs pg_dump or pg_restore against the configured database, the password passed in the environment.</summary>
    private async Task RunPostgresToolAsync(string tool, IEnumerable<string> arguments, CancellationToken ct)
    {
        var connection = new NpgsqlConnectionStringBuilder(storage.ConnectionString);
        var start = new ProcessStartInfo(PostgresTools.Find(tool)) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("--dbname=" + PostgresTools.ConnectionInfo(connection));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (!string.IsNullOrEmpty(connection.Password))
        {
            start.Environment["PGPASSWORD"] = connection.Password;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var error = process.StandardError.ReadToEndAsync(ct);
        var output = process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
        {
            throw new ComplianceRuleException($"{tool} failed (exit {process.ExitCode}): {(await error).Trim()} {(await output).Trim()}".Trim());
        }
    }

    private static bool IsSafeName(string name)
    {
        var parts = name.Split('/');
        return parts switch
        {
            ["database", var file] => file.Length > 0 && !file.StartsWith('.') && file.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'),
            ["blobs", var sha256] => BlobReference.IsValidSha256(sha256),
            ["keys", var key] => key.EndsWith(".xml", StringComparison.Ordinal) && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-'),
            _ => false,
        };
    }

    private static async Task<BackupFile> AddFileAsync(TarWriter tar, string name, string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 81920, useAsync: true);
        return await AddStreamAsync(tar, name, stream, ct);
    }

    private static async Task<BackupFile> AddStreamAsync(TarWriter tar, string name, Stream content, CancellationToken ct)
    {
        // Hash what goes in: the bytes are read once for the hash and once by the writer, from the same open file.
        var start = content.Position;
        var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, ct));
        var length = content.Position - start;
        content.Position = start;
        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = content, Mode = OwnerOnly }, ct);
        return new BackupFile(name, length, sha256);
    }

    private static async Task<(string Sha256, long Length)> CopyHashedAsync(Stream from, string path, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var to = new FileStream(path, PrivateFiles.NewFile(new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous }));
        var buffer = new byte[81920];
        long length = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await to.WriteAsync(buffer.AsMemory(0, read), ct);
            length += read;
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }
}

/// <summary>What a backup holds: every file with its length and SHA-256, and the archive keys its blobs need.</summary>
public sealed record BackupManifest(string Format, DateTimeOffset CreatedAt, string Provider, IReadOnlyList<string> ArchiveKeys, IReadOnlyList<BackupFile> Files)
{
    public int Blobs => Files.Count(f => f.Path.StartsWith("blobs/", StringComparison.Ordinal));

    public long Bytes => Files.Sum(f => f.Length);
}

public sealed record BackupFile(string Path, long Length, string Sha256);
