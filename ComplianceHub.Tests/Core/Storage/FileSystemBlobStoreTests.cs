using System.Security.Cryptography;
using ComplianceHub.Core.Storage.Blobs;
using ComplianceHub.Tests.TestSupport;

namespace ComplianceHub.Tests.Core.Storage;

public sealed class FileSystemBlobStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "compliancehub-tests", "blobs-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => TestHost.TryDeleteDirectory(_root);

    [Fact]
    public async Task Put_ReturnsTheSha256AndLength_AndReadsBackTheSameBytes()
    {
        var store = new FileSystemBlobStore(_root);
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
        var store = new FileSystemBlobStore(_root);
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
        var store = new FileSystemBlobStore(_root);

        (await store.OpenReadAsync(sha256, TestContext.Current.CancellationToken)).ShouldBeNull();
        (await store.ExistsAsync(sha256, TestContext.Current.CancellationToken)).ShouldBeFalse();
    }
}
