using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Storage.Backup;
using ComplianceHub.Core.Storage.Encryption;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>restore &lt;file&gt; [--json]</c>: checks a backup against its manifest and the key file, restores it into an
/// empty data directory (and an empty PostgreSQL database), brings the schema up to date and verifies every chain and
/// blob of the restored copy. Exit 1 when anything does not hold; nothing is written when the backup does not check out.
/// </summary>
internal sealed class RestoreCommand : ICliCommand
{
    public string Verb => "restore";
    public string Summary => "Restore a backup into an empty data directory (and empty database), then verify the restored copy.";
    public string Usage => "restore <file> [--json]";
    public IReadOnlyList<string> ValueOptions { get; } = [];
    public IReadOnlyList<string> Flags { get; } = [];
    public int MaxPositionals => 1;

    public bool NeedsDatabase(CliArguments arguments) => false;

    public async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var file = context.Arguments.Positionals is [var given] ? given : throw new CliUsageException("give the backup file to restore");
        var storage = context.Get<StorageSettings>();
        // The key file must already hold the backup's keys: it is never created by a restore.
        ArchiveKeys keys;
        try
        {
            keys = ArchiveKeys.Load(ArchiveKeys.ResolvePath(storage, storage.KeyFile));
        }
        catch (InvalidOperationException e)
        {
            throw new ComplianceRuleException($"{e.Message} Give the archive's key file with --key-file (or Encryption:KeyFile).");
        }

        var manifest = await context.Get<ArchiveBackup>().RestoreAsync(file, keys, ct);
        await context.Get<DatabaseInitializer>().InitializeAsync(ct);
        await context.Get<AuditLog>().RecordInOwnTransactionAsync(AuditEventType.ArchiveRestored, AuditActor.CommandLine,
            details: new { file = Path.GetFileName(file), createdAt = manifest.CreatedAt, files = manifest.Files.Count, blobs = manifest.Blobs }, ct: ct);
        var results = await context.Get<IntegrityVerificationService>().VerifyAllAsync(AuditActor.CommandLine, ct);
        var intact = results.All(r => r.IsIntact);
        if (context.Arguments.Json)
        {
            await context.WriteJsonAsync(new
            {
                restored = manifest.Files.Count,
                blobs = manifest.Blobs,
                backedUpAt = manifest.CreatedAt,
                intact,
                problems = results.Where(r => !r.IsIntact).Select(r => $"{r.Chain}: {r.BrokenRecord}: {r.Problem}"),
            });
        }
        else
        {
            await context.Out.WriteLineAsync($"Restored {manifest.Files.Count} file(s) ({manifest.Blobs} blob(s)) of the backup taken {manifest.CreatedAt:u} into {storage.DataDirectory}.");
            foreach (var r in results)
            {
                await context.Out.WriteLineAsync(r.IsIntact ? $"{r.Chain}: intact, {r.RecordsChecked} record(s)" : $"{r.Chain}: BROKEN at {r.BrokenRecord}: {r.Problem}");
            }
        }

        return intact ? 0 : 1;
    }
}
