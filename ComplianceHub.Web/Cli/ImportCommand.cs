using System.Globalization;
using ComplianceHub.Core.Archive.Ingestion;
using ComplianceHub.Core.Audit;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Integrity;

namespace ComplianceHub.Web.Cli;

/// <summary>
/// <c>import &lt;file-or-folder&gt; --time-zone &lt;IANA&gt; [--custodian &lt;email&gt;] [--date-order dmy|mdy|ymd] [--dry-run] [--json]</c>.
/// Each file is imported on its own (all-or-nothing per file); with <c>--json</c> one JSON object per
/// file, one per line. Exit code 1 when any file could not be imported.
/// </summary>
internal sealed class ImportCommand : ICliCommand
{
    public string Verb => "import";
    public string Summary => "Import WhatsApp exports (.txt or .zip, or a folder of them) into the archive.";
    public string Usage => "import <file-or-folder> --time-zone <IANA> [--custodian <email>] [--date-order dmy|mdy|ymd] [--dry-run] [--json]";
    public IReadOnlyList<string> ValueOptions { get; } = ["time-zone", "custodian", "date-order"];
    public IReadOnlyList<string> Flags { get; } = ["dry-run"];

    /// <summary>A dry run only reads the files: it neither creates nor migrates a database.</summary>
    public bool NeedsDatabase(CliArguments arguments) => !arguments.HasFlag("dry-run");
    public int MaxPositionals => 1;

    public async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        var args = context.Arguments;
        if (args.Positionals.Count == 0)
        {
            throw new CliUsageException("give the export file or folder to import");
        }

        var timeZone = args.Required("time-zone");
        DateOrder? order = null;
        if (args.Value("date-order") is { } orderText)
        {
            order = DateOrderNames.TryParse(orderText, out var parsed) ? parsed : throw new CliUsageException($"--date-order is '{orderText}'; expected dmy, mdy or ymd");
        }

        var custodian = args.Value("custodian");
        if (custodian is not null && !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(custodian))
        {
            throw new CliUsageException($"--custodian '{custodian}' is not an e-mail address");
        }

        var files = FilesToImport(args.Positionals[0]);
        var options = new ImportOptions(timeZone, custodian, order);
        var imports = context.Get<ExportImportService>();
        var failures = 0;
        var imported = 0;
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            try
            {
                if (args.HasFlag("dry-run"))
                {
                    await ReportAsync(context, await imports.PreviewAsync(file, name, options, ct));
                }
                else
                {
                    await ReportAsync(context, name, await imports.ImportAsync(file, name, options, AuditActor.CommandLine, ct: ct));
                    imported++;
                }
            }
            catch (Exception ex) when (ex is ExportFormatException or ComplianceRuleException)
            {
                failures++;
                if (args.Json)
                {
                    await context.WriteJsonLineAsync(new { file = name, error = ex.Message });
                }
                else
                {
                    await context.Out.WriteLineAsync($"{name}: not imported");
                }

                await context.Error.WriteLineAsync($"import: {name}: {ex.Message}");
            }
        }

        if (imported > 0)
        {
            // What was imported is sealed at once, not at the portal's next periodic checkpoint.
            await context.Get<CheckpointService>().SealAsync("import", ct: ct);
        }

        return failures == 0 ? 0 : 1;
    }

    private static List<string> FilesToImport(string target)
    {
        if (Directory.Exists(target))
        {
            var files = Directory.EnumerateFiles(target)
                .Where(f => f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
            return files.Count > 0 ? files : throw new CliUsageException($"folder '{target}' holds no .txt or .zip export");
        }

        return File.Exists(target) ? [target] : throw new CliUsageException($"'{target}' is neither a file nor a folder");
    }

    private static async Task ReportAsync(CliContext context, ImportPreview preview)
    {
        if (context.Arguments.Json)
        {
            await context.WriteJsonLineAsync(new
            {
                file = preview.File,
                format = preview.Format,
                dateOrder = preview.DateOrder.ToCode(),
                dateOrderAmbiguous = preview.DateOrderAmbiguous,
                chat = preview.ChatTitle,
                messages = preview.Messages,
                systemMessages = preview.SystemMessages,
                authors = preview.Authors,
                first = Iso(preview.First),
                last = Iso(preview.Last),
                attachments = preview.Attachments,
                missingAttachments = preview.MissingAttachments,
                warnings = preview.Warnings,
                error = (string?)null,
            });
            return;
        }

        await context.Out.WriteLineAsync(
            $"{preview.File}: {preview.Format}, '{preview.ChatTitle}', {preview.Messages:N0} message(s) ({preview.SystemMessages:N0} system), " +
            $"{preview.Authors.Count} author(s), {Iso(preview.First) ?? "-"} to {Iso(preview.Last) ?? "-"}, {preview.Attachments.Count} attachment(s) referenced. Nothing stored (dry run).");
        foreach (var warning in preview.Warnings)
        {
            await context.Out.WriteLineAsync($"  warning: {warning}");
        }
    }

    private static async Task ReportAsync(CliContext context, string file, ImportResult result)
    {
        if (context.Arguments.Json)
        {
            await context.WriteJsonLineAsync(new
            {
                file,
                batchId = result.BatchId,
                conversationId = result.ConversationId,
                chat = result.ChatTitle,
                messages = result.MessagesInFile,
                added = result.MessagesAdded,
                alreadyPresent = result.MessagesAlreadyPresent,
                linkedToCaptured = result.MessagesLinkedToCaptured,
                attachmentsStored = result.AttachmentsStored,
                attachmentsMissing = result.AttachmentsMissing,
                warnings = result.Warnings,
                error = (string?)null,
            });
            return;
        }

        await context.Out.WriteLineAsync(
            $"{file}: imported into '{result.ChatTitle}' (batch {result.BatchId}): {result.MessagesAdded:N0} new, " +
            $"{result.MessagesAlreadyPresent:N0} already archived" +
            (result.MessagesLinkedToCaptured > 0 ? $" ({result.MessagesLinkedToCaptured:N0} captured live, linked to this export)" : "") +
            $", {result.AttachmentsStored} attachment(s) stored, {result.AttachmentsMissing} missing.");
        foreach (var warning in result.Warnings)
        {
            await context.Out.WriteLineAsync($"  warning: {warning}");
        }
    }

    /// <summary>Local ISO-8601 without offset: exports carry none.</summary>
    private static string? Iso(DateTime? value) => value?.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
}
