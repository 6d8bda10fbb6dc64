using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ComplianceHub.Core.Integrity;

/// <summary>
/// Seals checkpoints: the heads of the audit chain and of every conversation, the import batches, the webhook inbox and
/// the evidence records features register (<see cref="EvidenceRecords"/>: official-group stays, number status changes,
/// legal holds) as they stand, appended (signed, linked to the line before) to the log outside the data directory and noted in the
/// database. The web host seals every few minutes when anything changed, and after each import; <c>checkpoint</c>
/// seals on the command line. <c>verify</c> then finds any chain shorter than a checkpoint saw it, or ending elsewhere.
/// </summary>
public sealed class CheckpointService(
    IDbContextFactory<ComplianceHubDbContext> dbFactory, IOptions<IntegrityOptions> options, StorageSettings storage, IEnumerable<EvidenceRecords> evidence,
    ITimestampAuthority timestamps, TimeProvider clock, ILogger<CheckpointService> logger) : IDisposable
{
    private readonly SemaphoreSlim _sealing = new(1, 1);
    private CheckpointSigner? _signer;

    // The log as last read or written by this service, with the file's length then: read again only when the file changed.
    private (long Length, CheckpointLogContents Contents)? _cached;

    /// <summary>The log's path, its mirror's, and the signing key's.</summary>
    public (string Log, string? Mirror, string KeyFile) Paths
    {
        get
        {
            var (directory, mirror, key) = options.Value.Resolve(storage);
            return (Path.Combine(directory, CheckpointLog.FileName), mirror is null ? null : Path.Combine(mirror, CheckpointLog.FileName), key);
        }
    }

    /// <summary>The time-stamp tokens' log, beside the checkpoint log: a line per token, <c>sequence\tline SHA-256\tbase64 token</c>.</summary>
    public string TimestampsPath => Path.Combine(Path.GetDirectoryName(Paths.Log)!, TimestampLogFileName);

    public const string TimestampLogFileName = "timestamps.log";

    /// <summary>The certificate tokens must chain to (<c>Integrity:TimestampAuthorityCertificateFile</c>), or null.</summary>
    public X509Certificate2? TrustedTimestampAuthority => options.Value.TimestampAuthorityCertificateFile is { Length: > 0 } file
        ? X509CertificateLoader.LoadCertificate(PemOrDer(Path.GetFullPath(file, Path.GetDirectoryName(storage.DataDirectory) ?? storage.DataDirectory)))
        : null;

    private static byte[] PemOrDer(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) ? X509Certificate2.CreateFromPem(text).Export(X509ContentType.Cert) : bytes;
    }

    public CheckpointSigner Signer => _signer ??= CheckpointSigner.LoadOrCreate(Paths.KeyFile);

    /// <summary>
    /// Seals a checkpoint when anything changed since the last one (always when <paramref name="force"/>); returns it, or
    /// null when nothing changed. Refuses to write on a damaged log: that is for <c>verify</c> to report and a person to decide.
    /// </summary>
    public async Task<Checkpoint?> SealAsync(string reason, bool force = false, CancellationToken ct = default)
    {
        await _sealing.WaitAsync(ct);
        try
        {
            var (path, mirror, _) = Paths;
            await using var log = await CheckpointLog.OpenExclusiveAsync(path, ct);
            var contents = _cached is { } cached && cached.Length == log.Length ? cached.Contents : new CheckpointLogContents();
            if (!ReferenceEquals(contents, _cached?.Contents))
            {
                _cached = null;
                CheckpointLog.Read(log, Signer, contents);
            }

            if (contents.Problems.Count > 0)
            {
                throw new InvalidOperationException($"The checkpoint log {path} is damaged ({contents.Problems[0]}); no checkpoint was sealed. Run verify.");
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var audit = await ChainHeads.AuditAsync(db, ct);
            var conversations = await ChainHeads.ConversationsAsync(db, ct);
            var changed = conversations.Where(c => !contents.Conversations.TryGetValue(c.Id, out var before) || before != c).ToList();
            var imports = await ChainHeads.ImportsAsync(db, contents.Imports.Keys.ToHashSet(), ct);
            var inbox = await ChainHeads.InboxAsync(db, contents.Inbox, ct);
            var records = new List<SealedRecord>();
            foreach (var kind in evidence)
            {
                records.AddRange((await kind.ReadAsync(db, ct)).Select(r => new SealedRecord(kind.Kind, r.Id, r.Digest, r.Closed))
                    .Where(r => !contents.Records.TryGetValue((r.Kind, r.Id), out var before) || before != r));
            }

            if (!force && contents.Lines.Count > 0 && audit == contents.Audit && changed.Count == 0 && imports.Count == 0 && inbox == contents.Inbox
                && records.Count == 0)
            {
                return null;
            }

            var checkpoint = new Checkpoint(contents.Sequence + 1, clock.GetUtcNow(), reason, contents.LastLineSha256, Signer.KeyId, audit, conversations.Count, changed, imports, inbox, records);
            var line = CheckpointLog.Line(checkpoint, Signer);

            // The database's note and the log's line go together: the note is committed only once the line is on disk.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.IntegrityCheckpoints.Add(new IntegrityCheckpoint(checkpoint.Sequence, checkpoint.SealedAt, reason, CheckpointLog.LineHash(line), audit.Length,
                conversations.Count, conversations.Sum(c => c.Length)));
            await db.SaveChangesAsync(ct);
            CheckpointLog.Append(log, line);
            await transaction.CommitAsync(CancellationToken.None);
            contents.Apply(checkpoint, CheckpointLog.LineHash(line));
            _cached = (log.Length, contents);
            if (mirror is not null)
            {
                await using var copy = await CheckpointLog.OpenExclusiveAsync(mirror, ct);
                CheckpointLog.Append(copy, line);
            }

            if (timestamps.IsConfigured)
            {
                await StampAsync(checkpoint.Sequence, CheckpointLog.LineHash(line), mirror, ct);
            }

            logger.LogInformation("Checkpoint {Sequence} sealed ({Reason}): audit {AuditLength}, {Conversations} conversation(s), {Changed} changed, inbox {Inbox}",
                checkpoint.Sequence, reason, audit.Length, conversations.Count, changed.Count, inbox.Count);
            return checkpoint;
        }
        finally
        {
            _sealing.Release();
        }
    }

    /// <summary>
    /// Asks the time-stamping authority to countersign a line and appends its token to the timestamps log (and the
    /// mirror's). An authority that cannot be reached costs the checkpoint its token, not its seal: logged; the next
    /// checkpoint asks for a token of its own (the one that went without stays without).
    /// </summary>
    private async Task StampAsync(long sequence, string lineSha256, string? mirror, CancellationToken ct)
    {
        byte[] token;
        try
        {
            token = await timestamps.StampAsync(Convert.FromHexString(lineSha256), ct);
        }
        catch (Exception e) when (e is HttpRequestException or CryptographicException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Checkpoint {Sequence} was sealed without a time-stamp: the authority did not give one", sequence);
            return;
        }

        var entry = string.Join('\t', sequence.ToString(CultureInfo.InvariantCulture), lineSha256, Convert.ToBase64String(token));
        foreach (var path in new[] { TimestampsPath, mirror is null ? null : Path.Combine(Path.GetDirectoryName(mirror)!, TimestampLogFileName) })
        {
            if (path is not null)
            {
                await using var file = await CheckpointLog.OpenExclusiveAsync(path, ct);
                CheckpointLog.Append(file, entry);
            }
        }
    }

    /// <summary>
    /// Seals when due: an import completed since the last checkpoint, or the configured interval has passed (and
    /// anything changed). Returns the checkpoint sealed, or null.
    /// </summary>
    public async Task<Checkpoint?> SealIfDueAsync(CancellationToken ct = default)
    {
        var latest = await LatestAsync(ct);
        var now = clock.GetUtcNow();
        if (latest is null || now - latest.SealedAt >= TimeSpan.FromMinutes(Math.Max(1, options.Value.CheckpointMinutes)))
        {
            return await SealAsync(latest is null ? "first" : "periodic", ct: ct);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var since = latest.SealedAt;
        return await db.ImportBatches.AnyAsync(b => b.CompletedAt != null && b.CompletedAt > since, ct) ? await SealAsync("import", ct: ct) : null;
    }

    /// <summary>The latest checkpoint the database noted, or null.</summary>
    public async Task<IntegrityCheckpoint?> LatestAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.IntegrityCheckpoints.AsNoTracking().OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(ct);
    }

    public void Dispose()
    {
        _signer?.Dispose();
        _sealing.Dispose();
    }
}
