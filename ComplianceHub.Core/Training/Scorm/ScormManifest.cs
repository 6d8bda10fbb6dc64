using System.Globalization;
using System.IO.Compression;
using System.Xml;
using System.Xml.Linq;
using ComplianceHub.Core.Common;

namespace ComplianceHub.Core.Training.Scorm;

/// <summary>
/// What a SCORM 1.2 package says about itself (<c>imsmanifest.xml</c> at the root of its zip): its title, the file
/// that launches its SCO, and what the SCO is told (mastery score, launch data, time allowed). Read defensively: the zip
/// is checked like an uploaded export (entry count, sizes, paths that stay inside), the XML without DTDs or external
/// resolution. ComplianceHub plays single-SCO packages, the form compliance-training authoring tools publish.
/// </summary>
public sealed record ScormManifest(
    string Title, string LaunchPath, string? LaunchParameters, int? MasteryScore, string? LaunchData, string? MaxTimeAllowed, string? TimeLimitAction,
    int EntryCount, long UncompressedLength)
{
    public const long MaxPackageLength = 500L * 1024 * 1024;
    public const int MaxEntries = 20_000;
    public const long MaxUncompressedLength = 2L * 1024 * 1024 * 1024;
    private const long MaxManifestLength = 4 * 1024 * 1024;

    /// <summary>Reads and checks a package; throws <see cref="ComplianceRuleException"/> naming what is wrong and where.</summary>
    public static ScormManifest Read(ZipArchive zip, string fileName)
    {
        if (zip.Entries.Count > MaxEntries)
        {
            throw new ComplianceRuleException($"\"{fileName}\" has {zip.Entries.Count:N0} files; a SCORM package may have at most {MaxEntries:N0}.");
        }

        long total = 0;
        foreach (var entry in zip.Entries)
        {
            if (SafePath(entry.FullName) is null)
            {
                throw new ComplianceRuleException($"\"{fileName}\": the entry \"{entry.FullName}\" points outside the package; the file is refused.");
            }

            total += entry.Length;
            if (total > MaxUncompressedLength)
            {
                throw new ComplianceRuleException($"\"{fileName}\" would unpack to more than {ByteSize.Describe(MaxUncompressedLength)}; the file is refused.");
            }
        }

        var manifestEntry = zip.GetEntry("imsmanifest.xml")
            ?? throw new ComplianceRuleException(zip.Entries.Any(e => e.Name.Equals("imsmanifest.xml", StringComparison.OrdinalIgnoreCase))
                ? $"\"{fileName}\": imsmanifest.xml is not at the root of the zip. Zip the package's contents, not the folder that holds them."
                : $"\"{fileName}\" is not a SCORM package: it has no imsmanifest.xml.");
        if (manifestEntry.Length > MaxManifestLength)
        {
            throw new ComplianceRuleException($"\"{fileName}\": imsmanifest.xml is larger than {ByteSize.Describe(MaxManifestLength)}.");
        }

        XDocument xml;
        try
        {
            using var stream = manifestEntry.Open();
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CloseInput = true });
            xml = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            throw new ComplianceRuleException($"\"{fileName}\": imsmanifest.xml is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition}: {ex.Message}).");
        }
        catch (InvalidDataException ex)
        {
            throw new ComplianceRuleException($"\"{fileName}\": imsmanifest.xml cannot be read ({ex.Message}).");
        }

        var manifest = xml.Root is { } root && root.Name.LocalName == "manifest"
            ? root
            : throw new ComplianceRuleException($"\"{fileName}\": imsmanifest.xml does not start with <manifest>.");

        var version = Child(Child(manifest, "metadata"), "schemaversion")?.Value.Trim();
        if (version is not null && (version.Contains("2004", StringComparison.Ordinal) || version.StartsWith("CAM 1.3", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ComplianceRuleException($"\"{fileName}\" is a SCORM 2004 package (schema version \"{version}\"); the portal plays SCORM 1.2. Ask the vendor for a SCORM 1.2 export.");
        }

        var organizations = Child(manifest, "organizations");
        var defaultId = organizations?.Attribute("default")?.Value;
        var organization = Children(organizations, "organization").FirstOrDefault(o => o.Attribute("identifier")?.Value == defaultId)
            ?? Children(organizations, "organization").FirstOrDefault()
            ?? throw new ComplianceRuleException($"\"{fileName}\": imsmanifest.xml has no <organization>, so nothing says what to launch.");

        var resourcesElement = Child(manifest, "resources");
        var resources = Children(resourcesElement, "resource")
            .Where(r => r.Attribute("identifier") is not null)
            .GroupBy(r => r.Attribute("identifier")!.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        var scos = organization.Descendants().Where(e => e.Name.LocalName == "item")
            .Select(item => (Item: item, Resource: item.Attribute("identifierref")?.Value is { } reference && resources.TryGetValue(reference, out var r) ? r : null))
            .Where(x => x.Resource is not null && IsSco(x.Resource))
            .ToList();
        if (scos.Count == 0)
        {
            throw new ComplianceRuleException($"\"{fileName}\" has no SCO (a resource with adlcp:scormtype=\"sco\" that an item launches), so nothing in it would report completion.");
        }

        if (scos.Count > 1)
        {
            throw new ComplianceRuleException(
                $"\"{fileName}\" has {scos.Count} SCOs; the portal plays single-SCO packages (what Storyline, Rise, Captivate and iSpring publish by default). Publish the course as one SCO.");
        }

        var (sco, resource) = scos[0];
        var href = resource!.Attribute("href")?.Value.Trim();
        if (string.IsNullOrEmpty(href))
        {
            throw new ComplianceRuleException($"\"{fileName}\": the SCO's resource \"{resource.Attribute("identifier")!.Value}\" has no href to launch.");
        }

        if (Uri.TryCreate(href, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            throw new ComplianceRuleException($"\"{fileName}\" launches {href}, outside the package; the portal plays packages that carry their content.");
        }

        var (pathPart, query) = SplitQuery(href);
        var basePath = string.Concat(XmlBase(manifest), XmlBase(resourcesElement), XmlBase(resource));
        var launch = SafePath(Uri.UnescapeDataString(basePath + pathPart))
            ?? throw new ComplianceRuleException($"\"{fileName}\": the launch file \"{href}\" points outside the package.");
        if (FindEntry(zip, launch) is null)
        {
            throw new ComplianceRuleException($"\"{fileName}\": the launch file \"{launch}\" named in imsmanifest.xml is not in the zip.");
        }

        var parameters = string.Concat(query, sco.Attribute("parameters")?.Value.Trim() is { Length: > 0 } p
            ? (query.Length > 0 && !p.StartsWith('#') ? "&" + p.TrimStart('?', '&') : p)
            : "");

        int? mastery = null;
        if (ChildText(sco, "masteryscore") is { } masteryText)
        {
            mastery = decimal.TryParse(masteryText, NumberStyles.Number, CultureInfo.InvariantCulture, out var m) && m is >= 0 and <= 100
                ? (int)Math.Round(m, MidpointRounding.AwayFromZero)
                : throw new ComplianceRuleException($"\"{fileName}\": adlcp:masteryscore \"{masteryText}\" is not a number from 0 to 100.");
        }

        var title = (Child(organization, "title")?.Value ?? Child(sco, "title")?.Value)?.Trim();
        return new ScormManifest(
            string.IsNullOrEmpty(title) ? Path.GetFileNameWithoutExtension(fileName) : Truncate(title, Course.MaxTitleLength),
            launch, parameters.Length > 0 ? parameters : null, mastery,
            ChildText(sco, "datafromlms") is { } data ? Truncate(data, 4096) : null,
            ChildText(sco, "maxtimeallowed"), ChildText(sco, "timelimitaction"),
            zip.Entries.Count, total);
    }

    /// <summary>
    /// A zip entry's path made safe to look up (forward slashes, no leading slash, no <c>.</c> or <c>..</c> segments,
    /// no drive letters), or null when it would leave the package.
    /// </summary>
    public static string? SafePath(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == ".." || part.Contains(':', StringComparison.Ordinal) || part.Any(char.IsControl))
            {
                return null;
            }

            parts.Add(part);
        }

        return parts.Count == 0 || path.StartsWith('/') || path.StartsWith('\\') ? null : string.Join('/', parts);
    }

    /// <summary>The entry at a safe path: exactly, else ignoring case (packages authored on Windows often differ in case).</summary>
    public static ZipArchiveEntry? FindEntry(ZipArchive zip, string safePath) =>
        zip.GetEntry(safePath)
        ?? zip.Entries.FirstOrDefault(e => string.Equals(SafePath(e.FullName), safePath, StringComparison.Ordinal))
        ?? zip.Entries.FirstOrDefault(e => string.Equals(SafePath(e.FullName), safePath, StringComparison.OrdinalIgnoreCase));

    private static bool IsSco(XElement resource) =>
        resource.Attributes().FirstOrDefault(a => a.Name.LocalName.Equals("scormtype", StringComparison.OrdinalIgnoreCase))?.Value.Trim()
            .Equals("sco", StringComparison.OrdinalIgnoreCase) == true;

    private static string XmlBase(XElement? element) => element?.Attribute(XNamespace.Xml + "base")?.Value.Trim() is { Length: > 0 } b
        ? (b.EndsWith('/') ? b : b + "/")
        : "";

    private static (string Path, string Query) SplitQuery(string href)
    {
        var cut = href.IndexOfAny(['?', '#']);
        return cut < 0 ? (href, "") : (href[..cut], href[cut..]);
    }

    private static XElement? Child(XElement? parent, string localName) => Children(parent, localName).FirstOrDefault();

    private static IEnumerable<XElement> Children(XElement? parent, string localName) =>
        parent?.Elements().Where(e => e.Name.LocalName == localName) ?? [];

    private static string? ChildText(XElement parent, string localName) => Child(parent, localName)?.Value.Trim() is { Length: > 0 } text ? text : null;

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
