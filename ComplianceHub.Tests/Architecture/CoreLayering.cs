using System.Collections.Immutable;
using ComplianceHub.Core.Storage.Sqlite;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Tests.Architecture;

/// <summary>
/// Which Core folder may use which, as <c>docs/architecture.md</c> draws it, and a check of Core's source
/// against it: every name in every file (types, members, extension methods, <c>using</c> directives) is
/// bound by the compiler and the folder of what it names compared with the table.
/// </summary>
internal static class CoreLayering
{
    private const string CoreNamespace = "ComplianceHub.Core";

    private static readonly string[] Base = ["Common", "Storage", "Audit"];

    /// <summary>
    /// Folder → the folders it may use (its own always). A folder is a top-level Core folder, or one of
    /// Archive's sub-folders, which are layers of their own; other sub-folders belong to their parent.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> MayUse = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Common"] = [],
        ["Storage"] = ["Common"],
        ["Audit"] = ["Common", "Storage"],
        ["Pdf"] = ["Common"],
        ["Findings"] = [.. Base, "Archive"],
        ["Identity"] = [.. Base],
        ["Archive"] = Base,
        ["Archive/Writing"] = [.. Base, "Archive"],
        ["Archive/Ingestion"] = [.. Base, "Archive", "Archive/Writing"],
        ["Archive/Capture"] = [.. Base, "Archive", "Archive/Writing"],
        ["Roster"] = [.. Base, "Findings", "Identity", "Archive"],
        ["LegalHolds"] = [.. Base, "Archive"],
        ["Notifications"] = [.. Base, "Identity"],
        ["Policies"] = [.. Base, "Pdf", "Identity", "Roster", "Notifications"],
        ["Training"] = [.. Base, "Pdf", "Identity", "Roster", "Notifications"],
        ["Integrity"] = [.. Base, "Archive", "Archive/Writing", "Archive/Capture"],
        ["Search"] = [.. Base, "Archive", "Archive/Writing", "Roster", "LegalHolds"],
        ["Transcripts"] = [.. Base, "Archive", "Roster", "LegalHolds"],
        ["HoldNotices"] = [.. Base, "Archive", "Identity", "Notifications", "LegalHolds"],
        ["Retention"] = [.. Base, "Archive", "Archive/Writing", "Integrity", "Roster", "LegalHolds"],
        ["Exports"] = [.. Base, "Pdf", "Archive", "Roster", "LegalHolds", "Search", "Transcripts"],
        ["Dashboard"] = [.. Base, "Pdf", "Exports", "Notifications", "Policies", "Training", "Findings", "Identity", "Archive", "Archive/Writing", "Archive/Ingestion", "Archive/Capture", "Roster", "LegalHolds", "Search", "Transcripts"],
        ["Demo"] = [.. Base, "Pdf", "Exports", "Notifications", "Policies", "Training", "Findings", "Identity", "Archive", "Archive/Writing", "Archive/Ingestion", "Archive/Capture", "Roster", "LegalHolds", "Search", "Transcripts"],
    };

    private static readonly string[] OwnLayers = ["Writing", "Ingestion", "Capture"];

    /// <summary>Namespaces Core must never name: the portal and its component libraries (the check compiles against every assembly beside the tests, these included).</summary>
    private static readonly string[] UiNamespaces = ["ComplianceHub.Web", "MudBlazor", "Microsoft.AspNetCore.Components"];

    /// <summary>Core's source directory, found from the test's output directory.</summary>
    public static string CoreDirectory
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "ComplianceHub.sln")))
                {
                    return Path.Combine(directory.FullName, "ComplianceHub.Core");
                }
            }

            throw new InvalidOperationException("ComplianceHub.sln not found above the test output directory.");
        }
    }

    /// <summary>Core's hand-written source files (generated migrations excluded) as (path relative to Core, text).</summary>
    public static IEnumerable<(string Path, string Text)> CoreSources()
    {
        var root = CoreDirectory;
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal)
                || relative.StartsWith("Storage/Migrations/", StringComparison.Ordinal))
            {
                continue;
            }

            yield return (relative, File.ReadAllText(file));
        }
    }

    /// <summary>
    /// Every reference that breaks the table, as "file:line: folder uses folder (name)". Throws when the
    /// source does not compile, so a reference the compiler could not bind cannot slip through.
    /// </summary>
    public static IReadOnlyList<string> Violations(IEnumerable<(string Path, string Text)> sources)
    {
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, path: s.Path)).ToList();
        trees.Add(CSharpSyntaxTree.ParseText(ImplicitUsings, path: "GlobalUsings.g.cs"));
        var compilation = CSharpCompilation.Create("LayeringCheck", trees, References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        // CS8795: a partial method whose body a source generator writes ([GeneratedRegex]); generators do not run here.
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8795").Take(5).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Core's source did not compile for the layering check:\n" + string.Join("\n", errors));
        }

        var entities = ModelEntityNames.Value;
        var entityFolders = entities.Select(e => FolderOf(e[..e.LastIndexOf('.')])).ToHashSet(StringComparer.Ordinal);
        var violations = new List<string>();
        foreach (var tree in trees.Where(t => t.FilePath != "GlobalUsings.g.cs"))
        {
            var from = FolderOfFile(tree.FilePath);
            var allowed = Allowed(tree.FilePath, from);
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                var (symbol, isUsing) = node switch
                {
                    UsingDirectiveSyntax { Name: { } name } => (model.GetSymbolInfo(name).Symbol, true),
                    SimpleNameSyntax name when name.Parent is not UsingDirectiveSyntax and not QualifiedNameSyntax { Parent: UsingDirectiveSyntax }
                        => (model.GetSymbolInfo(name).Symbol ?? model.GetSymbolInfo(name).CandidateSymbols.FirstOrDefault(), false),
                    _ => (null, false),
                };
                if (symbol is null or ILocalSymbol or IParameterSymbol or IRangeVariableSymbol or ITypeParameterSymbol or ILabelSymbol
                    || (symbol is INamespaceSymbol && !isUsing))
                {
                    continue;
                }

                var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
                var ns = symbol is INamespaceSymbol n ? n.ToDisplayString() : type?.OriginalDefinition.ContainingNamespace?.ToDisplayString();
                if (ns is not null && UiNamespaces.Any(ui => ns == ui || ns.StartsWith(ui + ".", StringComparison.Ordinal)))
                {
                    violations.Add($"{tree.FilePath}:{Line(node)}: {Show(from)} uses the UI ({symbol.ToDisplayString()})");
                    continue;
                }

                if (ns is null || (ns != CoreNamespace && !ns.StartsWith(CoreNamespace + ".", StringComparison.Ordinal)))
                {
                    continue;
                }

                var to = FolderOf(ns);
                if (to == from || allowed.Contains(to))
                {
                    continue;
                }

                // The one DbContext is the model's composition: Storage may name every feature's entities, nothing else of theirs.
                if (from == "Storage" && (isUsing ? entityFolders.Contains(to) : IsEntity(type, entities)))
                {
                    continue;
                }

                violations.Add($"{tree.FilePath}:{Line(node)}: {Show(from)} uses {Show(to)} ({symbol.ToDisplayString()})");
            }
        }

        return violations.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The layer a namespace belongs to: "" for Core's root, else its first folder or one of Archive's own layers.</summary>
    public static string FolderOf(string ns)
    {
        var parts = ns == CoreNamespace ? [] : ns[(CoreNamespace.Length + 1)..].Split('.');
        return parts.Length switch
        {
            0 => "",
            > 1 when parts[0] == "Archive" && OwnLayers.Contains(parts[1]) => $"Archive/{parts[1]}",
            _ => parts[0],
        };
    }

    private static string FolderOfFile(string path)
    {
        var directory = Path.GetDirectoryName(path)?.Replace('\\', '/') ?? "";
        return FolderOf(directory.Length == 0 ? CoreNamespace : CoreNamespace + "." + directory.Replace('/', '.'));
    }

    /// <summary>
    /// What a file may use. Core's root (<c>AddComplianceHubCore</c>) composes everything; a feature's
    /// <c>*ServiceCollectionExtensions.cs</c> composes that feature's own layers.
    /// </summary>
    private static HashSet<string> Allowed(string path, string folder)
    {
        if (folder.Length == 0)
        {
            return [.. MayUse.Keys];
        }

        if (!MayUse.TryGetValue(folder, out var uses))
        {
            throw new InvalidOperationException($"{path}: folder '{folder}' has no row in the layering table (docs/architecture.md).");
        }

        var allowed = uses.ToHashSet(StringComparer.Ordinal);
        if (Path.GetFileName(path).EndsWith("ServiceCollectionExtensions.cs", StringComparison.Ordinal))
        {
            var top = folder.Split('/')[0];
            foreach (var (layer, its) in MayUse.Where(l => l.Key == top || l.Key.StartsWith(top + "/", StringComparison.Ordinal)))
            {
                allowed.Add(layer);
                allowed.UnionWith(its);
            }
        }

        return allowed;
    }

    private static bool IsEntity(INamedTypeSymbol? type, HashSet<string> entities)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (entities.Contains(t.OriginalDefinition.ToDisplayString()))
            {
                return true;
            }
        }

        return false;
    }

    private static int Line(SyntaxNode node) => node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    private static string Show(string folder) => folder.Length == 0 ? "Core's root" : folder;

    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    /// <summary>The framework and every assembly beside the tests, the portal's included, as the compiler's references (Core's own left out: its source is compiled).</summary>
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var local = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll");
        return [.. platform.Concat(local)
            .Where(p => Path.GetFileName(p) is not ("ComplianceHub.Core.dll" or "ComplianceHub.Tests.dll"))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => MetadataReference.CreateFromFile(g.First()))];
    });

    /// <summary>The CLR names of every entity type in the EF model.</summary>
    private static readonly Lazy<HashSet<string>> ModelEntityNames = new(() =>
    {
        var options = new DbContextOptionsBuilder<SqliteComplianceHubDbContext>().UseSqlite("Data Source=:memory:").Options;
        using var db = new SqliteComplianceHubDbContext(options);
        return db.Model.GetEntityTypes().Select(e => e.ClrType.FullName!).Where(n => n.StartsWith(CoreNamespace + ".", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
    });
}
