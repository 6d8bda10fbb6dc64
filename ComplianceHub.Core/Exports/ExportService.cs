using System.Globalization;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Search;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Exports;

/// <summary>
/// Produces what leaves the building for a matter: resolves the scope, writes the transcript or the e-discovery
/// package, and audits the production with its scope, its sections' hashes, its Bates range, the manifest's hash and
/// the SHA-256 of the file produced.
/// </summary>
public sealed partial class ExportService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, TranscriptPdfExporter transcripts, ExportPackageWriter packages, MessageSearchService search,
    AuditLog audit, TimeProvider clock)
{
    /// <summary>Writes the production of <paramref name="source"/> in <paramref name="format"/> to <paramref name="output"/> (audited once written).</summary>
    public async Task<ExportOutcome> WriteAsync(
        ExportSource source, ExportFormat format, ExportSettings settings, Stream output, AuditActor actor, IProgress<ExportProgress>? progress = null,
        CancellationToken ct = default)
    {
        settings.Validate();
        ResolvedExport scope;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            scope = await ExportScope.ResolveAsync(db, source, search, ct);
        }

        var producedAt = clock.GetUtcNow();
        var transcriptOptions = new TranscriptPdfOptions(settings.TimeZoneId, settings.BatesPrefix, settings.BatesStart, actor.Name, producedAt);
        await using var hashing = new HashingStream(output);
        ExportOutcome outcome;
        if (format == ExportFormat.Pdf)
        {
            var result = await transcripts.WriteAsync(scope, transcriptOptions, hashing, progress, ct);
            outcome = new ExportOutcome(hashing.Sha256(), hashing.Length, result.PageCount, result.FirstBates, result.LastBates, scope, null);
        }
        else
        {
            var result = await packages.WriteAsync(scope, new PackageOptions(settings.TimeZoneId, actor.Name, producedAt, source,
                format == ExportFormat.PackageWithTranscript ? transcriptOptions : null), hashing, progress, ct);
            outcome = new ExportOutcome(hashing.Sha256(), hashing.Length, result.Transcript?.PageCount, result.Transcript?.FirstBates,
                result.Transcript?.LastBates, scope, result);
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            audit.Record(db, AuditEventType.ProductionExported, actor, Subject(source), new
            {
                source = source.Describe(),
                search = source is ExportSource.Search s ? s.Criteria : null,
                format = format.Name(),
                matter = scope.Matter,
                matterNumber = scope.MatterNumber,
                sha256 = outcome.Sha256,
                bytes = outcome.Length,
                pages = outcome.Pages,
                batesFirst = outcome.FirstBates,
                batesLast = outcome.LastBates,
                manifestSha256 = outcome.Package?.ManifestSha256,
                signed = outcome.Package?.Signed,
                timeZone = settings.TimeZoneId,
                messages = scope.Messages,
                notices = scope.Notices,
                sections = scope.Sections.Select(s => new { conversationId = s.ConversationId, messages = s.Messages + s.Notices, sha256 = s.Sha256 }),
            });
            await db.SaveChangesAsync(ct);
        }

        return outcome;
    }

    /// <summary>What the production's audit event is about: the hold or the conversation; a search has no subject (its criteria are in the details).</summary>
    private static AuditSubject? Subject(ExportSource source) => source switch
    {
        ExportSource.LegalHold h => new AuditSubject("LegalHold", h.HoldId.ToString(CultureInfo.InvariantCulture)),
        ExportSource.Conversation c => new AuditSubject("Conversation", c.ConversationId.ToString(CultureInfo.InvariantCulture)),
        ExportSource.Search => null,
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")]
    internal static partial Regex BatesPrefixPattern();
}

/// <summary>How a production is numbered and timed: the zone of local times, the Bates prefix (null: none) and first number.</summary>
public sealed record ExportSettings(string TimeZoneId, string? BatesPrefix = null, long BatesStart = 1)
{
    public void Validate()
    {
        FindZone(TimeZoneId);

        if (BatesPrefix is not null && !ExportService.BatesPrefixPattern().IsMatch(BatesPrefix))
        {
            throw new ComplianceRuleException(
                $"Bates prefix '{BatesPrefix}' is not usable: 1 to 20 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        if (BatesStart is < 1 or > 999_999_999)
        {
            throw new ComplianceRuleException($"Bates start {BatesStart} is out of range: 1 to 999,999,999.");
        }
    }

    /// <summary>The zone an IANA name names, or a rule error saying the name is unknown.</summary>
    public static TimeZoneInfo FindZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
        ? zone
        : throw new ComplianceRuleException($"Unknown time zone '{id}': use an IANA name such as Europe/London.");
}

/// <summary>What a production is: the transcript PDF, the e-discovery package (ZIP), or the package carrying the transcript.</summary>
public enum ExportFormat
{
    Pdf,
    Package,
    PackageWithTranscript,
}

public static class ExportFormats
{
    /// <summary>The format's name on the command line and in the production record: pdf, zip, zip+pdf.</summary>
    public static string Name(this ExportFormat format) => format switch
    {
        ExportFormat.Pdf => "pdf",
        ExportFormat.Package => "zip",
        _ => "zip+pdf",
    };

    public static string Extension(this ExportFormat format) => format == ExportFormat.Pdf ? "pdf" : "zip";

    public static ExportFormat? Parse(string? name) => name switch
    {
        "pdf" => ExportFormat.Pdf,
        "zip" => ExportFormat.Package,
        "zip+pdf" => ExportFormat.PackageWithTranscript,
        _ => null,
    };
}

/// <summary>
/// A produced file: its SHA-256 and size, the transcript's pages and Bates range (null for a package without one),
/// the scope it covers, and for a package what its writer reports (the manifest's hash).
/// </summary>
public sealed record ExportOutcome(string Sha256, long Length, int? Pages, string? FirstBates, string? LastBates, ResolvedExport Scope, PackageResult? Package);
