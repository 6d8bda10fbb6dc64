namespace ComplianceHub.Core.Storage.Blobs;

/// <summary>
/// Content-addressed file storage for originals of imports and media: a blob's name is the lowercase
/// hex SHA-256 of its bytes, so storing the same bytes twice keeps one copy and a blob's name proves
/// its content. The file-system store is the default; an object store can replace it.
/// </summary>
public interface IBlobStore
{
    /// <summary>Stores the stream's bytes (read to the end) and returns their address.</summary>
    Task<BlobReference> PutAsync(Stream content, CancellationToken ct = default);

    /// <summary>Opens a stored blob for reading, or returns null when no blob has that hash.</summary>
    Task<Stream?> OpenReadAsync(string sha256, CancellationToken ct = default);

    Task<bool> ExistsAsync(string sha256, CancellationToken ct = default);

    /// <summary>
    /// Removes a blob. Only for bytes that were never committed to the archive (an import that failed
    /// after storing them); archived blobs leave only through retention.
    /// </summary>
    Task DeleteUncommittedAsync(string sha256, CancellationToken ct = default);

    /// <summary>
    /// Removes a blob a disposition left unreferenced, so that it cannot be read again: its wrapped data key is overwritten
    /// in place before the file goes (the rest is ciphertext under that key). A blob put at or after
    /// <paramref name="putBefore"/> is left alone (a writer about to name it again), as the orphan sweep leaves it. Returns
    /// whether it was removed.
    /// </summary>
    Task<bool> RemoveDisposedAsync(string sha256, DateTimeOffset putBefore, CancellationToken ct = default);

    /// <summary>
    /// Every blob stored, with when its bytes were last put (a put of bytes already there counts: it is about to be
    /// referenced). For the orphan sweep, which compares them with what records name.
    /// </summary>
    IAsyncEnumerable<StoredBlob> ListAsync(CancellationToken ct = default);

    /// <summary>Removes the partial files of puts whose writer is gone (its process died mid-way); returns how many and their bytes.</summary>
    Task<(int Count, long Bytes)> RemoveAbandonedWritesAsync(CancellationToken ct = default);

    /// <summary>A blob's bytes as the store keeps them (sealed, not opened), for a backup; null when there is none.</summary>
    Task<Stream?> OpenStoredAsync(string sha256, CancellationToken ct = default);

    /// <summary>Puts back bytes <see cref="OpenStoredAsync"/> gave, under their name, for a restore (whole or not at all).</summary>
    Task RestoreStoredAsync(string sha256, Stream stored, CancellationToken ct = default);
}

/// <summary>A blob in the store: its name, the bytes it takes on disk (sealed: a little more than its content) and when it was last put.</summary>
public sealed record StoredBlob(string Sha256, long Length, DateTimeOffset PutAt);
