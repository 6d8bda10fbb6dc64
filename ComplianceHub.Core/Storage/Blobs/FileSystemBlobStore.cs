using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace ComplianceHub.Core.Storage.Blobs;

/// <summary>
/// Blobs as files under <c>&lt;root&gt;/ab/cd/&lt;sha256&gt;</c>. Bytes are hashed while they are written to
/// a temporary file in the same directory tree, then moved into place, so a blob is either whole or
/// absent and a crash never leaves a partial file under a valid name.
/// </summary>
public sealed class FileSystemBlobStore(string rootDirectory, TimeProvider? clock = null) : IBlobStore
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    private const int BufferSize = 81920;

    public string RootDirectory { get; } = rootDirectory;

    public async Task<BlobReference> PutAsync(Stream content, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var tempDirectory = Path.Combine(RootDirectory, "tmp");
        Directory.CreateDirectory(tempDirectory);
        var tempPath = Path.Combine(tempDirectory, Guid.NewGuid().ToString("N"));
        try
        {
            string sha256;
            long length;
            // Write-through: the bytes are on disk before the blob is given its name.
            await using (var file = new FileStream(tempPath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = BufferSize,
                Options = FileOptions.Asynchronous | FileOptions.WriteThrough,
            }))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[BufferSize];
                int read;
                length = 0;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    length += read;
                }

                await file.FlushAsync(ct);
                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            var finalPath = PathFor(sha256);
            var created = !File.Exists(finalPath);
            if (created)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
                File.Move(tempPath, finalPath, overwrite: true);
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

    public Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct = default)
    {
        if (!BlobReference.IsValidSha256(sha256))
        {
            return Task.FromResult<Stream?>(null);
        }

        var path = PathFor(sha256);
        Stream? stream = File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true)
            : null;
        return Task.FromResult(stream);
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
