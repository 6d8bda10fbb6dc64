using System.Security.Cryptography;

namespace ComplianceHub.Core.Storage.Blobs;

/// <summary>
/// Blobs as files under <c>&lt;root&gt;/ab/cd/&lt;sha256&gt;</c>. Bytes are hashed while they are written to
/// a temporary file in the same directory tree, then moved into place, so a blob is either whole or
/// absent and a crash never leaves a partial file under a valid name.
/// </summary>
public sealed class FileSystemBlobStore(string rootDirectory) : IBlobStore
{
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

    private string PathFor(string sha256) => Path.Combine(RootDirectory, sha256[..2], sha256[2..4], sha256);
}
