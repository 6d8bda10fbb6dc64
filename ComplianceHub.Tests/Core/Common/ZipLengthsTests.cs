using System.Buffers.Binary;
using System.Text;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using ComplianceHub.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Core.Common;

/// <summary>A zip entry whose data inflates past the size its header declares is refused with the reason, not read cut short.</summary>
public sealed class ZipLengthsTests : IDisposable
{
    private const string Chat =
        "[27/03/2022, 21:41:35] Maria Silva: Good evening\r\n" +
        "[27/03/2022, 21:42:10] Joe Bloggs: Thanks, contract to follow\r\n" +
        "[27/03/2022, 21:43:10] Joe Bloggs: And the price is 167.20, not 16.72\r\n";

    private readonly ExportFiles _files = new();

    [Fact]
    public void AnHonestZip_HasNoMismatch_AndAForgedSizeIsNamed()
    {
        var path = _files.Zip("WhatsApp Chat - Maria Silva.zip", "_chat.txt", Chat, ("photo.jpg", new byte[5000]));
        ZipLengths.FindMismatch(path).ShouldBeNull();

        DeclareSize(path, "_chat.txt", 60);

        ZipLengths.FindMismatch(path).ShouldBe(new ZipLengths.Mismatch("_chat.txt", 60, Encoding.UTF8.GetByteCount(Chat)));
        ZipLengths.FindMismatch(path, name => name != "_chat.txt").ShouldBeNull();
        Should.Throw<InvalidDataException>(() => ZipLengths.FindMismatch(_files.Text("plain.zip", "not a zip")));
    }

    [Fact]
    public async Task AnExportWhoseChatInflatesPastItsDeclaredSize_IsRefusedWithTheReason_AndNothingIsStored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await TestHost.StartAsync(DatabaseProvider.Sqlite);
        var path = _files.Zip("WhatsApp Chat - Maria Silva.zip", "_chat.txt", Chat);
        DeclareSize(path, "_chat.txt", 60);

        var refused = await Should.ThrowAsync<ExportFormatException>(() => host.Get<ExportImportService>().ImportAsync(
            path, "WhatsApp Chat - Maria Silva.zip", new ImportOptions("Europe/Lisbon"), AuditActor.System, ct: ct));

        refused.Message.ShouldContain($"zip entry '_chat.txt' inflates to {Encoding.UTF8.GetByteCount(Chat)} bytes but its header declares 60");
        await using var db = await host.CreateDbContextAsync();
        (await db.ImportBatches.CountAsync(ct)).ShouldBe(0);
        (await db.ChatMessages.IgnoreQueryFilters().CountAsync(ct)).ShouldBe(0);
    }

    /// <summary>Rewrites an entry's declared uncompressed size in its local header and its central directory entry, as a forger would.</summary>
    private static void DeclareSize(string path, string entry, uint size)
    {
        var bytes = File.ReadAllBytes(path);
        var name = Encoding.UTF8.GetBytes(entry);
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            if (signature == 0x04034b50 && bytes.AsSpan(i + 30, name.Length).SequenceEqual(name))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 22), size);
            }
            else if (signature == 0x02014b50 && bytes.AsSpan(i + 46, name.Length).SequenceEqual(name))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 24), size);
            }
        }

        File.WriteAllBytes(path, bytes);
    }

    public void Dispose() => _files.Dispose();
}
