using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Storage.Backup;

namespace ComplianceHub.Web.Cli;

/// <summary><c>backup --out &lt;file&gt; [--json]</c>: a consistent online backup of the database and the blob store, with a manifest of hashes (audited).</summary>
internal sealed class BackupCommand : ICliCommand
{
    public string Verb => "backup";
    public string Summary => "Back the archive up while the portal runs: a database snapshot, every blob (still sealed) and a manifest of hashes, in one tar file.";
    public string Usage => "backup --out <file> [--json]";
    public IReadOnlyList<string> ValueOptions { get; } = ["out"];
    public IReadOnlyList<string> Flags { get; } = [];

    public async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var outFile = context.Arguments.Required("out");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var manifest = await context.Get<ArchiveBackup>().CreateAsync(outFile, ct);
        await context.Get<AuditLog>().RecordInOwnTransactionAsync(AuditEventType.ArchiveBackedUp, AuditActor.CommandLine,
            details: new { file = Path.GetFileName(outFile), files = manifest.Files.Count, blobs = manifest.Blobs, bytes = manifest.Bytes, archiveKeys = manifest.ArchiveKeys }, ct: ct);
        if (context.Arguments.Json)
        {
            await context.WriteJsonAsync(new { file = Path.GetFullPath(outFile), files = manifest.Files.Count, blobs = manifest.Blobs, bytes = manifest.Bytes, archiveKeys = manifest.ArchiveKeys, seconds = Math.Round(started.Elapsed.TotalSeconds, 1) });
        }
        else
        {
            await context.Out.WriteLineAsync(
                $"Backed up to {Path.GetFullPath(outFile)}: {manifest.Files.Count} file(s), {manifest.Blobs} blob(s), {ByteSize.Describe(manifest.Bytes)} in {started.Elapsed.TotalSeconds:N1} s.");
            await context.Out.WriteLineAsync(
                $"Its blobs are sealed under archive key(s) {string.Join(", ", manifest.ArchiveKeys)}: keep the key file backed up apart from it, or it cannot be read.");
        }

        return 0;
    }
}
