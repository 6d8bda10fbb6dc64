using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Storage.Blobs;
using ComplianceHub.Core.Storage.Encryption;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>keys status [--json]</c>: the archive key file, its keys, and how many blobs each seals;
/// <c>keys rotate [--json]</c>: appends a new key that seals everything stored from the portal's next start (audited).
/// </summary>
internal sealed class KeysCommand : ICliCommand
{
    public string Verb => "keys";
    public string Summary => "Show the archive's encryption keys and the blobs each seals (status), or add a new key for new data (rotate).";
    public string Usage => "keys status|rotate [--json]";
    public IReadOnlyList<string> ValueOptions { get; } = [];
    public IReadOnlyList<string> Flags { get; } = [];
    public int MaxPositionals => 1;

    public bool NeedsDatabase(CliArguments arguments) => arguments.Positionals is ["rotate"];

    public async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var keys = context.Get<ArchiveKeys>();
        switch (context.Arguments.Positionals)
        {
            case ["status"]:
            {
                var counts = context.Get<IBlobStore>() is FileSystemBlobStore files ? await files.CountByKeyAsync(ct) : new Dictionary<string, int>();
                if (context.Arguments.Json)
                {
                    await context.WriteJsonAsync(new { keyFile = keys.Path, active = keys.ActiveId, keys = keys.Ids.Select(id => new { id, blobs = counts.GetValueOrDefault(id) }), unsealedBlobs = counts.GetValueOrDefault("") });
                }
                else
                {
                    await context.Out.WriteLineAsync($"Key file {keys.Path}");
                    foreach (var id in keys.Ids)
                    {
                        await context.Out.WriteLineAsync($"  {id}{(id == keys.ActiveId ? " (seals new data)" : "")}: {counts.GetValueOrDefault(id)} blob(s)");
                    }

                    await context.Out.WriteLineAsync($"  written before blobs were sealed: {counts.GetValueOrDefault("")} blob(s)");
                    foreach (var missing in counts.Keys.Where(k => k.Length > 0 && !keys.Ids.Contains(k)))
                    {
                        await context.Out.WriteLineAsync($"  MISSING key {missing}: {counts[missing]} blob(s) cannot be read until its line is restored");
                    }
                }

                return counts.Keys.Any(k => k.Length > 0 && !keys.Ids.Contains(k)) ? 1 : 0;
            }

            case ["rotate"]:
            {
                var id = ArchiveKeys.Rotate(keys.Path);
                await context.Get<AuditLog>().RecordInOwnTransactionAsync(
                    AuditEventType.ArchiveKeyRotated, AuditActor.CommandLine, details: new { previous = keys.ActiveId, active = id }, ct: ct);
                if (context.Arguments.Json)
                {
                    await context.WriteJsonAsync(new { keyFile = keys.Path, previous = keys.ActiveId, active = id });
                }
                else
                {
                    await context.Out.WriteLineAsync(
                        $"Key {id} added to {keys.Path}: it seals what is stored from the portal's next start; {keys.ActiveId} and older keys stay to read what they sealed. Back the key file up now.");
                }

                return 0;
            }

            default:
                throw new CliUsageException("say 'status' or 'rotate'");
        }
    }
}
