using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ComplianceHub.Core.Storage.Encryption;

/// <summary>
/// The key-encryption keys (KEKs) of the archive, from a key file kept outside the data directory
/// (<c>Encryption:KeyFile</c>; unset, <c>App_Data-keys/archive.keys</c> beside the data directory, created owner-only on
/// first use). Each line holds one key, <c>&lt;id&gt; &lt;base64 of 32 bytes&gt;</c>; the last line is the key new data
/// is sealed under, the earlier ones stay to open what they sealed. Rotation appends a line (<see cref="Rotate"/>): old
/// blobs stay readable, new ones use the new key. A KEK never touches content: it wraps the random data key of each blob
/// and the portal's data-protection key ring.
/// </summary>
public sealed class ArchiveKeys
{
    public const string KeyFileSetting = "Encryption:KeyFile";
    public const string DefaultFileName = "archive.keys";
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Dictionary<string, byte[]> _keys;

    private ArchiveKeys(string path, List<(string Id, byte[] Key)> keys)
    {
        Path = path;
        _keys = keys.ToDictionary(k => k.Id, k => k.Key, StringComparer.Ordinal);
        ActiveId = keys[^1].Id;
    }

    /// <summary>The key file.</summary>
    public string Path { get; }

    /// <summary>The id of the key new data is sealed under (the file's last line).</summary>
    public string ActiveId { get; }

    /// <summary>Every key id in the file, oldest first.</summary>
    public IReadOnlyCollection<string> Ids => _keys.Keys;

    /// <summary>The key file in force: the configured one, else beside the data directory; refused inside it.</summary>
    public static string ResolvePath(StorageSettings storage, string? configured)
    {
        var data = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(storage.DataDirectory));
        var parent = System.IO.Path.GetDirectoryName(data) ?? data;
        var path = string.IsNullOrWhiteSpace(configured)
            ? System.IO.Path.Combine(parent, System.IO.Path.GetFileName(data) + "-keys", DefaultFileName)
            : System.IO.Path.GetFullPath(configured, parent);
        if (path == data || path.StartsWith(data + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"{KeyFileSetting} ({path}) is inside the data directory: a copy of the data would carry the key that opens it. Keep it elsewhere.");
        }

        return path;
    }

    /// <summary>Reads the key file, creating it with one new key when it does not exist.</summary>
    public static ArchiveKeys LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            PrivateFiles.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            try
            {
                PrivateFiles.WriteNew(path, "# ComplianceHub archive keys: the last line seals new data. Back this file up apart from the data.\n" + NewLine());
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: read theirs.
            }
        }

        return Load(path);
    }

    /// <summary>Reads the key file; a clear error when it is missing, readable by others, or malformed (with the line).</summary>
    public static ArchiveKeys Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The archive key file {path} does not exist. Restore it from its backup: without it nothing encrypted can be read.");
        }

        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            var mode = File.GetUnixFileMode(path);
            if ((mode & others) != 0)
            {
                throw new InvalidOperationException(
                    $"The archive key file {path} may be read by other accounts (mode {Convert.ToString((int)mode, 8)}): make it 0600 or 0400, owned by the account the portal runs as.");
            }
        }

        var keys = new List<(string, byte[])>();
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var key = new byte[KeySize];
            if (parts.Length != 2 || !IsValidId(parts[0]) || !Convert.TryFromBase64String(parts[1], key, out var length) || length != KeySize)
            {
                throw new InvalidOperationException($"The archive key file {path}, line {number}: expected '<id> <base64 of 32 bytes>', the id of letters, digits and '-' (at most 64).");
            }

            if (keys.Exists(k => k.Item1 == parts[0]))
            {
                throw new InvalidOperationException($"The archive key file {path}, line {number}: the key id '{parts[0]}' is used twice.");
            }

            keys.Add((parts[0], key));
        }

        return keys.Count == 0
            ? throw new InvalidOperationException($"The archive key file {path} holds no key.")
            : new ArchiveKeys(path, keys);
    }

    /// <summary>Appends a new key to the file, which seals new data from the next start; returns its id. Old keys stay.</summary>
    public static string Rotate(string path)
    {
        var current = Load(path);
        var line = NewLine();
        var temporary = path + ".new";
        File.Delete(temporary);
        PrivateFiles.WriteNew(temporary, File.ReadAllText(path).TrimEnd('\n') + "\n" + line);
        File.Move(temporary, path, overwrite: true);
        var id = line.Split(' ')[0];
        return current.Ids.Contains(id) ? throw new InvalidOperationException("A new key id collided with an old one; run again.") : id;
    }

    /// <summary>Seals <paramref name="secret"/> under the active key, bound to <paramref name="context"/>: nonce, ciphertext, tag.</summary>
    public byte[] Wrap(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> context)
    {
        var sealedBytes = new byte[NonceSize + secret.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[ActiveId], TagSize);
        aes.Encrypt(nonce, secret, sealedBytes.AsSpan(NonceSize, secret.Length), sealedBytes.AsSpan(NonceSize + secret.Length), context);
        return sealedBytes;
    }

    /// <summary>Opens what <see cref="Wrap"/> sealed under <paramref name="keyId"/>; a clear error when the key is gone or the bytes were altered.</summary>
    public byte[] Unwrap(string keyId, ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> context)
    {
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new InvalidDataException($"It was sealed under archive key '{keyId}', which {Path} no longer holds: restore that key's line from the key file's backup.");
        }

        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new InvalidDataException("Its sealed key is cut short.");
        }

        var secret = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(sealedBytes[..NonceSize], sealedBytes[NonceSize..^TagSize], sealedBytes[^TagSize..], secret, context);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new InvalidDataException($"Its sealed key does not open under archive key '{keyId}': the file was altered, or the key file's line for '{keyId}' is not the one it was sealed with.", e);
        }

        return secret;
    }

    internal static bool IsValidId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static string NewLine() =>
        string.Create(CultureInfo.InvariantCulture, $"{TimeProvider.System.GetUtcNow():yyyyMMdd}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))} {Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeySize))}\n");

    /// <summary>What a sealed secret is bound to: its purpose and the key id that sealed it.</summary>
    public static byte[] Context(string purpose, string keyId) => Encoding.ASCII.GetBytes(purpose + "\n" + keyId);
}
