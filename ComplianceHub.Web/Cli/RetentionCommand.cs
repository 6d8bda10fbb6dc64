using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Retention;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>retention rules</c> lists the rules in force; <c>retention set &lt;scope&gt; [target] --period P --reason R</c> sets
/// one (retiring the one it replaces); <c>retention retire &lt;id&gt;</c> retires one; <c>retention run --dry-run</c>
/// reports what a disposition would remove now and what legal holds keep; <c>retention run</c> runs one (or finishes one that
/// stopped), which with four eyes on waits for <c>retention approve &lt;run&gt;</c> by a second person (or
/// <c>retention reject &lt;run&gt; --reason R</c>); <c>retention settings --disposition on|off --four-eyes on|off</c> is the
/// administrator's switch. All audited.
/// </summary>
internal sealed class RetentionCommand : ICliCommand
{
    public string Verb => "retention";
    public string Summary => "The retention rules in force (rules), set or retire one (set, retire), what a disposition would remove now (run --dry-run), a disposition run (run, approve, reject) and the switches for it (settings).";
    public string Usage => "retention rules | set default|source|custodian|department|conversation|group [<target>] --period <7y|18m|6w|30d> --reason <text> | retire <id> | run [--dry-run] [--json] | approve <run> | reject <run> --reason <text> | settings [--disposition on|off] [--four-eyes on|off]";
    public IReadOnlyList<string> ValueOptions { get; } = ["period", "reason", "disposition", "four-eyes"];
    public IReadOnlyList<string> Flags { get; } = ["dry-run"];
    public int MaxPositionals => 3;

    public async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var retention = context.Get<RetentionService>();
        switch (context.Arguments.Positionals)
        {
            case ["rules"]:
                await PrintRulesAsync(context, await retention.RulesInForceAsync(ct));
                return 0;

            case ["set", var scopeText, ..]:
            {
                var target = context.Arguments.Positionals.Count == 3 ? context.Arguments.Positionals[2] : null;
                var scope = scopeText.ToLowerInvariant() switch
                {
                    "default" => RetentionScope.Default,
                    "source" => RetentionScope.Source,
                    "custodian" => RetentionScope.Custodian,
                    "department" => RetentionScope.Department,
                    "conversation" => RetentionScope.Conversation,
                    "group" => RetentionScope.OfficialGroup,
                    _ => throw new CliUsageException($"'{scopeText}' is not a scope: say default, source, custodian, department, conversation or group"),
                };
                var rule = await retention.SetRuleAsync(scope, target, context.Arguments.Required("period"), context.Arguments.Required("reason"), AuditActor.CommandLine, ct);
                await (context.Arguments.Json
                    ? context.WriteJsonAsync(new { id = rule.Id, scope = rule.Scope.ToString(), target = rule.Target, period = rule.Period })
                    : context.Out.WriteLineAsync($"Retention rule {rule.Id} set: {rule.Scope}{(rule.Target is null ? "" : " " + rule.Target)} kept {rule.ParsedPeriod.Describe()}."));
                return 0;
            }

            case ["retire", var idText]:
                if (!long.TryParse(idText, out var id))
                {
                    throw new CliUsageException($"'{idText}' is not a rule's id");
                }

                await retention.RetireRuleAsync(id, AuditActor.CommandLine, ct);
                if (!context.Arguments.Json)
                {
                    await context.Out.WriteLineAsync($"Retention rule {id} retired.");
                }
                else
                {
                    await context.WriteJsonAsync(new { retired = id });
                }

                return 0;

            case ["run"] when context.Arguments.HasFlag("dry-run"):
                await PrintPlanAsync(context, await retention.PlanAsync(AuditActor.CommandLine, ct));
                return 0;

            case ["run"]:
            {
                // A run that stopped before it finished (its process died) is finished first.
                var disposition = context.Get<DispositionService>();
                var outcome = await disposition.ResumeAsync(ct) ?? await disposition.RequestAsync(DispositionTrigger.OnDemand, AuditActor.CommandLine, ct);
                await PrintOutcomeAsync(context, outcome);
                return 0;
            }

            case ["approve", var runText]:
                await PrintOutcomeAsync(context, await context.Get<DispositionService>().ApproveAsync(RunId(runText), AuditActor.CommandLine, ct));
                return 0;

            case ["reject", var runText]:
            {
                var run = RunId(runText);
                await context.Get<DispositionService>().RejectAsync(run, context.Arguments.Required("reason"), AuditActor.CommandLine, ct);
                await (context.Arguments.Json ? context.WriteJsonAsync(new { rejected = run }) : context.Out.WriteLineAsync($"Disposition run {run} rejected: nothing it named was removed."));
                return 0;
            }

            case ["settings"]:
            {
                var disposition = context.Get<DispositionService>();
                var settings = await disposition.SettingsAsync(ct);
                var enabled = Switch(context, "disposition") ?? settings.Enabled;
                var fourEyes = Switch(context, "four-eyes") ?? settings.RequireApproval;
                if (enabled != settings.Enabled || fourEyes != settings.RequireApproval)
                {
                    settings = await disposition.ChangeSettingsAsync(enabled, fourEyes, AuditActor.CommandLine, ct);
                }

                await (context.Arguments.Json
                    ? context.WriteJsonAsync(new { dispositionEnabled = settings.Enabled, requireApproval = settings.RequireApproval, changedBy = settings.ChangedBy, changedAt = settings.ChangedAt })
                    : context.Out.WriteLineAsync($"Disposition {(settings.Enabled ? "on" : "off")}, four-eyes approval {(settings.RequireApproval ? "on" : "off")}"
                        + (settings.ChangedBy is null ? " (as configured)." : $" (set by {settings.ChangedBy} on {settings.ChangedAt:yyyy-MM-dd HH:mm} UTC).")));
                return 0;
            }

            default:
                throw new CliUsageException("say rules, set, retire, run, approve, reject or settings");
        }
    }

    private static long RunId(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new CliUsageException($"'{text}' is not a disposition run's number");

    private static bool? Switch(CliContext context, string option) => context.Arguments.Value(option) switch
    {
        null => null,
        "on" => true,
        "off" => false,
        var other => throw new CliUsageException($"--{option} takes on or off, not '{other}'"),
    };

    private static async Task PrintOutcomeAsync(CliContext context, DispositionOutcome outcome)
    {
        if (context.Arguments.Json)
        {
            await context.WriteJsonAsync(new
            {
                run = outcome.RunId,
                status = DispositionService.Describe(outcome.Status),
                expired = outcome.Expired,
                removed = outcome.Removed,
                keptByHold = outcome.KeptByHold,
                tombstones = outcome.Tombstones,
                blobsRemoved = outcome.BlobsRemoved,
                named = outcome.Named,
                heldSinceReport = outcome.HeldSinceReport,
            });
            return;
        }

        await context.Out.WriteLineAsync(outcome.Status == DispositionRunStatus.AwaitingApproval
            ? $"Disposition run {outcome.RunId}: {outcome.Expired:N0} message(s) expired, {outcome.KeptByHold:N0} kept by legal holds, {outcome.Named:N0} named for removal. It awaits a second person's approval (retention approve {outcome.RunId}); nothing was removed."
            : $"Disposition run {outcome.RunId} {DispositionService.Describe(outcome.Status)}: {outcome.Expired:N0} message(s) expired, {outcome.Removed:N0} removed (each leaving a tombstone), {outcome.KeptByHold:N0} kept by legal holds, {outcome.BlobsRemoved:N0} file(s) removed.");
    }

    private static async Task PrintRulesAsync(CliContext context, IReadOnlyList<RuleInForce> rules)
    {
        if (context.Arguments.Json)
        {
            await context.WriteJsonAsync(new
            {
                rules = rules.Select(r => new { id = r.Id, scope = r.Scope.ToString(), target = r.Target, period = r.Period.ToString(), reason = r.Reason, setBy = r.CreatedBy, setAt = r.CreatedAt }),
            });
            return;
        }

        foreach (var rule in rules)
        {
            await context.Out.WriteLineAsync($"{(rule.Id is { } id ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-"),5}  {rule.Describe()}  ({rule.Reason})");
        }
    }

    private static async Task PrintPlanAsync(CliContext context, DispositionPlan plan)
    {
        if (context.Arguments.Json)
        {
            await context.WriteJsonAsync(new
            {
                dryRun = true,
                at = plan.At,
                expired = plan.Expired,
                removed = 0,
                tombstones = 0,
                blobsRemoved = 0,
                wouldRemove = plan.WouldRemove,
                keptByHold = plan.KeptByHold,
                dispositionEnabled = plan.DispositionEnabled,
                conversations = plan.Rows.Where(r => r.Expired > 0).Select(r => new
                {
                    conversationId = r.ConversationId,
                    title = r.Title,
                    source = r.Source.ToString(),
                    rule = r.Rule.Describe(),
                    ruleId = r.Rule.Id,
                    expiredOnOrBefore = r.ExpiredOnOrBefore,
                    expired = r.Expired,
                    keptByHold = r.KeptByHold,
                    wouldRemove = r.WouldRemove,
                }),
                holds = plan.KeptBy.Select(h => new { holdId = h.HoldId, name = h.Name, messages = h.Messages }),
            });
            return;
        }

        await context.Out.WriteLineAsync($"Dry run at {plan.At:u}: {plan.Expired:N0} message(s) expired, {plan.KeptByHold:N0} kept by legal holds, {plan.WouldRemove:N0} would be removed. Nothing was removed.");
        foreach (var row in plan.Rows.Where(r => r.Expired > 0))
        {
            await context.Out.WriteLineAsync($"  {row.ConversationId,6} {row.Title} ({row.Source}): {row.Rule.Describe()}, sent on or before {row.ExpiredOnOrBefore:yyyy-MM-dd}: {row.Expired:N0} expired, {row.KeptByHold:N0} held, {row.WouldRemove:N0} to remove");
        }

        foreach (var hold in plan.KeptBy)
        {
            await context.Out.WriteLineAsync($"  kept by hold {hold.HoldId} {hold.Name}: {hold.Messages:N0} message(s)");
        }

        if (!plan.DispositionEnabled)
        {
            await context.Out.WriteLineAsync("Disposition is off (Retention:DispositionEnabled): an administrator turns it on.");
        }
    }
}
