using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Exports;

/// <summary>
/// Checks an e-discovery package, unpacked or still zipped, against its manifest and against the archive: the
/// manifest's own SHA-256 (<c>SHA256SUMS</c>) and signature; every listed file present with its size and SHA-256 and
/// nothing unlisted; each section's SHA-256 recomputed from <c>messages.json</c> and from the archive; every message's
/// chain hash equal to the archive's, and each conversation's chain intact; every audit event's hash equal to the
/// audit trail's.
/// </summary>
public sealed class ExportPackageVerifier(IDbContextFactory<ComplianceHubDbContext> dbFactory, ArchiveChainVerifier chains)
{
    public async Task<PackageVerification> VerifyAsync(string path, CancellationToken ct = default)
    {
        using var files = PackageFiles.Open(path);
        var checks = new List<PackageCheck>();
        void Add(string name, bool ok, string detail) => checks.Add(new PackageCheck(name, ok, detail));

        if (!files.Exists(ExportPackageWriter.ManifestFile))
        {
            Add("manifest", false, $"{ExportPackageWriter.ManifestFile} is missing: this is not a ComplianceHub package, or it is incomplete");
            return new PackageVerification(checks, null);
        }

        var manifestBytes = await files.ReadAllAsync(ExportPackageWriter.ManifestFile, ct);
        var manifestSha256 = Convert.ToHexStringLower(SHA256.HashData(manifestBytes));
        Manifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(manifestBytes, JsonOptions)
                ?? throw new JsonException("the manifest is empty");
        }
        catch (JsonException e)
        {
            Add("manifest", false, $"{ExportPackageWriter.ManifestFile} is not valid: {e.Message}");
            return new PackageVerification(checks, manifestSha256);
        }

        Add("manifest", manifest.Package == ExportPackageWriter.PackageFormat,
            $"{manifest.Package} version {manifest.PackageVersion}, {manifest.Parameters.Source}, produced {manifest.ProducedAtUtc} by {manifest.ProducedBy}; SHA-256 {manifestSha256}");

        // SHA256SUMS: the manifest's hash (and the transcript's).
        if (files.Exists(ExportPackageWriter.ChecksumsFile))
        {
            var lines = Encoding.ASCII.GetString(await files.ReadAllAsync(ExportPackageWriter.ChecksumsFile, ct))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var listsManifest = false;
            foreach (var line in lines)
            {
                var parts = line.Split("  ", 2);
                if (parts.Length != 2)
                {
                    Add(ExportPackageWriter.ChecksumsFile, false, $"line '{line}' is not '<sha256>  <file>'");
                    continue;
                }

                listsManifest |= parts[1] == ExportPackageWriter.ManifestFile;
                var actual = files.Exists(parts[1]) ? await files.Sha256Async(parts[1], ct) : null;
                Add($"{ExportPackageWriter.ChecksumsFile}: {parts[1]}", actual == parts[0],
                    actual is null ? "missing" : actual == parts[0] ? $"SHA-256 {actual}" : $"SHA-256 is {actual}, {ExportPackageWriter.ChecksumsFile} says {parts[0]}");
            }

            if (!listsManifest)
            {
                Add(ExportPackageWriter.ChecksumsFile, false, $"does not list {ExportPackageWriter.ManifestFile}");
            }
        }
        else
        {
            Add(ExportPackageWriter.ChecksumsFile, false, "missing");
        }

        if (files.Exists(ExportPackageWriter.SignatureFile))
        {
            var (valid, detail) = ExportSigner.VerifyDetached(manifestBytes, await files.ReadAllAsync(ExportPackageWriter.SignatureFile, ct));
            Add("signature", valid, detail);
        }
        else
        {
            Add("signature", true, "none (no signing certificate was configured when it was produced)");
        }

        // Every listed file, and nothing else.
        var listed = new HashSet<string>(StringComparer.Ordinal);
        int bad = 0, good = 0;
        foreach (var file in manifest.Files)
        {
            listed.Add(file.Path);
            if (!files.Exists(file.Path))
            {
                bad++;
                Add($"file {file.Path}", false, "listed in the manifest but missing");
                continue;
            }

            var (length, sha256) = await files.MeasureAsync(file.Path, ct);
            if (length != file.Bytes || sha256 != file.Sha256)
            {
                bad++;
                Add($"file {file.Path}", false, $"{length} bytes, SHA-256 {sha256}; the manifest says {file.Bytes} bytes, SHA-256 {file.Sha256}");
            }
            else
            {
                good++;
            }
        }

        var unlisted = files.List().Where(f => !listed.Contains(f) && !ExportPackageWriter.OutsideManifest.Contains(f)).ToList();
        foreach (var file in unlisted)
        {
            Add($"file {file}", false, "not listed in the manifest");
        }

        Add("files", bad == 0 && unlisted.Count == 0, $"{good} of {manifest.Files.Count} listed file(s) match their size and SHA-256" + (unlisted.Count > 0 ? $"; {unlisted.Count} unlisted" : ""));

        await VerifyMessagesAsync(files, manifest, Add, ct);
        await VerifyAuditEventsAsync(files, Add, ct);
        return new PackageVerification(checks, manifestSha256);
    }

    /// <summary>Sections recomputed from messages.json and from the archive; each message's chain hash against the archive; each chain intact.</summary>
    private async Task VerifyMessagesAsync(PackageFiles files, Manifest manifest, Action<string, bool, string> add, CancellationToken ct)
    {
        if (!files.Exists("messages.json"))
        {
            add("messages", false, "messages.json is missing");
            return;
        }

        var hashes = manifest.Sections.ToDictionary(s => s.ConversationId, _ => IncrementalHash.CreateHash(HashAlgorithmName.SHA256));
        var counts = manifest.Sections.ToDictionary(s => s.ConversationId, _ => 0);
        // A search's section is the hits messages.json lists: the archive's hash is recomputed over those messages.
        var hits = manifest.Sections.Where(s => s.Selection == "search_hits").ToDictionary(s => s.ConversationId, _ => new List<long>());
        var mismatched = new List<string>();
        var pending = new List<(long Id, string Hash)>();
        long total = 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        async Task CompareAsync()
        {
            var ids = pending.Select(p => p.Id).ToList();
            var archived = await db.ChatMessages.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Hash, ct);
            foreach (var (id, hash) in pending)
            {
                if (!archived.TryGetValue(id, out var stored))
                {
                    mismatched.Add($"message {id} is not in the archive");
                }
                else if (stored != hash)
                {
                    mismatched.Add($"message {id}: chain hash {hash} differs from the archive's {stored}");
                }
            }

            pending.Clear();
        }

        await using (var stream = await files.OpenAsync("messages.json", ct))
        {
            await foreach (var row in JsonSerializer.DeserializeAsyncEnumerable<MessageRow>(stream, JsonOptions, ct))
            {
                if (row is null)
                {
                    continue;
                }

                total++;
                if (!hashes.TryGetValue(row.ConversationId, out var sha))
                {
                    mismatched.Add($"message {row.MessageId} belongs to conversation {row.ConversationId}, which the manifest has no section for");
                    continue;
                }

                sha.AppendData(Encoding.UTF8.GetBytes(ExportScope.SectionHashLine(row.ChainHash)));
                counts[row.ConversationId]++;
                hits.GetValueOrDefault(row.ConversationId)?.Add(row.MessageId);
                pending.Add((row.MessageId, row.ChainHash));
                if (pending.Count == 500)
                {
                    await CompareAsync();
                }
            }
        }

        await CompareAsync();
        foreach (var problem in mismatched.Take(20))
        {
            add("message", false, problem);
        }

        add("messages", mismatched.Count == 0, mismatched.Count == 0
            ? $"{total:N0} message(s) in messages.json, each with the archive's chain hash"
            : $"{mismatched.Count:N0} of {total:N0} message(s) do not match the archive" + (mismatched.Count > 20 ? " (the first 20 are listed)" : ""));

        foreach (var section in manifest.Sections)
        {
            var fromFile = Convert.ToHexStringLower(hashes[section.ConversationId].GetHashAndReset());
            hashes[section.ConversationId].Dispose();
            var inArchive = hits.TryGetValue(section.ConversationId, out var ids)
                ? await ExportScope.SectionAsync(db, section.ConversationId, ids, ct)
                : await ExportScope.SectionAsync(db, section.ConversationId, section.FromSearchKey, section.UntilSearchKey, ct);
            var expectedCount = section.Messages + section.Notices;
            var ok = fromFile == section.Sha256 && inArchive?.Sha256 == section.Sha256 && counts[section.ConversationId] == expectedCount;
            add($"section {section.ConversationId} \"{section.Title}\"", ok, ok
                ? $"SHA-256 {section.Sha256} recomputed from messages.json ({expectedCount:N0} records) and from the archive"
                : $"the manifest says {section.Sha256} over {expectedCount:N0} records; messages.json gives {fromFile} over {counts[section.ConversationId]:N0}; "
                  + (inArchive is null ? "the conversation is no longer in the archive" : $"the archive gives {inArchive.Sha256}"));

            var chain = await chains.VerifyConversationAsync(section.ConversationId, ct);
            add($"chain of conversation {section.ConversationId}", chain.IsIntact, chain.IsIntact
                ? $"intact, {chain.RecordsChecked:N0} message(s) from the first"
                : $"broken at {chain.BrokenRecord}: {chain.Problem}");
        }
    }

    private async Task VerifyAuditEventsAsync(PackageFiles files, Action<string, bool, string> add, CancellationToken ct)
    {
        const string path = "audit/events.json";
        if (!files.Exists(path))
        {
            add("audit events", false, $"{path} is missing");
            return;
        }

        List<AuditRow> rows;
        await using (var stream = await files.OpenAsync(path, ct))
        {
            rows = await JsonSerializer.DeserializeAsync<List<AuditRow>>(stream, JsonOptions, ct) ?? [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var problems = new List<string>();
        foreach (var chunk in rows.Chunk(500))
        {
            var ids = chunk.Select(r => r.AuditEventId).ToList();
            var stored = await db.AuditEvents.AsNoTracking().Where(e => ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Hash, ct);
            foreach (var row in chunk)
            {
                if (stored.GetValueOrDefault(row.AuditEventId) != row.Hash)
                {
                    problems.Add($"audit event {row.AuditEventId}: hash {row.Hash} is not the audit trail's");
                }
            }
        }

        foreach (var problem in problems.Take(20))
        {
            add("audit event", false, problem);
        }

        add("audit events", problems.Count == 0, problems.Count == 0
            ? $"{rows.Count:N0} audit event(s), each with the audit trail's hash"
            : $"{problems.Count:N0} of {rows.Count:N0} audit event(s) do not match the audit trail");
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private sealed record Manifest(
        string Package, int PackageVersion, string ProducedAtUtc, string ProducedBy, ManifestParameters Parameters,
        IReadOnlyList<ManifestSection> Sections, IReadOnlyList<PackageFile> Files);

    private sealed record ManifestParameters(string Source);

    private sealed record ManifestSection(
        long ConversationId, string Title, long? FromSearchKey, long? UntilSearchKey, string? Selection, int Messages, int Notices, string Sha256);

    private sealed record MessageRow(long MessageId, long ConversationId, string ChainHash);

    private sealed record AuditRow(long AuditEventId, string Hash);

    /// <summary>A package's files by their path inside it, from a directory or a ZIP.</summary>
    private abstract class PackageFiles : IDisposable
    {
        public static PackageFiles Open(string path) => Directory.Exists(path)
            ? new DirectoryFiles(path)
            : File.Exists(path)
                ? new ZipFiles(path)
                : throw new Common.ComplianceRuleException($"'{path}' is neither a package's folder nor its ZIP file.");

        public abstract IEnumerable<string> List();

        public abstract bool Exists(string path);

        public abstract Task<Stream> OpenAsync(string path, CancellationToken ct);

        public async Task<byte[]> ReadAllAsync(string path, CancellationToken ct)
        {
            await using var stream = await OpenAsync(path, ct);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, ct);
            return copy.ToArray();
        }

        public async Task<string> Sha256Async(string path, CancellationToken ct) => (await MeasureAsync(path, ct)).Sha256;

        public async Task<(long Length, string Sha256)> MeasureAsync(string path, CancellationToken ct)
        {
            await using var stream = await OpenAsync(path, ct);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            long length = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, ct)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                length += read;
            }

            return (length, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }

        public virtual void Dispose()
        {
        }
    }

    private sealed class DirectoryFiles(string root) : PackageFiles
    {
        private readonly string _root = Path.GetFullPath(root);

        public override IEnumerable<string> List() => Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_root, f).Replace(Path.DirectorySeparatorChar, '/'));

        public override bool Exists(string path) => Full(path) is { } full && File.Exists(full);

        public override Task<Stream> OpenAsync(string path, CancellationToken ct) =>
            Task.FromResult<Stream>(new FileStream(Full(path)!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous));

        // A path from the manifest never leaves the package's folder.
        private string? Full(string path)
        {
            var full = Path.GetFullPath(Path.Combine(_root, path));
            return full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
        }
    }

    private sealed class ZipFiles(string path) : PackageFiles
    {
        private readonly ZipArchive _zip = ZipFile.OpenRead(path);

        public override IEnumerable<string> List() => _zip.Entries.Where(e => !e.FullName.EndsWith('/')).Select(e => e.FullName);

        public override bool Exists(string path) => _zip.GetEntry(path) is not null;

        public override async Task<Stream> OpenAsync(string path, CancellationToken ct) => await _zip.GetEntry(path)!.OpenAsync(ct);

        public override void Dispose() => _zip.Dispose();
    }
}

/// <summary>One check of a package: what was checked, whether it holds, and the figures or the problem.</summary>
public sealed record PackageCheck(string Name, bool Ok, string Detail);

public sealed record PackageVerification(IReadOnlyList<PackageCheck> Checks, string? ManifestSha256)
{
    public bool Verified => Checks.Count > 0 && Checks.All(c => c.Ok);
}
