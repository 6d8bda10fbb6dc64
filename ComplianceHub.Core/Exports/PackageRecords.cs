using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Transcripts;

namespace ComplianceHub.Core.Exports;

/// <summary>A later record that changes a message: an edit (its new text) or a deletion, by whom and when.</summary>
internal sealed record MessageChange(long Id, string Change, DateTimeOffset At, string Body, long? ParticipantId);

/// <summary>
/// What a package knows about one section beyond its messages: the conversation's header, the edits and deletions
/// of each message (by the message's id), the change and reaction records whose target is in the section (RSMF
/// folds those into their target), and the export files its messages were read from.
/// </summary>
internal sealed record PackageSection(
    ExportSection Section, TranscriptHeader Header, IReadOnlyDictionary<long, List<MessageChange>> Changes, IReadOnlySet<long> Folded,
    IReadOnlyList<PackageOriginal> Originals)
{
    public string ConversationKey => "C" + Section.ConversationId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The original file name of each import batch the section's messages came from.</summary>
    public IReadOnlyDictionary<long, string> BatchFiles { get; } = Originals.ToDictionary(o => o.BatchId, o => o.FileName);
}

/// <summary>An original export file a section's messages were read from, and where the package keeps it.</summary>
internal sealed record PackageOriginal(
    long BatchId, string FileName, string Sha256, long Length, DateTimeOffset UploadedAt, string UploadedBy, string TimeZoneId, string? Custodian)
{
    public string Path => $"originals/batch-{BatchId.ToString(CultureInfo.InvariantCulture)}/{PackagePaths.SafeName(FileName)}";
}

/// <summary>Names inside a package: plain, portable and never able to leave the package's folder.</summary>
internal static class PackagePaths
{
    /// <summary>"attachments/&lt;sha256&gt;.jpg": an attachment's bytes under their SHA-256, with the extension of its name.</summary>
    public static string Attachment(TranscriptAttachment attachment) => $"attachments/{attachment.Sha256}{Extension(attachment)}";

    /// <summary>The attachment's name inside an RSMF file's zip: its SHA-256 and extension.</summary>
    public static string RsmfAttachment(TranscriptAttachment attachment) => $"{attachment.Sha256}{Extension(attachment)}";

    public static string Extension(TranscriptAttachment attachment)
    {
        var extension = Path.GetExtension(attachment.FileName).ToLowerInvariant();
        if (extension.Length is < 2 or > 9 || !extension.Skip(1).All(char.IsAsciiLetterOrDigit))
        {
            extension = MediaTypes.ExtensionFor(attachment.MediaType);
        }

        return extension;
    }

    /// <summary>A file name with anything but letters, digits, spaces and <c>. _ - ( )</c> replaced, at most 120 characters.</summary>
    public static string SafeName(string name)
    {
        var safe = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormC))
        {
            safe.Append(char.IsLetterOrDigit(c) || c is ' ' or '.' or '_' or '-' or '(' or ')' ? c : '_');
        }

        var result = safe.ToString().Trim(' ', '.');
        result = result.Length > 120 ? result[..120] : result;
        return result.Length == 0 ? "file" : result;
    }
}

/// <summary>
/// One message as <c>messages.json</c> and <c>messages.csv</c> carry it. The CSV's columns are
/// <see cref="CsvHeader"/>, documented in the README; JSON names are the same.
/// </summary>
internal static class PackageRecords
{
    public static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    public static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    public static readonly string[] CsvHeader =
    [
        "message_id", "conversation_id", "conversation", "chain_sequence", "sent_at_utc", "sent_at_local", "sender", "sender_e164", "sender_roster",
        "kind", "body", "reply_to_id", "changes_message_id", "change", "history", "reactions", "attachments", "source", "source_reference",
        "chain_hash", "previous_hash",
    ];

    public static string KindName(MessageKind kind) => kind switch
    {
        MessageKind.System => "notice",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>"edit", "deletion" or "reaction" for a record that changes an earlier message; null otherwise.</summary>
    public static string? ChangeOf(TranscriptMessage m) => m.Target is null ? null : m.Kind switch
    {
        MessageKind.Deleted => "deletion",
        MessageKind.Reaction => "reaction",
        _ => "edit",
    };

    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Local(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string SourceReference(TranscriptMessage m, IReadOnlyDictionary<long, string> batchFiles) => m.Source == MessageSource.Export
        ? $"export \"{(m.ImportBatchId is { } batch ? batchFiles.GetValueOrDefault(batch) : null) ?? "unknown file"}\" line {m.LineNumber}"
          + (m.LocalTimestampText is { } written ? $", written \"{written}\"" : "")
        : $"webhook message {m.ExternalId}" + (m.WebhookDeliveryId is { } delivery ? $", delivery {delivery}" : "")
          + (m.AlsoExported ? "; also in an imported export" : "");

    public static string Sender(TranscriptMessage m) => m.Kind == MessageKind.System ? "" : m.Sender ?? "";

    public static string? Roster(TranscriptMessage m, PackageSection section) =>
        m.SenderId is { } id ? section.Header.Participants.FirstOrDefault(p => p.Id == id)?.RosterPerson : null;

    /// <summary>Writes one message as a compact JSON object.</summary>
    public static void WriteJson(Utf8JsonWriter json, TranscriptMessage m, PackageSection section, TimeZoneInfo zone)
    {
        var batchFiles = section.BatchFiles;
        json.WriteStartObject();
        json.WriteNumber("message_id", m.Id);
        json.WriteNumber("conversation_id", section.Section.ConversationId);
        json.WriteString("conversation", section.Header.Title);
        json.WriteNumber("chain_sequence", m.ChainSequence);
        json.WriteString("sent_at_utc", Utc(m.SentAt));
        json.WriteString("sent_at_local", Local(m.SentAt, zone));
        json.WriteString("sender", Sender(m));
        WriteNullable(json, "sender_e164", m.Kind == MessageKind.System ? null : m.SenderPhone);
        WriteNullable(json, "sender_roster", Roster(m, section));
        json.WriteString("kind", KindName(m.Kind));
        json.WriteString("body", m.Body);
        json.WriteBoolean("edited_marker", m.IsEdited);
        json.WriteBoolean("kind_uncertain", m.KindUncertain);
        WriteNullable(json, "reply_to_id", m.ReplyTo?.Id);
        WriteNullable(json, "changes_message_id", m.Target?.Id);
        WriteNullable(json, "change", ChangeOf(m));
        json.WriteStartArray("history");
        foreach (var change in section.Changes.GetValueOrDefault(m.Id) ?? [])
        {
            json.WriteStartObject();
            json.WriteNumber("message_id", change.Id);
            json.WriteString("change", change.Change);
            json.WriteString("at_utc", Utc(change.At));
            json.WriteString("body", change.Body);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("reactions");
        foreach (var reaction in m.Reactions)
        {
            json.WriteStartObject();
            json.WriteString("emoji", reaction.Emoji);
            WriteNullable(json, "sender", reaction.Sender);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("attachments");
        foreach (var a in m.Attachments)
        {
            json.WriteStartObject();
            json.WriteNumber("attachment_id", a.Id);
            json.WriteString("file_name", a.FileName);
            json.WriteString("media_type", a.MediaType);
            WriteNullable(json, "bytes", a.Length);
            WriteNullable(json, "sha256", a.Sha256);
            json.WriteString("status", Status(a.Status));
            WriteNullable(json, "path", a.Status == AttachmentStatus.Stored && a.Sha256 is not null ? PackagePaths.Attachment(a) : null);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("source");
        json.WriteString("type", m.Source == MessageSource.Export ? "export" : "webhook");
        WriteNullable(json, "import_batch_id", m.ImportBatchId);
        WriteNullable(json, "export_file", m.ImportBatchId is { } batch ? batchFiles.GetValueOrDefault(batch) : null);
        WriteNullable(json, "export_line", m.LineNumber);
        WriteNullable(json, "written_as", m.LocalTimestampText);
        WriteNullable(json, "whatsapp_message_id", m.ExternalId);
        WriteNullable(json, "webhook_delivery_id", m.WebhookDeliveryId);
        json.WriteBoolean("also_in_export", m.AlsoExported);
        json.WriteEndObject();
        json.WriteString("source_reference", SourceReference(m, batchFiles));
        json.WriteString("chain_hash", m.Hash);
        json.WriteString("previous_hash", m.PreviousHash);
        json.WriteEndObject();
    }

    /// <summary>The message's CSV cells, in <see cref="CsvHeader"/> order.</summary>
    public static string[] CsvCells(TranscriptMessage m, PackageSection section, TimeZoneInfo zone) =>
    [
        m.Id.ToString(CultureInfo.InvariantCulture),
        section.Section.ConversationId.ToString(CultureInfo.InvariantCulture),
        section.Header.Title,
        m.ChainSequence.ToString(CultureInfo.InvariantCulture),
        Utc(m.SentAt),
        Local(m.SentAt, zone),
        Sender(m),
        m.Kind == MessageKind.System ? "" : m.SenderPhone ?? "",
        Roster(m, section) ?? "",
        KindName(m.Kind) + (m.IsEdited ? " (edited)" : "") + (m.KindUncertain ? " (uncertain)" : ""),
        m.Body,
        m.ReplyTo?.Id?.ToString(CultureInfo.InvariantCulture) ?? "",
        m.Target?.Id?.ToString(CultureInfo.InvariantCulture) ?? "",
        ChangeOf(m) ?? "",
        string.Join(" | ", (section.Changes.GetValueOrDefault(m.Id) ?? []).Select(c => $"{c.Change} #{c.Id} at {Utc(c.At)}: {c.Body}")),
        string.Join("; ", m.Reactions.Select(r => $"{r.Emoji} {r.Sender ?? "unknown"}")),
        string.Join("; ", m.Attachments.Select(a => a.Status == AttachmentStatus.Stored && a.Sha256 is not null
            ? $"{PackagePaths.Attachment(a)} ({a.FileName})"
            : $"{Status(a.Status)}: {a.FileName}")),
        m.Source == MessageSource.Export ? "export" : "webhook",
        SourceReference(m, section.BatchFiles),
        m.Hash,
        m.PreviousHash,
    ];

    public static string Status(AttachmentStatus status) => status switch
    {
        AttachmentStatus.Stored => "stored",
        AttachmentStatus.Missing => "not in the export",
        _ => "not downloaded",
    };

    public static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    public static void WriteNullable(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>Serialises with a reusable buffer: one compact JSON value per call.</summary>
    public sealed class CompactJson
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);
        private readonly Utf8JsonWriter _writer;

        public CompactJson() => _writer = new Utf8JsonWriter(_buffer, Compact);

        public ReadOnlyMemory<byte> Write(Action<Utf8JsonWriter> write)
        {
            _buffer.ResetWrittenCount();
            _writer.Reset(_buffer);
            write(_writer);
            _writer.Flush();
            return _buffer.WrittenMemory;
        }
    }
}
