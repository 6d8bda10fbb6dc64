using System.Diagnostics;
using System.Globalization;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Search;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>verify</c>: recomputes every hash chain, checks the database against the latest checkpoint sealed outside it and
/// re-hashes every evidence blob; each finding names its kind, the record and what was expected; exit code 0 when
/// nothing was found, 1 otherwise.
/// </summary>
internal sealed class VerifyCommand : ICliCommand
{
    public string Verb => "verify";
    public string Summary => "Check every hash chain, the chains against the latest checkpoint, and every evidence file's hash; non-zero exit on any finding.";
    public string Usage => "verify [--index [--repair]] [--resume] [--progress] [--json]";
    public IReadOnlyList<string> ValueOptions { get; } = [];
    public IReadOnlyList<string> Flags { get; } = ["index", "repair", "resume", "progress"];

    public async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var index = context.Arguments.HasFlag("index");
        if (context.Arguments.HasFlag("repair") && !index)
        {
            throw new CliUsageException("--repair repairs the search index: use it with --index");
        }

        var check = context.Get<SearchIndexCheck>();
        // Progress goes to standard error, so that --json's output stays one document.
        var run = new IntegrityRun(context.Arguments.HasFlag("progress") ? new ProgressLines(context.Error) : null, context.Arguments.HasFlag("resume"));
        var results = await context.Get<IntegrityVerificationService>().VerifyAllAsync(AuditActor.CommandLine, run, ct, index ? [check] : []);
        var intact = results.All(r => r.IsIntact);
        if (context.Arguments.Json)
        {
            await context.WriteJsonAsync(new
            {
                intact,
                chains = results.Select(r => new
                {
                    chain = r.Chain,
                    records = r.RecordsChecked,
                    intact = r.IsIntact,
                    brokenRecord = r.BrokenRecord,
                    problem = r.Problem,
                    headHash = r.HeadHash,
                    tombstones = r.TombstonesCrossed,
                }),
            });
        }
        else
        {
            foreach (var r in results)
            {
                await context.Out.WriteLineAsync(r.IsIntact
                    ? $"{r.Chain}: intact, {r.RecordsChecked} record(s)" + (r.TombstonesCrossed > 0 ? $" ({r.TombstonesCrossed} removed by disposition, crossed by their tombstones)" : "")
                        + (r.HeadHash is null ? "" : $", head {r.HeadHash}")
                    : $"{r.Chain}: BROKEN at {r.BrokenRecord}: {r.Problem} ({r.RecordsChecked} record(s) verified before it)");
            }
        }

        if (!intact && context.Arguments.HasFlag("repair") && results.Any(r => r.Chain == SearchIndexCheck.Kind && !r.IsIntact))
        {
            var (added, removed) = await check.RepairAsync(AuditActor.CommandLine, ct);
            await context.Error.WriteLineAsync($"verify: search index repaired: {added} message(s) indexed, {removed} entry(ies) with no message removed");
        }

        if (!intact)
        {
            var first = results.First(r => !r.IsIntact);
            await context.Error.WriteLineAsync($"verify: {first.Chain} chain broken at {first.BrokenRecord}: {first.Problem}");
            return 1;
        }

        return 0;
    }

    /// <summary>Writes a report a second at most, and the last, as it comes: the order of lines is the order of progress.</summary>
    private sealed class ProgressLines(TextWriter error) : IProgress<IntegrityProgress>
    {
        private readonly Lock _lock = new();
        private readonly Stopwatch _since = Stopwatch.StartNew();

        public void Report(IntegrityProgress value)
        {
            lock (_lock)
            {
                if (value.Done < value.Total && _since.Elapsed < TimeSpan.FromSeconds(1))
                {
                    return;
                }

                _since.Restart();
                error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"verify: {value.Check}: {value.Done:N0} of {value.Total:N0} checked") + (value.Bytes > 0 ? $" ({ByteSize.Describe(value.Bytes)} read)" : ""));
            }
        }
    }
}
