using System.Text;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Tests.Core.Common;

/// <summary>The portal's CSV (CsvHelper underneath): what is read, where a broken file is broken, and cells kept from running as formulas.</summary>
public sealed class CsvTests
{
    [Fact]
    public void Read_KeepsQuotedCommasQuotesAndLineBreaks_AndNamesTheLineEachRecordStartsOn()
    {
        const string text = "\uFEFFname,note\r\n\"Lee, Ann\",\"said \"\"hi\"\"\nthen left\"\r\n\r\nBo,plain\n";

        var records = Csv.Read(new StringReader(text)).ToList();

        records.Select(r => r.Line).ShouldBe([1, 2, 5]);
        records[0].Fields.ShouldBe(["name", "note"]);
        records[1].Fields.ShouldBe(["Lee, Ann", "said \"hi\"\nthen left"]);
        records[2].Fields.ShouldBe(["Bo", "plain"]);
    }

    [Theory]
    [InlineData("a,b\nc,\"never closed\nd,e\n", "Line 2: A quoted field that is never closed.")]
    [InlineData("a,b\nc,d\ne,x\"y\n", "Line 3: A quote inside an unquoted field.")]
    [InlineData("a,b\n\"c\"d,e\n", "Line 2: Text after the closing quote of a quoted field.")]
    public void Read_ABrokenFile_SaysWhatIsWrongAndOnWhichLine(string text, string expected)
    {
        var error = Should.Throw<FormatException>(() => Csv.Read(new StringReader(text)).ToList());

        error.Message.ShouldBe(expected);
    }

    [Fact]
    public void Written_CellsThatASpreadsheetWouldRun_StartWithAnApostrophe_AndReadBackUnchanged()
    {
        string[] cells = ["=HYPERLINK(\"http://evil\")", "+44 20 7946 0000", "-1", "@SUM(A1)", "\tx", "\ry", "plain", "it's", "'quoted already", "a,b", ""];

        var bytes = Csv.ToBytes(["h"], cells.Select(c => (IReadOnlyList<string>)[c]));
        var text = Encoding.UTF8.GetString(bytes);

        text[0].ShouldBe('\uFEFF');
        text.ShouldContain("\"'=HYPERLINK(\"\"http://evil\"\")\"\r\n");
        text.ShouldContain("\"'+44 20 7946 0000\"\r\n");
        text.ShouldContain("\r\nplain\r\n");
        var read = Csv.Read(new StringReader(text)).Skip(1).Select(r => r.Fields.Single()).ToList();
        read.Take(6).ShouldAllBe(cell => cell.StartsWith('\''));
        read.Select(Csv.Restore).ShouldBe(cells);
    }
}
