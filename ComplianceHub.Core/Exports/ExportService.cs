using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Exports;

/// <summary>
/// Produces what leaves the building for a matter: resolves the scope, writes the transcript, and audits the
/// production with its scope, its sections' hashes, its Bates range and the SHA-256 of the file produced.
/// </summary>
public sealed partial class ExportService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, TranscriptPdfExporter transcripts, AuditLog audit, TimeProvider clock)
{
    /// <summary>Writes the transcript PDF of <paramref name="source"/> to <paramref name="output"/> (audited once written).</summary>
    public async Task<ExportOutcome> WritePdfAsync(
        ExportSource source, ExportSettings settings, Stream output, AuditActor actor, IProgress<ExportProgress>? progress = null, CancellationToken ct = default)
    {
        settings.Validate();
        ResolvedExport scope;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            scope = await ExportScope.ResolveAsync(db, source, ct);
        }

        var producedAt = clock.GetUtcNow();
        await using var hashing = new HashingStream(output);
        var result = await transcripts.WriteAsync(scope,
            new TranscriptPdfOptions(settings.TimeZoneId, settings.BatesPrefix, settings.BatesStart, actor.Name, producedAt), hashing, progress, ct);
        var outcome = new ExportOutcome(hashing.Sha256(), hashing.Length, result.PageCount, result.FirstBates, result.LastBates, scope);

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            audit.Record(db, AuditEventType.ProductionExported, actor, Subject(source), new
            {
                source = source.Describe(),
                format = "pdf",
                matter = scope.Matter,
                matterNumber = scope.MatterNumber,
                sha256 = outcome.Sha256,
                bytes = outcome.Length,
                pages = outcome.Pages,
                batesFirst = outcome.FirstBates,
                batesLast = outcome.LastBates,
                timeZone = settings.TimeZoneId,
                messages = scope.Messages,
                notices = scope.Notices,
                sections = scope.Sections.Select(s => new { conversationId = s.ConversationId, messages = s.Messages + s.Notices, sha256 = s.Sha256 }),
            });
            await db.SaveChangesAsync(ct);
        }

        return outcome;
    }

    private static AuditSubject Subject(ExportSource source) => source switch
    {
        ExportSource.LegalHold h => new AuditSubject("LegalHold", h.HoldId.ToString(CultureInfo.InvariantCulture)),
        ExportSource.Conversation c => new AuditSubject("Conversation", c.ConversationId.ToString(CultureInfo.InvariantCulture)),
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")]
    internal static partial Regex BatesPrefixPattern();

    /// <summary>Forwards writes to the output and hashes them on the way.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Position;
        public override long Position { get; set; }

        public string Sha256() => Convert.ToHexStringLower(_sha.GetHashAndReset());

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _sha.AppendData(buffer);
            inner.Write(buffer);
            Position += buffer.Length;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _sha.AppendData(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
            Position += buffer.Length;
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _sha.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>How a production is numbered and timed: the zone of local times, the Bates prefix (null: none) and first number.</summary>
public sealed record ExportSettings(string TimeZoneId, string? BatesPrefix = null, long BatesStart = 1)
{
    public void Validate()
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZoneId, out _))
        {
            throw new ComplianceRuleException($"Unknown time zone '{TimeZoneId}': use an IANA name such as Europe/London.");
        }

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
}

/// <summary>A produced file: its SHA-256 and size, pages and Bates range, and the scope it covers.</summary>
public sealed record ExportOutcome(string Sha256, long Length, int Pages, string? FirstBates, string? LastBates, ResolvedExport Scope);
