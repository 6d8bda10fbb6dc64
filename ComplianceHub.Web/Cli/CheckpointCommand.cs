using ComplianceHub.Core.Integrity;

namespace ComplianceHub.Web.Cli;

/// <summary><c>checkpoint [--json]</c>: seals an integrity checkpoint now (the chains' heads, signed, in the log outside the data directory).</summary>
internal sealed class CheckpointCommand : ICliCommand
{
    public string Verb => "checkpoint";
    public string Summary => "Seal an integrity checkpoint now: every chain's head, signed, appended to the log outside the data directory.";
    public string Usage => "checkpoint [--json]";
    public IReadOnlyList<string> ValueOptions { get; } = [];
    public IReadOnlyList<string> Flags { get; } = [];

    public async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var checkpoints = context.Get<CheckpointService>();
        var sealedNow = (await checkpoints.SealAsync("command line", force: true, ct))!;
        if (context.Arguments.Json)
        {
            await context.WriteJsonAsync(new
            {
                sequence = sealedNow.Sequence,
                sealedAt = sealedNow.SealedAt,
                auditLength = sealedNow.Audit.Length,
                conversations = sealedNow.ConversationCount,
                inboxDeliveries = sealedNow.Inbox.Count,
                log = checkpoints.Paths.Log,
            });
        }
        else
        {
            await context.Out.WriteLineAsync(
                $"Checkpoint {sealedNow.Sequence} sealed: audit trail {sealedNow.Audit.Length} event(s), {sealedNow.ConversationCount} conversation(s), "
                + $"{sealedNow.Inbox.Count} webhook deliveries; log {checkpoints.Paths.Log}");
        }

        return 0;
    }
}
