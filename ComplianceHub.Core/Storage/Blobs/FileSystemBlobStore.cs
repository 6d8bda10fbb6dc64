using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using ComplianceHub.Core.Storage.Encryption;

namespace ComplianceHub.Core.Storage.Blobs;

/// <summary>
/// Blobs as files under <c>&lt;root&gt;/ab/cd/&lt;sha256&gt;</c>, named by the SHA-256 of their plain bytes and sealed
/// with AES-GCM under a data key of their own (<see cref="BlobEncryption"/>, the data key wrapped by the archive's key).
/// Bytes are hashed and sealed while they are written to a temporary file in the same directory tree, then moved into
/// place, so a blob is either whole or absent and a crash never leaves a partial file under a valid name. Files written
/// before blobs were sealed are read as they are.
/// </summary>
public sealed class FileSystemBlobStore(string rootDirectory, ArchiveKeys keys, TimeProvider? clock = null) : IBlobStore
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    private const int BufferSize = 81920;

    public string RootDirectory { get; } = rootDirectory;

    public async Task<BlobReference> PutAsync(Stream content, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var tempDirectory = Path.Combine(RootDirectory, "tmp");
        PrivateFiles.CreateDirectory(tempDirectory);
        var tempPath = Path.Combine(tempDirectory, Guid.NewGuid().ToString("N"));
        try
        {
            string sha256;
            long length;
            // Write-through: the bytes are on disk before the blob is given its name.
            await using (var file = new FileStream(tempPath, PrivateFiles.NewFile(new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = BufferSize,
                Options = FileOptions.Asynchronous | FileOptions.WriteThrough,
            })))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                length = await BlobEncryption.SealAsync(content, file, keys, hash, ct);
                await file.FlushAsync(ct);
                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            var finalPath = PathFor(sha256);
            var created = !File.Exists(finalPath);
            if (created)
            {
                PrivateFiles.CreateDirectory(Path.GetDirectoryName(finalPath)!);
                File.Move(tempPath, finalPath, overwrite: true);
                // When its bytes were last put, on the store's clock (what the orphan sweep and disposition age it by).
                File.SetLastWriteTimeUtc(finalPath, _clock.GetUtcNow().UtcDateTime);
            }
            else
            {
                File.Delete(tempPath);
                // Put again: the orphan sweep must not take it between now and the record that will name it.
                File.SetLastWriteTimeUtc(finalPath, _clock.GetUtcNow().UtcDateTime);
            }

            return new BlobReference(sha256, length, created);
        }
        catch
        {
            File.Delete(tempPath);
            throw;
        }
    }

    public async Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct = default)
    {
        if (!BlobReference.IsValidSha256(sha256))
        {
            return null;
        }

        var path = PathFor(sha256);
        if (!File.Exists(path))
        {
            return null;
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: false);
        try
        {
            var start = new byte[8];
            var read = await file.ReadAtLeastAsync(start, start.Length, throwOnEndOfStream: false, ct);
            file.Position = 0;
            return BlobEncryption.IsSealed(start.AsSpan(0, read)) ? BlobEncryption.Open(file, keys, $"Blob {sha256[..16]}… cannot be read.") : file;
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    public Task<Stream?> OpenStoredAsync(string sha256, CancellationToken ct = default) =>
        Task.FromResult<Stream?>(BlobReference.IsValidSha256(sha256) && File.Exists(PathFor(sha256))
            ? new FileStream(PathFor(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true)
            : null);

    public async Task RestoreStoredAsync(string sha256, Stream stored, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!BlobReference.IsValidSha256(sha256))
        {
            throw new ArgumentException($"'{sha256}' is not a blob's name.", nameof(sha256));
        }

        var tempDirectory = Path.Combine(RootDirectory, "tmp");
        PrivateFiles.CreateDirectory(tempDirectory);
        var tempPath = Path.Combine(tempDirectory, Guid.NewGuid().ToString("N"));
        try
        {
            await using (var file = new FileStream(tempPath, PrivateFiles.NewFile(new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                BufferSize = BufferSize,
                Options = FileOptions.Asynchronous | FileOptions.WriteThrough,
            })))
            {
                await stored.CopyToAsync(file, ct);
            }

            var finalPath = PathFor(sha256);
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(finalPath)!);
            File.Move(tempPath, finalPath, overwrite: true);
        }
        catch
        {
            File.Delete(tempPath);
            throw;
        }
    }

    /// <summary>The archive key each stored blob is sealed under ("" for one written before blobs were sealed), counted.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountByKeyAsync(CancellationToken ct = default)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var blob in ListAsync(ct))
        {
            await using var file = new FileStream(PathFor(blob.Sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: false);
            var id = BlobEncryption.KeyIdOf(file) ?? "";
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        return counts;
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken ct = default) =>
        Task.FromResult(BlobReference.IsValidSha256(sha256) && File.Exists(PathFor(sha256)));

    public Task DeleteUncommittedAsync(string sha256, CancellationToken ct = default)
    {
        if (BlobReference.IsValidSha256(sha256))
        {
            File.Delete(PathFor(sha256));
        }

        return Task.CompletedTask;
    }

    public async Task<bool> RemoveDisposedAsync(string sha256, DateTimeOffset putBefore, CancellationToken ct = default)
    {
        if (!BlobReference.IsValidSha256(sha256))
        {
            throw new ArgumentException($"'{sha256}' is not a blob's name.", nameof(sha256));
        }

        var path = PathFor(sha256);
        if (!File.Exists(path) || File.GetLastWriteTimeUtc(path) >= putBefore.UtcDateTime)
        {
            return false;
        }

        // The header (magic, key id, wrapped data key, nonce prefix) is well under 1 KiB; overwriting the first 4 KiB
        // shreds the data key, whatever the file system keeps of the freed blocks afterwards.
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough))
        {
            var shred = new byte[(int)Math.Min(4096, file.Length)];
            RandomNumberGenerator.Fill(shred);
            await file.WriteAsync(shred, ct);
            await file.FlushAsync(ct);
        }

        File.Delete(path);
        return true;
    }

    public async IAsyncEnumerable<StoredBlob> ListAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        if (!Directory.Exists(RootDirectory))
        {
            yield break;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2, IgnoreInaccessible = false };
        foreach (var file in new DirectoryInfo(RootDirectory).EnumerateFiles("*", options))
        {
            ct.ThrowIfCancellationRequested();
            // Only files under the name their bytes give, at the place that name gives (not tmp/, not strays).
            if (BlobReference.IsValidSha256(file.Name) && file.FullName == Path.GetFullPath(PathFor(file.Name)))
            {
                yield return new StoredBlob(file.Name, file.Length, file.LastWriteTimeUtc);
            }
        }

        await Task.CompletedTask;
    }

    public Task<(int Count, long Bytes)> RemoveAbandonedWritesAsync(CancellationToken ct = default)
    {
        var temporary = new DirectoryInfo(Path.Combine(RootDirectory, "tmp"));
        int count = 0;
        long bytes = 0;
        if (temporary.Exists)
        {
            // A put between closing its file and moving it into place holds no lock for that moment.
            var settled = _clock.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(1);
            foreach (var file in temporary.EnumerateFiles().Where(f => f.LastWriteTimeUtc < settled))
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    // A put in progress holds its file exclusively; one that fails to open is being written.
                    using (new FileStream(file.FullName, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                    {
                    }
                }
                catch (IOException)
                {
                    continue;
                }

                bytes += file.Length;
                file.Delete();
                count++;
            }
        }

        return Task.FromResult((count, bytes));
    }

    private string PathFor(string sha256) => Path.Combine(RootDirectory, sha256[..2], sha256[2..4], sha256);
}
