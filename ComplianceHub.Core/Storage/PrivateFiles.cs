namespace ComplianceHub.Core.Storage;

/// <summary>
/// Files and folders only their owner may read or write (on Unix; elsewhere the platform's defaults). The archive's data
/// directory, the database, blobs, uploads, keys, checkpoints: nothing of it is for other accounts on the machine.
/// </summary>
public static class PrivateFiles
{
    private const UnixFileMode OwnerDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// From now on every file and folder this process creates is its owner's alone (umask 077), whoever creates it:
    /// SQLite and its WAL, the blob store, the data-protection key ring, exports in progress. Then the data directory
    /// itself, and a SQLite database already in it, are made owner-only, for archives created before. Returns the
    /// problem when they cannot be (a directory another account owns, mounted for this one to write in), or null.
    /// </summary>
    public static string? Protect(StorageSettings storage)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(storage.DataDirectory);
            return null;
        }

        try
        {
            _ = Umask(0b000_111_111);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not a libc to ask: what is created below is still made owner-only where it is created.
        }

        CreateDirectory(storage.DataDirectory);
        try
        {
            File.SetUnixFileMode(storage.DataDirectory, OwnerDirectory);
            foreach (var file in Directory.EnumerateFiles(storage.DataDirectory, StorageSettings.SqliteFileName + "*"))
            {
                File.SetUnixFileMode(file, OwnerFile);
            }

            return null;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return $"{e.Message} Set its permissions to 0700, owned by the account the portal runs as.";
        }
    }

    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerDirectory);
        }
    }

    public static void WriteNew(string path, string text)
    {
        using var stream = new FileStream(path, NewFile(new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write }));
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    /// <summary><paramref name="options"/> for a file created owner-only, whatever the process's umask.</summary>
    public static FileStreamOptions NewFile(FileStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerFile;
        }

        return options;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
}
