using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core;
using ComplianceHub.Core.Archive.Capture;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Backup;
using ComplianceHub.Core.Storage.Blobs;
using ComplianceHub.Core.Storage.Encryption;
using ComplianceHub.Tests.Core.Archive;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using static ComplianceHub.Tests.TestSupport.WebhookPayloads;

namespace ComplianceHub.Tests.Core.Storage;

/// <summary>
/// <c>backup</c> and <c>restore</c> on a real archive of each provider: a backup taken while deliveries keep arriving
/// restores into an empty archive that verifies end to end and reads the same; a backup altered in any file, or a
/// key file without its keys, restores nothing; an archive already there is never overwritten.
/// </summary>
public abstract class BackupTests(DatabaseProvider provider) : IAsyncLifetime
{
    private static readonly AuditActor Officer = new("officer-id", "officer@example.com", "10.0.0.1");
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly ExportFiles _files = new();
    private readonly string _work = Path.Combine(Path.GetTempPath(), "compliancehub-tests", "backup-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> _databases = [];
    private TestHost _source = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_work);
        _source = await TestHost.StartAsync(provider, WebhookProcessingTests.CaptureSettings());
    }

    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        _files.Dispose();
        if (PostgresServer.AdminConnectionString is { } admin)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            foreach (var database in _databases)
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestHost.TryDeleteDirectory(_work);
    }

    private string SourceKeyFile => ArchiveKeys.ResolvePath(_source.Storage, null);

    /// <summary>An empty archive to restore into: a new data directory and, on PostgreSQL, a new database; the source's key file unless told.</summary>
    private async Task<ServiceProvider> EmptyTargetAsync(string? keyFile = null)
    {
        var data = Path.Combine(_work, "restored-" + Guid.NewGuid().ToString("N")[..8]);
        var connectionString = $"Data Source={Path.Combine(data, StorageSettings.SqliteFileName)}";
        if (provider == DatabaseProvider.Postgres)
        {
            var database = $"ch_restore_{Guid.NewGuid():N}";
            _databases.Add(database);
            var admin = PostgresServer.RequireAdminConnectionString();
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync(Ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync(Ct);
            connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
        }

        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(WebhookProcessingTests.CaptureSettings()).Build());
        services.AddComplianceHubCore(new StorageSettings(provider, data, connectionString) { KeyFile = keyFile ?? SourceKeyFile });
        return services.BuildServiceProvider();
    }

    private async Task ArchiveAsync()
    {
        var chat = "[27/03/2022, 21:41:35] Maria Silva: Good evening\r\n" +
                   "[27/03/2022, 21:41:55] Maria Silva: \u200E<attached: 00000035-PHOTO-2022-03-27-21-41-55.jpg>\r\n" +
                   "[27/03/2022, 21:42:10] Joe Bloggs: Thanks, contract to follow\r\n";
        var path = _files.Zip("WhatsApp Chat - Maria Silva.zip", "_chat.txt", chat, ("00000035-PHOTO-2022-03-27-21-41-55.jpg", RandomNumberGenerator.GetBytes(200_000)));
        await _source.Get<ExportImportService>().ImportAsync(path, "WhatsApp Chat - Maria Silva.zip", new ImportOptions("Europe/Lisbon"), Officer, ct: Ct);
        await _source.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(Inbound(Text("wamid.1", T0, "Can you confirm 50 lots?"))), "127.0.0.1", Ct);
        await _source.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
    }

    private static async Task<Dictionary<string, byte[]>> ReadBlobsAsync(IServiceProvider services)
    {
        var blobs = services.GetRequiredService<IBlobStore>();
        var all = new Dictionary<string, byte[]>();
        await foreach (var blob in blobs.ListAsync(Ct))
        {
            await using var stream = (await blobs.OpenReadAsync(blob.Sha256, Ct))!;
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, Ct);
            all[blob.Sha256] = copy.ToArray();
        }

        return all;
    }

    [Fact]
    public async Task ABackupTakenWhileDeliveriesArrive_RestoresIntoAnEmptyArchive_ThatVerifiesAndReadsTheSame()
    {
        await ArchiveAsync();
        var backupFile = Path.Combine(_work, "archive.tar");

        // Deliveries keep arriving and being archived while the backup runs.
        using var stop = new CancellationTokenSource();
        var arriving = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                n++;
                await _source.Get<WebhookInbox>().AcceptAsync(Encoding.UTF8.GetBytes(Inbound(Text($"wamid.during.{n}", T0.AddMinutes(n), $"Delivery {n} during the backup"))), "127.0.0.1", Ct);
                await _source.Get<WebhookProcessor>().ProcessPendingAsync(ct: Ct);
            }

            return n;
        }, Ct);
        await Task.Delay(200, Ct);
        var manifest = await _source.Get<ArchiveBackup>().CreateAsync(backupFile, Ct);
        await stop.CancelAsync();
        var delivered = await arriving;
        delivered.ShouldBeGreaterThan(1);

        manifest.Blobs.ShouldBeGreaterThanOrEqualTo(2); // the export and its photo
        manifest.ArchiveKeys.ShouldBe([ArchiveKeys.Load(SourceKeyFile).ActiveId]);
        if (!OperatingSystem.IsWindows())
        {
            (File.GetUnixFileMode(backupFile) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)).ShouldBe(UnixFileMode.None);
        }

        // Sealed blobs stay sealed in the backup: the photo's bytes are nowhere in it in the clear.
        var source = await ReadBlobsAsync(_source.Get<IServiceProvider>());
        var photo = source.Values.Single(b => b.Length == 200_000);
        (await File.ReadAllBytesAsync(backupFile, Ct)).AsSpan().IndexOf(photo.AsSpan(1000, 64)).ShouldBe(-1);

        await using var target = await EmptyTargetAsync();
        var restored = await target.GetRequiredService<ArchiveBackup>().RestoreAsync(backupFile, ArchiveKeys.Load(SourceKeyFile), Ct);
        await target.GetRequiredService<DatabaseInitializer>().InitializeAsync(Ct);

        restored.Files.Count.ShouldBe(manifest.Files.Count);
        var results = await target.GetRequiredService<IntegrityVerificationService>().VerifyAllAsync(AuditActor.System, Ct);
        results.ShouldAllBe(r => r.IsIntact, string.Join(" | ", results.Where(r => !r.IsIntact).Select(r => $"{r.Chain}: {r.BrokenRecord}: {r.Problem}")));
        (await ReadBlobsAsync(target)).Values.Any(b => b.SequenceEqual(photo)).ShouldBeTrue("the photo reads back the same from the restored copy");
        await using (var db = await target.GetRequiredService<IDbContextFactory<ComplianceHubDbContext>>().CreateDbContextAsync(Ct))
        {
            var messages = await db.ChatMessages.CountAsync(Ct);
            TestContext.Current.SendDiagnosticMessage($"{provider}: {delivered} deliveries during the backup; the restored copy holds {messages} messages, {restored.Blobs} blobs, all verified");
            messages.ShouldBeGreaterThanOrEqualTo(4); // the export's three and the first delivery, at least
            (await db.ChatMessages.AnyAsync(m => m.Body == "Can you confirm 50 lots?", Ct)).ShouldBeTrue();
        }

        // Restoring again over what is now there is refused, and changes nothing.
        var again = await Should.ThrowAsync<ComplianceRuleException>(() => target.GetRequiredService<ArchiveBackup>().RestoreAsync(backupFile, ArchiveKeys.Load(SourceKeyFile), Ct));
        again.Message.ShouldContain("already");
    }

    public static TheoryData<string> Damage => new()
    {
        "a blob's bytes changed",
        "a blob left out",
        "a file added",
        "the manifest left out",
        "the file cut short",
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public async Task ADamagedBackup_RestoresNothing_SayingWhatIsWrong(string damage)
    {
        await ArchiveAsync();
        var good = Path.Combine(_work, "good.tar");
        var manifest = await _source.Get<ArchiveBackup>().CreateAsync(good, Ct);
        var bad = Path.Combine(_work, "bad.tar");
        var blob = manifest.Files.First(f => f.Path.StartsWith("blobs/", StringComparison.Ordinal)).Path;
        if (damage == "the file cut short")
        {
            var bytes = await File.ReadAllBytesAsync(good, Ct);
            await File.WriteAllBytesAsync(bad, bytes[..(bytes.Length / 2)], Ct);
        }
        else
        {
            await RewriteAsync(good, bad, damage, blob);
        }

        await using var target = await EmptyTargetAsync();
        var error = await Should.ThrowAsync<ComplianceRuleException>(() => target.GetRequiredService<ArchiveBackup>().RestoreAsync(bad, ArchiveKeys.Load(SourceKeyFile), Ct));
        TestContext.Current.SendDiagnosticMessage($"{damage}: {error.Message}");
        error.Message.ShouldContain(damage switch
        {
            "a blob's bytes changed" => $"{blob} hashes to",
            "a blob left out" => $"{blob} is missing",
            "a file added" => "blobs/" + new string('a', 64) + " is not in the manifest",
            "the manifest left out" => "has no manifest.json",
            _ => "cut short",
        });
        await AssertNothingRestoredAsync(target);

        // The good backup still restores there afterwards: nothing was left half-written.
        await target.GetRequiredService<ArchiveBackup>().RestoreAsync(good, ArchiveKeys.Load(SourceKeyFile), Ct);
    }

    [Fact]
    public async Task AKeyFileWithoutTheBackupsKeys_RestoresNothing_NamingTheKeys()
    {
        await ArchiveAsync();
        var backupFile = Path.Combine(_work, "archive.tar");
        var manifest = await _source.Get<ArchiveBackup>().CreateAsync(backupFile, Ct);
        var otherKeys = Path.Combine(_work, "other-keys", ArchiveKeys.DefaultFileName);

        await using var target = await EmptyTargetAsync(otherKeys);
        var error = await Should.ThrowAsync<ComplianceRuleException>(() => target.GetRequiredService<ArchiveBackup>().RestoreAsync(backupFile, ArchiveKeys.LoadOrCreate(otherKeys), Ct));

        error.Message.ShouldContain($"sealed under archive key(s) {manifest.ArchiveKeys[0]}");
        await AssertNothingRestoredAsync(target);
    }

    private static async Task AssertNothingRestoredAsync(ServiceProvider target)
    {
        var storage = target.GetRequiredService<StorageSettings>();
        (Directory.Exists(storage.BlobDirectory) && Directory.EnumerateFiles(storage.BlobDirectory, "*", SearchOption.AllDirectories).Any()).ShouldBeFalse();
        if (storage.Provider == DatabaseProvider.Sqlite)
        {
            File.Exists(Path.Combine(storage.DataDirectory, StorageSettings.SqliteFileName)).ShouldBeFalse();
        }
        else
        {
            await using var connection = new NpgsqlConnection(storage.ConnectionString);
            await connection.OpenAsync(Ct);
            await using var tables = new NpgsqlCommand("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'", connection);
            ((long)(await tables.ExecuteScalarAsync(Ct))!).ShouldBe(0);
        }
    }

    /// <summary>Copies the backup entry by entry, damaging it as told.</summary>
    private static async Task RewriteAsync(string from, string to, string damage, string blob)
    {
        await using var input = File.OpenRead(from);
        await using var reader = new TarReader(input);
        await using var output = File.Create(to);
        await using var writer = new TarWriter(output, TarEntryFormat.Pax);
        while (await reader.GetNextEntryAsync(copyData: true, Ct) is { } entry)
        {
            if ((damage == "a blob left out" && entry.Name == blob) || (damage == "the manifest left out" && entry.Name == "manifest.json"))
            {
                continue;
            }

            if (damage == "a blob's bytes changed" && entry.Name == blob)
            {
                using var copy = new MemoryStream();
                await entry.DataStream!.CopyToAsync(copy, Ct);
                var bytes = copy.ToArray();
                bytes[bytes.Length / 2] ^= 0x01;
                entry.DataStream = new MemoryStream(bytes);
            }

            if (damage == "a file added" && entry.Name == "manifest.json")
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "blobs/" + new string('a', 64)) { DataStream = new MemoryStream([1, 2, 3]) }, Ct);
            }

            await writer.WriteEntryAsync(entry, Ct);
        }
    }
}

public sealed class SqliteBackupTests() : BackupTests(DatabaseProvider.Sqlite);

public sealed class PostgresBackupTests() : BackupTests(DatabaseProvider.Postgres);
