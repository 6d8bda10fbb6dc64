using System.Security.Cryptography;
using System.Text;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Blobs;
using ComplianceHub.Core.Storage.Encryption;
using ComplianceHub.Tests.TestSupport;

namespace ComplianceHub.Tests.Core.Storage;

/// <summary>
/// Blobs sealed at rest: what lands on disk holds none of the content, reads back exactly (whole or from any position),
/// refuses to open when altered, cut short or extended, and survives a rotation of the archive key.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BlobEncryptionTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "compliancehub-tests", "sealed-" + Guid.NewGuid().ToString("N"));

    private string KeyFile => _root + "-keys/" + ArchiveKeys.DefaultFileName;

    public void Dispose()
    {
        TestHost.TryDeleteDirectory(_root);
        TestHost.TryDeleteDirectory(_root + "-keys");
    }

    private FileSystemBlobStore Store() => new(_root, ArchiveKeys.LoadOrCreate(KeyFile));

    private string PathOf(string sha256) => Path.Combine(_root, sha256[..2], sha256[2..4], sha256);

    private static async Task<byte[]> ReadAllAsync(IBlobStore store, string sha256)
    {
        await using var stream = (await store.OpenReadAsync(sha256, Ct)).ShouldNotBeNull();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(BlobEncryption.SegmentSize - 1)]
    [InlineData(BlobEncryption.SegmentSize)]
    [InlineData(BlobEncryption.SegmentSize + 1)]
    [InlineData(3 * BlobEncryption.SegmentSize)]
    [InlineData(1_000_003)]
    public async Task EverySize_ReadsBackExactly_UnderTheHashOfItsPlainBytes_AndNoneOfItIsOnDisk(int size)
    {
        // Text that repeats a marker, so any stretch of it left in the clear would be found.
        var text = string.Concat(Enumerable.Repeat("Confidential: sell 40,000 ACME before the announcement. ", (size / 56) + 1));
        var bytes = Encoding.ASCII.GetBytes(text)[..size];
        var store = Store();

        var reference = await store.PutAsync(new MemoryStream(bytes), Ct);

        reference.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        reference.Length.ShouldBe(size);
        (await ReadAllAsync(store, reference.Sha256)).ShouldBe(bytes);
        var onDisk = await File.ReadAllBytesAsync(PathOf(reference.Sha256), Ct);
        BlobEncryption.IsSealed(onDisk).ShouldBeTrue();
        if (size >= 12)
        {
            Encoding.ASCII.GetString(onDisk).ShouldNotContain(text[..12]);
        }

        (File.GetUnixFileMode(PathOf(reference.Sha256)) & (UnixFileMode.OtherRead | UnixFileMode.GroupRead)).ShouldBe(UnixFileMode.None);
    }

    [Fact]
    public async Task AReader_MaySeekAnywhere()
    {
        var bytes = RandomNumberGenerator.GetBytes((5 * BlobEncryption.SegmentSize) + 1234);
        var store = Store();
        var reference = await store.PutAsync(new MemoryStream(bytes), Ct);
        await using var stream = (await store.OpenReadAsync(reference.Sha256, Ct)).ShouldNotBeNull();
        stream.CanSeek.ShouldBeTrue();
        stream.Length.ShouldBe(bytes.Length);

        foreach (var at in new[] { bytes.Length - 10, 0, BlobEncryption.SegmentSize - 3, (3 * BlobEncryption.SegmentSize) + 17, bytes.Length - 1 })
        {
            stream.Position = at;
            var read = new byte[Math.Min(100, bytes.Length - at)];
            await stream.ReadExactlyAsync(read, Ct);
            read.ShouldBe(bytes.AsSpan(at, read.Length).ToArray(), $"at {at}");
        }

        stream.Position = bytes.Length;
        (await stream.ReadAsync(new byte[10], Ct)).ShouldBe(0);
    }

    public static TheoryData<string> Alterations => new()
    {
        "a bit flipped in the first segment",
        "a bit flipped in the last segment's tag",
        "the last segment cut off",
        "bytes appended",
        "two segments swapped",
        "the header's key id renamed",
    };

    [Theory]
    [MemberData(nameof(Alterations))]
    public async Task AnAlteredFile_RefusesToOpenOrRead_SayingWhy(string alteration)
    {
        var bytes = RandomNumberGenerator.GetBytes((3 * BlobEncryption.SegmentSize) + 500);
        var store = Store();
        var reference = await store.PutAsync(new MemoryStream(bytes), Ct);
        var path = PathOf(reference.Sha256);
        var sealedBytes = await File.ReadAllBytesAsync(path, Ct);
        var body = sealedBytes.Length - ((3 * (BlobEncryption.SegmentSize + 16)) + 500 + 16);
        const int Segment = BlobEncryption.SegmentSize + 16;
        byte[] altered = alteration switch
        {
            "a bit flipped in the first segment" => Flip(sealedBytes, body + 10),
            "a bit flipped in the last segment's tag" => Flip(sealedBytes, sealedBytes.Length - 1),
            "the last segment cut off" => sealedBytes[..^(500 + 16)],
            "bytes appended" => [.. sealedBytes, .. new byte[40]],
            "two segments swapped" => [.. sealedBytes[..body], .. sealedBytes[(body + Segment)..(body + (2 * Segment))], .. sealedBytes[body..(body + Segment)], .. sealedBytes[(body + (2 * Segment))..]],
            "the header's key id renamed" => Flip(sealedBytes, 9),
            _ => throw new ArgumentOutOfRangeException(nameof(alteration)),
        };
        await File.WriteAllBytesAsync(path, altered, Ct);

        var error = await Should.ThrowAsync<InvalidDataException>(() => ReadAllAsync(store, reference.Sha256));
        error.Message.ShouldStartWith($"Blob {reference.Sha256[..16]}");
        TestContext.Current.SendDiagnosticMessage($"{alteration}: {error.Message}");
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = bytes.ToArray();
        copy[at] ^= 0x01;
        return copy;
    }

    [Fact]
    public async Task Rotation_OldBlobsStayReadable_NewOnesUseTheNewKey()
    {
        var before = Store();
        var old = await before.PutAsync(new MemoryStream("sealed under the first key"u8.ToArray()), Ct);
        var firstKey = ArchiveKeys.Load(KeyFile).ActiveId;

        var newKey = ArchiveKeys.Rotate(KeyFile);

        newKey.ShouldNotBe(firstKey);
        var keys = ArchiveKeys.Load(KeyFile);
        keys.ActiveId.ShouldBe(newKey);
        keys.Ids.ShouldBe([firstKey, newKey]);
        (File.GetUnixFileMode(KeyFile) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite)).ShouldBe(UnixFileMode.None);
        var after = new FileSystemBlobStore(_root, keys);
        var fresh = await after.PutAsync(new MemoryStream("sealed under the second key"u8.ToArray()), Ct);
        Encoding.ASCII.GetString(await ReadAllAsync(after, old.Sha256)).ShouldBe("sealed under the first key");
        Encoding.ASCII.GetString(await ReadAllAsync(after, fresh.Sha256)).ShouldBe("sealed under the second key");
        (await after.CountByKeyAsync(Ct)).ShouldBe(new Dictionary<string, int> { [firstKey] = 1, [newKey] = 1 }, ignoreOrder: true);

        // The old key's line lost: its blobs say which key they need; the new key's blobs still open.
        await File.WriteAllLinesAsync(KeyFile, (await File.ReadAllLinesAsync(KeyFile, Ct)).Where(l => !l.StartsWith(firstKey, StringComparison.Ordinal)), Ct);
        var withoutOld = new FileSystemBlobStore(_root, ArchiveKeys.Load(KeyFile));
        var error = await Should.ThrowAsync<InvalidDataException>(() => ReadAllAsync(withoutOld, old.Sha256));
        error.Message.ShouldContain($"archive key '{firstKey}'");
        Encoding.ASCII.GetString(await ReadAllAsync(withoutOld, fresh.Sha256)).ShouldBe("sealed under the second key");
    }

    [Fact]
    public async Task AFileWrittenBeforeBlobsWereSealed_IsReadAsItIs()
    {
        var store = Store();
        var bytes = "an attachment stored by an earlier version"u8.ToArray();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(sha256))!);
        await File.WriteAllBytesAsync(PathOf(sha256), bytes, Ct);

        (await ReadAllAsync(store, sha256)).ShouldBe(bytes);
        (await store.CountByKeyAsync(Ct)).ShouldBe(new Dictionary<string, int> { [""] = 1 });
    }

    [Fact]
    public async Task TheKeyFile_IsRefused_WhenOthersMayReadIt_WhenMalformed_OrInsideTheDataDirectory()
    {
        ArchiveKeys.LoadOrCreate(KeyFile);
        File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Should.Throw<InvalidOperationException>(() => ArchiveKeys.Load(KeyFile)).Message.ShouldContain("may be read by other accounts (mode 644)");

        File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.AppendAllTextAsync(KeyFile, "20261202-bad not-base64\n", Ct);
        Should.Throw<InvalidOperationException>(() => ArchiveKeys.Load(KeyFile)).Message.ShouldContain("line 3: expected '<id> <base64 of 32 bytes>'");

        var storage = new StorageSettings(DatabaseProvider.Sqlite, _root, "Data Source=x");
        ArchiveKeys.ResolvePath(storage, null).ShouldBe(KeyFile);
        Should.Throw<InvalidOperationException>(() => ArchiveKeys.ResolvePath(storage, Path.Combine(_root, "archive.keys"))).Message.ShouldContain("inside the data directory");
        Should.Throw<InvalidOperationException>(() => ArchiveKeys.Load(_root + "-nothing/archive.keys")).Message.ShouldContain("does not exist");
    }
}
