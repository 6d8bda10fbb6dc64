using System.Text.Json;
using ComplianceHub.Tests.TestSupport;
using ComplianceHub.Web.Cli;

namespace ComplianceHub.Tests.Web.Cli;

public sealed class ImportCommandTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "compliancehub-tests", "cli-import-" + Guid.NewGuid().ToString("N"));
    private readonly ExportFiles _files = new();

    public void Dispose()
    {
        _files.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestHost.TryDeleteDirectory(_dataDir);
    }

    private async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliDispatcher.RunAsync([.. args, "--data-dir", _dataDir], stdout, stderr, TestContext.Current.CancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private const string Chat = "1/4/23, 7:02\u202FPM - Person 2: hi\n1/15/23, 8:00\u202FAM - Person 1: IMG-20230115-WA0001.jpg (file attached)\n" +
                                "1/15/23, 8:01\u202FAM - Person 1: <Media omitted>\n1/16/23, 9:00\u202FAM - Person 1 added Person 3\n1/16/23, 9:30\u202FAM - Person 3: thanks";

    [Fact]
    public async Task DryRunJson_PrintsWhatTheFileHolds_AndStoresNothing()
    {
        var path = _files.Text("WhatsApp Chat with Desk.txt", Chat);

        var result = await RunAsync("import", path, "--time-zone", "America/New_York", "--dry-run", "--json");

        result.Exit.ShouldBe(0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        root.GetProperty("file").GetString().ShouldBe("WhatsApp Chat with Desk.txt");
        root.GetProperty("format").GetString().ShouldBe("Android m/d/y, 12h");
        root.GetProperty("dateOrder").GetString().ShouldBe("mdy");
        root.GetProperty("messages").GetInt32().ShouldBe(5);
        root.GetProperty("systemMessages").GetInt32().ShouldBe(1);
        root.GetProperty("authors").EnumerateArray().Select(a => a.GetString()).ShouldBe(["Person 1", "Person 2", "Person 3"]);
        root.GetProperty("first").GetString().ShouldBe("2023-01-04T19:02:00");
        root.GetProperty("last").GetString().ShouldBe("2023-01-16T09:30:00");
        root.GetProperty("attachments").EnumerateArray().Select(a => a.GetString()).ShouldBe(["IMG-20230115-WA0001.jpg"]);
        root.GetProperty("warnings").GetArrayLength().ShouldBe(1); // the referenced photo is not in a .txt upload
        root.GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
        File.Exists(Path.Combine(_dataDir, "compliancehub.db")).ShouldBeFalse(); // a dry run touches no database

        var verify = await RunAsync("verify", "--json");
        JsonDocument.Parse(verify.Out).RootElement.GetProperty("chains").EnumerateArray()
            .Single(c => c.GetProperty("chain").GetString() == "archive").GetProperty("records").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task Import_Folder_ImportsEachFile_AndReportsBadOnesWithANonZeroExit()
    {
        _files.Text("WhatsApp Chat with Desk.txt", Chat);
        _files.Text("notes.txt", "shopping list\nmilk");

        var result = await RunAsync("import", _files.Directory, "--time-zone", "America/New_York", "--custodian", "pat@example.com", "--json");

        result.Exit.ShouldBe(1);
        var lines = result.Out.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        lines.Count.ShouldBe(2);
        lines[0].GetProperty("file").GetString().ShouldBe("WhatsApp Chat with Desk.txt");
        lines[0].GetProperty("added").GetInt32().ShouldBe(5);
        lines[1].GetProperty("file").GetString().ShouldBe("notes.txt");
        lines[1].GetProperty("error").GetString()!.ShouldContain("line 1: this is not a WhatsApp chat export");
        result.Error.ShouldContain("import: notes.txt: line 1:");

        var again = await RunAsync("import", Path.Combine(_files.Directory, "WhatsApp Chat with Desk.txt"), "--time-zone", "America/New_York", "--custodian", "pat@example.com");
        again.Exit.ShouldBe(0);
        again.Out.ShouldContain("0 new, 5 already archived");
        (await RunAsync("verify")).Out.ShouldContain("archive: intact, 5 record(s)");
    }

    [Theory]
    [InlineData("missing required option --time-zone", "import", "{file}")]
    [InlineData("--date-order is 'dym'", "import", "{file}", "--time-zone", "UTC", "--date-order", "dym")]
    [InlineData("give the export file or folder", "import", "--time-zone", "UTC")]
    [InlineData("is neither a file nor a folder", "import", "/no/such/export.zip", "--time-zone", "UTC")]
    public async Task BadArguments_ExitWithCode2(string reason, params string[] args)
    {
        var path = _files.Text("WhatsApp Chat with Desk.txt", Chat);

        var result = await RunAsync(args.Select(a => a.Replace("{file}", path, StringComparison.Ordinal)).ToArray());

        result.Exit.ShouldBe(2);
        result.Error.ShouldContain(reason);
    }

    [Fact]
    public async Task Import_UnknownTimeZone_ExitsWithCode1AndTheReason()
    {
        var path = _files.Text("WhatsApp Chat with Desk.txt", Chat);

        var result = await RunAsync("import", path, "--time-zone", "Europe/Atlantis");

        result.Exit.ShouldBe(1);
        result.Error.ShouldContain("'Europe/Atlantis' is not a known IANA time zone");
    }
}
