namespace ComplianceHub.Core.Storage;

/// <summary>
/// A private directory under the data directory's <c>tmp/</c> for work in progress (an upload being previewed and
/// imported), held by an exclusive lock on its <c>.lock</c> file for as long as it is in use. Disposing removes it; one
/// whose process died keeps no lock, so <see cref="RemoveAbandoned"/> can tell it from one in use, in this process or
/// another, without guessing from its age.
/// </summary>
public sealed class ScratchDirectory : IDisposable
{
    private const string LockFileName = ".lock";
    private readonly FileStream _lock;

    private ScratchDirectory(string path, FileStream @lock) => (Path, _lock) = (path, @lock);

    public string Path { get; }

    public static ScratchDirectory Create(StorageSettings storage, string prefix)
    {
        var path = System.IO.Path.Combine(Root(storage), prefix + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        try
        {
            return new ScratchDirectory(path, Lock(path, FileMode.CreateNew));
        }
        catch
        {
            Directory.Delete(path, recursive: true);
            throw;
        }
    }

    /// <summary>Removes every scratch directory no live process holds; returns how many, and their bytes.</summary>
    public static (int Count, long Bytes) RemoveAbandoned(StorageSettings storage, TimeProvider clock)
    {
        var root = Root(storage);
        if (!Directory.Exists(root))
        {
            return (0, 0);
        }

        int count = 0;
        long bytes = 0;
        // One created this moment may not have taken its lock yet.
        var settled = clock.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(1);
        foreach (var directory in Directory.EnumerateDirectories(root).Where(d => Directory.GetLastWriteTimeUtc(d) < settled))
        {
            FileStream probe;
            try
            {
                // Open-or-create: a directory whose process died before it took the lock has none yet.
                probe = Lock(directory, FileMode.OpenOrCreate);
            }
            catch (IOException)
            {
                continue; // held: in use
            }

            using (probe)
            {
                bytes += Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            }

            Directory.Delete(directory, recursive: true);
            count++;
        }

        return (count, bytes);
    }

    public void Dispose()
    {
        _lock.Dispose();
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }

    private static string Root(StorageSettings storage) => System.IO.Path.Combine(storage.DataDirectory, "tmp");

    private static FileStream Lock(string directory, FileMode mode) =>
        new(System.IO.Path.Combine(directory, LockFileName), mode, FileAccess.ReadWrite, FileShare.None);
}
