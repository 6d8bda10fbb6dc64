using System.IO.Compression;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Tests.TestSupport;

namespace ComplianceHub.Tests.Core.Archive;

public sealed class ExportPackageTests : IDisposable
{
    private readonly ExportFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Open_ZipEntryPointingOutsideTheArchive_IsRefused()
    {
        var path = _files.Zip("evil.zip", "_chat.txt", "[27/03/2022, 21:41:35] A: hi", ("../../etc/cron.d/job", [1, 2, 3]));

        var ex = Should.Throw<ExportFormatException>(() => ExportPackage.Open(path, "evil.zip"));

        ex.Message.ShouldContain("'../../etc/cron.d/job' points outside the archive");
    }

    [Fact]
    public void Open_ZipWithAbsurdCompressionRatio_IsRefused()
    {
        var path = Path.Combine(_files.Directory, "bomb.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var writer = new StreamWriter(zip.CreateEntry("_chat.txt").Open()))
            {
                writer.Write("[27/03/2022, 21:41:35] A: hi");
            }

            using var bomb = zip.CreateEntry("00000001-PHOTO.jpg", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++)
            {
                bomb.Write(zeros);
            }
        }

        var ex = Should.Throw<ExportFormatException>(() => ExportPackage.Open(path, "bomb.zip"));

        ex.Message.ShouldContain("beyond any real export");
    }

    [Fact]
    public void Open_ZipWithoutChatText_SaysWhatIsMissing()
    {
        var path = _files.Zip("photos.zip", "IMG-1.jpg", "not text", ("IMG-2.jpg", [1]));

        Should.Throw<ExportFormatException>(() => ExportPackage.Open(path, "photos.zip")).Message.ShouldContain("holds no chat text file");
    }

    [Fact]
    public void Open_NotAZip_SaysSo()
    {
        var path = _files.Text("fake.zip", "this is not a zip");

        Should.Throw<ExportFormatException>(() => ExportPackage.Open(path, "fake.zip")).Message.ShouldContain("not a readable zip file");
    }

    [Fact]
    public void Open_OtherFileType_IsRefused()
    {
        var path = _files.Text("chat.pdf", "x");

        Should.Throw<ExportFormatException>(() => ExportPackage.Open(path, "chat.pdf")).Message.ShouldContain("neither a .txt nor a .zip");
    }

    [Theory]
    [InlineData("WhatsApp Chat with Trading Desk.txt", "Trading Desk")]
    [InlineData("WhatsApp Chat - Maria Silva.zip", "Maria Silva")]
    [InlineData("WhatsApp-Chat mit\u00A0Jonas.txt", "Jonas")]
    [InlineData("desk-export.txt", "desk-export")]
    public void ChatTitle_ComesFromWhatsAppsFileNames(string fileName, string title) =>
        ExportPackage.TitleFromFileName(fileName).ShouldBe(title);
}
