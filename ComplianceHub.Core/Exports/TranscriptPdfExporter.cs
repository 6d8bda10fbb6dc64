using System.Globalization;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Common;
using ComplianceHub.Core.Pdf;
using ComplianceHub.Core.Storage;
using ComplianceHub.Core.Transcripts;
using Microsoft.EntityFrameworkCore;

namespace ComplianceHub.Core.Exports;

/// <summary>
/// The court-ready transcript: a cover (matter, scope, counts, who produced it and when, the time zone of local
/// times, each section's SHA-256), a table of contents, then each conversation with its participants, date
/// separators and every message (sender, local and UTC time, body, replies, reactions, edits and deletions with the
/// original, notices set apart, attachments with size and SHA-256, image thumbnails, provenance in small print).
/// Every page carries the matter, "page x of y" and a Bates number. Messages are read by key a window at a time.
/// </summary>
public sealed class TranscriptPdfExporter(IDbContextFactory<ComplianceHubDbContext> dbFactory, TranscriptService transcripts, ExportSigner signer)
{
    /// <summary>Writes the transcript of <paramref name="scope"/> to <paramref name="output"/>; reports messages laid out and then drawn, of twice their number.</summary>
    public async Task<PdfResult> WriteAsync(
        ResolvedExport scope, TranscriptPdfOptions options, Stream output, IProgress<ExportProgress>? progress = null, CancellationToken ct = default)
    {
        var zone = ExportSettings.FindZone(options.TimeZoneId);
        var headers = new Dictionary<long, TranscriptHeader>();
        foreach (var section in scope.Sections)
        {
            headers[section.ConversationId] = await transcripts.ReadHeaderAsync(section.ConversationId, ct)
                ?? throw new ComplianceRuleException($"Conversation {section.ConversationId} is no longer in the archive.");
        }

        var batches = await BatchFilesAsync(scope, ct);
        var matter = scope.MatterNumber is { Length: > 0 } number ? $"{scope.Matter} · {number}" : scope.Matter;
        var documentOptions = new PdfDocumentOptions
        {
            Info = new PdfDocumentInfo($"Transcript: {scope.Matter}", "ComplianceHub", matter, options.GeneratedAt, "WhatsApp transcript; legal production"),
            BatesPrefix = options.BatesPrefix,
            BatesStart = options.BatesStart,
            Running = page => new PdfRunningText(
                HeaderLeft: matter,
                HeaderRight: $"Confidential · produced {options.GeneratedAt.UtcDateTime:yyyy-MM-dd}",
                FooterLeft: $"Page {page.Number} of {page.Count}",
                FooterRight: page.Bates),
            Signature = signer.Certificate is { } certificate
                ? new PdfSignatureRequest(certificate, $"Produced for {matter}; each section's SHA-256 is on the cover", "ComplianceHub")
                : null,
        };

        // Progress runs over both passes: laying out every message (the first half), then drawing it (the second).
        var total = scope.Messages + scope.Notices;
        return await PdfDocumentWriter.WriteAsync(output, documentOptions, async (pdf, token) =>
        {
            Cover(pdf, scope, options, zone, documentOptions, signer.Certificate?.Subject);
            var done = 0;
            foreach (var section in scope.Sections)
            {
                var header = headers[section.ConversationId];
                pdf.PageBreak();
                pdf.Heading(header.Title, 2, Anchor(section));
                pdf.KeyValues(SectionFacts(header, section, zone));
                var roster = header.Participants.Where(p => p.RosterPerson is not null).ToDictionary(p => p.Id, p => p.RosterPerson!);
                DateOnly? day = null;
                // Messages are read and prepared (database, photos from the blob store) on another thread while earlier ones are laid out.
                var prepared = transcripts.ReadSectionAsync(section, token).AheadAsync(async (message, t) =>
                {
                    var local = TimeZoneInfo.ConvertTime(message.SentAt, zone);
                    return (Local: local, Block: await MessageAsync(message, local, roster, batches, t));
                }, PrefetchMessages, token);
                await foreach (var (local, block) in prepared)
                {
                    if (DateOnly.FromDateTime(local.DateTime) != day)
                    {
                        day = DateOnly.FromDateTime(local.DateTime);
                        pdf.Separator(local.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture));
                    }

                    pdf.Message(block);
                    done++;
                    if (done % 500 == 0)
                    {
                        progress?.Report(new ExportProgress((pdf.IsFinalPass ? total : 0) + done, 2 * total));
                    }
                }
            }

            pdf.Space(12);
            pdf.Rule();
            pdf.Paragraph($"End of production: {scope.Sections.Count} conversation(s), {scope.Messages} message(s), {scope.Notices} notice(s).", PdfTextStyle.Muted);
            pdf.Anchor(EndAnchor);
            progress?.Report(new ExportProgress(pdf.IsFinalPass ? 2 * total : total, 2 * total));
        }, ct);
    }

    /// <summary>How many prepared messages may wait to be laid out (two database windows).</summary>
    private const int PrefetchMessages = 2 * TranscriptService.MaxPageSize;

    public static string Anchor(ExportSection section) => "conversation-" + section.ConversationId.ToString(CultureInfo.InvariantCulture);

    private static void Cover(IPdfContent pdf, ResolvedExport scope, TranscriptPdfOptions options, TimeZoneInfo zone, PdfDocumentOptions documentOptions, string? signedBy)
    {
        pdf.Heading($"Transcript: {scope.Matter}");
        var facts = new List<KeyValuePair<string, string>>
        {
            new("Matter", scope.Matter),
            new("Matter number", scope.MatterNumber ?? "none"),
        };
        facts.AddRange(scope.Scope);
        facts.Add(new("Conversations", scope.Sections.Count.ToString("N0", CultureInfo.InvariantCulture)));
        facts.Add(new("Messages", $"{scope.Messages.ToString("N0", CultureInfo.InvariantCulture)} (and {scope.Notices.ToString("N0", CultureInfo.InvariantCulture)} WhatsApp notices)"));
        facts.Add(new("Attachments", scope.Attachments.ToString("N0", CultureInfo.InvariantCulture)));
        facts.Add(new("Custodians", scope.Custodians.Count == 0 ? "none" : $"{scope.Custodians.Count}: {string.Join(", ", scope.Custodians)}"));
        facts.Add(new("Produced by", options.GeneratedBy));
        facts.Add(new("Produced at", $"{options.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC"));
        facts.Add(new("Local times in", $"{zone.Id} (each message also gives UTC)"));
        if (documentOptions.BatesPrefix is not null)
        {
            // Laid out before the page count is known: the same width either way (fixed digits).
            var last = pdf.IsFinalPass ? documentOptions.Bates(pdf.PageOf(EndAnchor) ?? 1) : documentOptions.Bates(1);
            facts.Add(new("Bates numbers", $"{documentOptions.Bates(1)} to {last}"));
        }

        facts.Add(new("Package manifest SHA-256", options.ManifestSha256 ?? "none: this transcript was produced on its own, without an e-discovery package"));

        facts.Add(new("Digital signature", signedBy is null ? "none (no signing certificate is configured)" : $"this PDF is signed by {signedBy}"));

        pdf.KeyValues(facts);
        pdf.Heading("Sections", 3);
        pdf.Paragraph(
            "Each section's SHA-256 is taken over the chain hashes of its messages, oldest first, each followed by a line feed; " +
            "the chain hash of every message is printed with it.", PdfTextStyle.Muted);
        foreach (var section in scope.Sections)
        {
            pdf.KeyValues([new(section.Title, $"{section.Messages:N0} messages, {section.Notices:N0} notices · SHA-256 {section.Sha256}")]);
        }

        pdf.Heading("Contents", 3);
        foreach (var section in scope.Sections)
        {
            pdf.ContentsEntry(section.Title, Anchor(section));
        }
    }

    /// <summary>An anchor on the last page, so the cover can name the last Bates number.</summary>
    private const string EndAnchor = "end-of-production";

    private static List<KeyValuePair<string, string>> SectionFacts(TranscriptHeader header, ExportSection section, TimeZoneInfo zone)
    {
        var participants = header.Participants.Select(p =>
            p.DisplayName + WithPhone(p.DisplayName, p.PhoneE164) + (p.RosterPerson is { } person ? $" · roster: {person}" : ""));
        return
        [
            new("Kind", header.Kind == ConversationKind.Group ? "group chat" : "direct chat"),
            new("Custodians", header.Custodians.Count == 0 ? "none" : string.Join(", ", header.Custodians)),
            new("Participants", string.Join("; ", participants)),
            new("In this section", $"{section.Messages:N0} messages and {section.Notices:N0} notices, {section.Attachments:N0} attachments"),
            new("Conversation span", header.FirstMessageAt is { } first && header.LastMessageAt is { } last
                ? $"{TimeZoneInfo.ConvertTime(first, zone):yyyy-MM-dd HH:mm} to {TimeZoneInfo.ConvertTime(last, zone):yyyy-MM-dd HH:mm} ({zone.Id})"
                : "no messages"),
            new("Section SHA-256", section.Sha256),
        ];
    }

    private async Task<PdfMessage> MessageAsync(
        TranscriptMessage m, DateTimeOffset local, Dictionary<long, string> roster, Dictionary<long, string> batches, CancellationToken ct)
    {
        var isNotice = m.Kind == MessageKind.System;
        var sender = isNotice ? "WhatsApp notice" : (m.Sender ?? "Unknown sender")
            + WithPhone(m.Sender, m.SenderPhone)
            + (m.SenderId is { } id && roster.TryGetValue(id, out var person) ? $" · roster: {person}" : "");
        var time = $"{local:yyyy-MM-dd HH:mm:ss} · {m.SentAt.UtcDateTime:HH:mm:ss} UTC";

        var notes = new List<string>();
        var body = m.Body;
        switch (m.Kind)
        {
            case MessageKind.Deleted:
                body = m.Body.Length > 0 ? m.Body : "This message was deleted";
                if (m.Target is { } deleted)
                {
                    notes.Add($"Deletion, at {time}, of {Describe(deleted)}");
                }

                break;
            case MessageKind.Reaction:
                body = m.Body.Length > 0 ? $"Reacted {m.Body}" : "Removed a reaction";
                if (m.Target is { } reacted)
                {
                    notes.Add($"To {Describe(reacted)}");
                }

                break;
            default:
                if (m.Target is { } edited)
                {
                    notes.Add($"Edit, at {time}, of {Describe(edited)}");
                }

                break;
        }

        if (m.IsEdited)
        {
            notes.Add("Marked as edited in the export (WhatsApp exports carry only the last text).");
        }

        if (m.KindUncertain)
        {
            notes.Add("Uncertain: the export's structure and wording disagree on whether this line is a notice.");
        }

        if (m.Reactions.Count > 0)
        {
            notes.Add("Reactions: " + string.Join(", ", m.Reactions.Select(r => $"{r.Emoji} {r.Sender ?? "unknown"}")));
        }

        var images = new List<PdfImage>();
        foreach (var attachment in m.Attachments)
        {
            var line = $"Attachment: {attachment.FileName} · {ByteSize.Describe(attachment.Length)} · {StatusOf(attachment)}"
                + (attachment.Sha256 is { } sha ? $" · SHA-256 {sha}" : "");
            if (attachment.IsImage && await transcripts.ReadAttachmentAsync(attachment, ct) is { } content)
            {
                await using (content)
                {
                    using var copy = new MemoryStream();
                    await content.CopyToAsync(copy, ct);
                    images.Add(new PdfImage(copy.ToArray(), line));
                }
            }
            else
            {
                notes.Add(line);
            }
        }

        var source = m.Source == MessageSource.Export
            ? $"Source: export {(m.ImportBatchId is { } batch && batches.TryGetValue(batch, out var file) ? $"\"{file}\"" : "")} line {m.LineNumber}"
              + (m.LocalTimestampText is { } written ? $", written \"{written}\"" : "")
            : $"Source: WhatsApp Cloud API webhook, message id {m.ExternalId}" + (m.WebhookDeliveryId is { } delivery ? $", delivery {delivery}" : "")
              + (m.AlsoExported ? "; also in an imported export" : "");
        return new PdfMessage(sender, time, body)
        {
            Quote = m.ReplyTo is { } reply ? $"Reply to {reply.Sender ?? "an earlier message"}: {reply.Body ?? "(not in the archive)"}" : null,
            Notes = notes,
            Images = images,
            SmallPrint = [source, $"Chain #{m.ChainSequence} · {m.Hash}"],
            IsNotice = isNotice,
        };
    }

    /// <summary>" (+447700900456)" after a name, unless the name is that number already (however it is spaced).</summary>
    private static string WithPhone(string? name, string? phone) =>
        phone is null || (name is not null && new string(name.Where(char.IsDigit).ToArray()) == new string(phone.Where(char.IsDigit).ToArray()))
            ? ""
            : $" ({phone})";

    private static string Describe(QuotedMessage target) => target.Body is null
        ? "a message not in the archive"
        : $"the message by {target.Sender ?? "unknown"}; original text: \u201C{target.Body}\u201D";

    private static string StatusOf(TranscriptAttachment attachment) => attachment.Status switch
    {
        AttachmentStatus.Stored => "stored",
        AttachmentStatus.Missing => "not in the export",
        _ => "not downloaded",
    };

    private async Task<Dictionary<long, string>> BatchFilesAsync(ResolvedExport scope, CancellationToken ct)
    {
        var conversations = scope.Sections.Select(s => s.ConversationId).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ImportBatches.AsNoTracking().Where(b => conversations.Contains(b.ConversationId))
            .ToDictionaryAsync(b => b.Id, b => b.OriginalFileName, ct);
    }
}

/// <summary>How a transcript is produced: the zone local times are shown in, Bates numbering, who produced it and when.</summary>
public sealed record TranscriptPdfOptions(string TimeZoneId, string? BatesPrefix, long BatesStart, string GeneratedBy, DateTimeOffset GeneratedAt)
{
    /// <summary>The SHA-256 of the e-discovery package's manifest this transcript goes with, printed on the cover.</summary>
    public string? ManifestSha256 { get; init; }
}

/// <summary>
/// Work done of the total. A transcript counts each message twice (laid out, then drawn); a package once per file that
/// lists it.
/// </summary>
public sealed record ExportProgress(int Done, int Total);
