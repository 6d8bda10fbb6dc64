using System.Security.Cryptography;
using ComplianceHub.Core.Storage.Blobs;
using ComplianceHub.Core.Storage.Encryption;
using ComplianceHub.Tests.TestSupport;

namespace ComplianceHub.Tests.Core.Storage;

public sealed class FileSystemBlobStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "compliancehub-tests", "blobs-" + Guid.NewGuid().ToString("N"));
    private readonly ArchiveKeys _keys;

    public FileSystemBlobStoreTests() => _keys = ArchiveKeys.LoadOrCreate(_root + "-keys/" + ArchiveKeys.DefaultFileName);

    public void Dispose()
    {
        TestHost.TryDeleteDirectory(_root);
        TestHost.TryDeleteDirectory(_root + "-keys");
    }

    private string PathOf(string sha256) => Path.Combine(_root, sha256[..2], sha256[2..4], sha256);

    [Fact]
    public async Task Put_ReturnsTheSha256AndLength_AndReadsBackTheSameBytes()
    {
        var store = new FileSystemBlobStore(_root, _keys);
        var bytes = RandomNumberGenerator.GetBytes(200_000);

        var reference = await store.PutAsync(new MemoryStream(bytes), TestContext.Current.CancellationToken);

        reference.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        reference.Length.ShouldBe(bytes.Length);
        await using var read = await store.OpenReadAsync(reference.Sha256, TestContext.Current.CancellationToken);
        read.ShouldNotBeNull();
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, TestContext.Current.CancellationToken);
        copy.ToArray().ShouldBe(bytes);
        File.Exists(Path.Combine(_root, reference.Sha256[..2], reference.Sha256[2..4], reference.Sha256)).ShouldBeTrue();
    }

    [Fact]
    public async Task Put_SameBytesTwice_KeepsOneCopyAndNoTemporaryFiles()
    {
        var store = new FileSystemBlobStore(_root, _keys);
        var bytes = "the same evidence"u8.ToArray();

        var first = await store.PutAsync(new MemoryStream(bytes), TestContext.Current.CancellationToken);
        var second = await store.PutAsync(new MemoryStream(bytes), TestContext.Current.CancellationToken);

        first.Created.ShouldBeTrue();
        second.Created.ShouldBeFalse();
        second.Sha256.ShouldBe(first.Sha256);
        second.Length.ShouldBe(first.Length);
        Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Length.ShouldBe(1);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF")]
    public async Task OpenRead_UnknownOrMalformedHash_ReturnsNull(string sha256)
    {
        var store = new FileSystemBlobStore(_root, _keys);

        (await store.OpenReadAsync(sha256, TestContext.Current.CancellationToken)).ShouldBeNull();
        (await store.ExistsAsync(sha256, TestContext.Current.CancellationToken)).ShouldBeFalse();
    }

    [Fact]
    public async Task List_NamesEveryStoredBlob_AndNothingElseInTheTree()
    {
        var store = new FileSystemBlobStore(_root, _keys);
        var a = await store.PutAsync(new MemoryStream([1, 2, 3]), TestContext.Current.CancellationToken);
        var b = await store.PutAsync(new MemoryStream(new byte[5000]), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_root, "stray.txt"), "not a blob", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_root, "tmp", a.Sha256), "a partial write under a blob's name", TestContext.Current.CancellationToken);

        var listed = new List<StoredBlob>();
        await foreach (var blob in store.ListAsync(TestContext.Current.CancellationToken))
        {
            listed.Add(blob);
        }

        // Lengths on disk: the content sealed, with its header and one tag per 64 KiB.
        listed.Select(x => (x.Sha256, x.Length)).OrderBy(x => x.Sha256, StringComparer.Ordinal)
            .ShouldBe(new[] { (a.Sha256, new FileInfo(PathOf(a.Sha256)).Length), (b.Sha256, new FileInfo(PathOf(b.Sha256)).Length) }.OrderBy(x => x.Sha256, StringComparer.Ordinal));
        listed.ShouldAllBe(x => x.Length > (x.Sha256 == a.Sha256 ? 3 : 5000));
    }

    [Fact]
    public async Task RemoveAbandonedWrites_RemovesPartialFilesNoWriterHolds_AndLeavesOneBeingWritten()
    {
        var store = new FileSystemBlobStore(_root, _keys);
        await store.PutAsync(new MemoryStream([1]), TestContext.Current.CancellationToken);
        var tmp = Path.Combine(_root, "tmp");
        var dead = Path.Combine(tmp, "dead");
        await File.WriteAllBytesAsync(dead, new byte[700], TestContext.Current.CancellationToken);
        var writing = Path.Combine(tmp, "writing");
        await using var writer = new FileStream(writing, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        await writer.WriteAsync(new byte[10], TestContext.Current.CancellationToken);
        var old = TimeProvider.System.GetUtcNow().UtcDateTime - TimeSpan.FromHours(1);
        File.SetLastWriteTimeUtc(dead, old);
        File.SetLastWriteTimeUtc(writing, old);

        (await store.RemoveAbandonedWritesAsync(TestContext.Current.CancellationToken)).ShouldBe((1, 700L));

        File.Exists(dead).ShouldBeFalse();
        File.Exists(writing).ShouldBeTrue();
    }
}
