namespace ComplianceHub.Tests.Architecture;

/// <summary>Core's folders depend on each other only in the direction <c>docs/architecture.md</c> declares.</summary>
public sealed class LayeringTests
{
    [Fact]
    public void CoreFolders_UseOnlyTheFoldersTheLayeringAllows()
    {
        var violations = CoreLayering.Violations(CoreLayering.CoreSources());

        violations.ShouldBeEmpty(string.Join("\n", violations));
    }

    [Fact]
    public void LayeringCheck_ReportsAWrongReference_WithFileLineAndName()
    {
        // Archive sits below Roster: an archive type naming a roster type (here through a partly qualified name,
        // with no using directive) must be reported.
        var wrong = """
            namespace ComplianceHub.Core.Archive;

            internal static class LayeringProbe
            {
                public static string? Owner(ComplianceHub.Core.Storage.ComplianceHubDbContext db) => Roster.RosterNumbers.Owners(db).Select(o => o.Name).FirstOrDefault();
            }
            """;

        var violations = CoreLayering.Violations(CoreLayering.CoreSources().Append(("Archive/LayeringProbe.cs", wrong)));

        violations.ShouldContain("Archive/LayeringProbe.cs:5: Archive uses Roster (ComplianceHub.Core.Roster.RosterNumbers)");
        violations.ShouldContain(v => v.StartsWith("Archive/LayeringProbe.cs:5: Archive uses Roster (ComplianceHub.Core.Roster.RosterNumbers.Owners(", StringComparison.Ordinal));
    }

    [Fact]
    public void LayeringCheck_ReportsCoreNamingTheUi()
    {
        var wrong = """
            namespace ComplianceHub.Core.Common;

            internal static class UiProbe
            {
                public static string Policy => ComplianceHub.Web.Security.AuthorizationPolicyNames.ArchiveRead;
            }
            """;

        var violations = CoreLayering.Violations(CoreLayering.CoreSources().Append(("Common/UiProbe.cs", wrong)));

        violations.ShouldContain(v => v.StartsWith("Common/UiProbe.cs:5: Common uses the UI (ComplianceHub.Web.Security.AuthorizationPolicyNames", StringComparison.Ordinal));
    }

    [Fact]
    public void LayeringTable_NamesEveryCoreFolder_AndOnlyFoldersBelow()
    {
        var folders = CoreLayering.CoreSources().Select(s => Path.GetDirectoryName(s.Path)!.Replace('\\', '/'))
            .Where(d => d.Length > 0)
            .Select(d => CoreLayering.FolderOf("ComplianceHub.Core." + d.Replace('/', '.')))
            .ToHashSet(StringComparer.Ordinal);

        CoreLayering.MayUse.Keys.Order(StringComparer.Ordinal).ShouldBe(folders.Order(StringComparer.Ordinal));

        // No cycles: each folder's uses come earlier in a topological order.
        var placed = new List<string>();
        var remaining = CoreLayering.MayUse.Keys.ToList();
        while (remaining.Count > 0)
        {
            var next = remaining.FirstOrDefault(f => CoreLayering.MayUse[f].All(placed.Contains));
            next.ShouldNotBeNull($"the layering has a cycle among {string.Join(", ", remaining)}");
            placed.Add(next);
            remaining.Remove(next);
        }
    }
}
