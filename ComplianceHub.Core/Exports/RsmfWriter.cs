using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Archive;
using ComplianceHub.Core.Storage.Blobs;
using ComplianceHub.Core.Transcripts;

namespace ComplianceHub.Core.Exports;

/// <summary>
/// Relativity Short Message Format 2.0.0 for one section: RFC 5322 messages (<c>.rsmf</c>) each carrying one
/// <c>rsmf.zip</c> (the <c>rsmf_manifest.json</c> and the attachments it names, all at the zip's root) and a readable
/// text body. A conversation of more than <see cref="MaxEvents"/> events is sliced into several files tied together
/// by <c>X-RSMF-EventCollectionID</c>. Edits, deletions and reactions whose message is in the section are folded into
/// that message's event (<c>edits</c>, <c>deleted</c>, <c>reactions</c>); WhatsApp's notices are <c>disclaimer</c> events.
/// </summary>
internal sealed class RsmfWriter(IBlobStore blobs, PackageSection section, string generator, CancellationToken ct) : IAsyncDisposable
{
    public const string Version = "2.0.0";

    /// <summary>The most events in one file (Relativity's advice).</summary>
    public const int MaxEvents = 10_000;

    private readonly List<(string Path, int Events)> _written = [];
    private Slice? _slice;

    public string CollectionId => $"compliancehub-conversation-{section.Section.ConversationId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Adds one message as an event (unless it is folded into its target); <paramref name="writeFile"/> stores each finished file.</summary>
    public async Task AddAsync(TranscriptMessage m, Func<string, Func<Stream, Task>, Task> writeFile)
    {
        if (section.Folded.Contains(m.Id))
        {
            return;
        }

        if (_slice is { Events: >= MaxEvents })
        {
            await FinishSliceAsync(writeFile);
        }

        _slice ??= await Slice.StartAsync(section, CollectionId, ct);
        _slice.Add(m);
    }

    /// <summary>Finishes the last file (an empty section still gets one, with no events); returns every file written.</summary>
    public async Task<IReadOnlyList<(string Path, int Events)>> FinishAsync(Func<string, Func<Stream, Task>, Task> writeFile)
    {
        _slice ??= await Slice.StartAsync(section, CollectionId, ct);
        await FinishSliceAsync(writeFile);
        return _written;
    }

    public async ValueTask DisposeAsync()
    {
        if (_slice is not null)
        {
            await _slice.DisposeAsync();
        }
    }

    private async Task FinishSliceAsync(Func<string, Func<Stream, Task>, Task> writeFile)
    {
        var slice = _slice!;
        _slice = null;
        await using (slice)
        {
            var path = $"rsmf/conversation-{section.Section.ConversationId.ToString(CultureInfo.InvariantCulture)}-{(_written.Count + 1).ToString("D3", CultureInfo.InvariantCulture)}.rsmf";
            await slice.CloseZipAsync(blobs, ct);
            await writeFile(path, output => slice.WriteMessageAsync(output, generator, CollectionId, ct));
            _written.Add((path, slice.Events));
        }
    }

    /// <summary>One .rsmf file being built: its zip (manifest then attachments) and its text body, both in temporary files.</summary>
    private sealed class Slice : IAsyncDisposable
    {
        private readonly PackageSection _section;
        private readonly FileStream _zipFile;
        private readonly FileStream _textFile;
        private readonly StreamWriter _text;
        private readonly Dictionary<string, TranscriptAttachment> _attachments = new(StringComparer.Ordinal);
        private readonly HashSet<long> _participants;
        private ZipArchive? _zip;
        private Stream? _manifest;
        private Utf8JsonWriter? _json;

        private Slice(PackageSection section)
        {
            _section = section;
            _participants = section.Header.Participants.Select(p => p.Id).ToHashSet();
            _zipFile = TempFile();
            _textFile = TempFile();
            _text = new StreamWriter(_textFile, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\r\n" };
        }

        public int Events { get; private set; }
        public int AttachmentCount { get; private set; }
        public DateTimeOffset? First { get; private set; }
        public DateTimeOffset? Last { get; private set; }

        public static async Task<Slice> StartAsync(PackageSection section, string collectionId, CancellationToken ct)
        {
            var slice = new Slice(section);
            slice._zip = new ZipArchive(slice._zipFile, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
            slice._manifest = await slice._zip.CreateEntry("rsmf_manifest.json", CompressionLevel.Fastest).OpenAsync(ct);
            var json = slice._json = new Utf8JsonWriter(slice._manifest, PackageRecords.Indented);
            json.WriteStartObject();
            json.WriteString("version", Version);
            json.WriteString("eventcollectionid", collectionId);
            json.WriteStartArray("participants");
            foreach (var p in section.Header.Participants)
            {
                json.WriteStartObject();
                json.WriteString("id", Participant(p.Id));
                json.WriteString("display", p.DisplayName);
                if (p.PhoneE164 is { } phone)
                {
                    json.WriteString("account_id", phone);
                }

                WriteCustom(json, ("Phone", p.PhoneE164), ("Roster", p.RosterPerson));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("conversations");
            json.WriteStartObject();
            json.WriteString("id", section.ConversationKey);
            json.WriteString("display", section.Header.Title);
            json.WriteString("platform", "whatsapp");
            json.WriteString("type", section.Header.Kind == ConversationKind.Group ? "channel" : "direct");
            json.WriteStartArray("participants");
            foreach (var p in section.Header.Participants)
            {
                json.WriteStringValue(Participant(p.Id));
            }

            json.WriteEndArray();
            WriteCustom(json,
                ("ComplianceHub conversation", section.Section.ConversationId.ToString(CultureInfo.InvariantCulture)),
                ("Custodians", string.Join(", ", section.Header.Custodians)),
                ("Section SHA-256", section.Section.Sha256));
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartArray("events");
            return slice;
        }

        public void Add(TranscriptMessage m)
        {
            var json = _json!;
            var isNotice = m.Kind == MessageKind.System;
            var changes = _section.Changes.GetValueOrDefault(m.Id) ?? [];
            json.WriteStartObject();
            json.WriteString("id", "M" + m.Id.ToString(CultureInfo.InvariantCulture));
            json.WriteString("type", isNotice ? "disclaimer" : "message");
            json.WriteString("conversation", _section.ConversationKey);
            if (m.SenderId is { } sender && _participants.Contains(sender) && !isNotice)
            {
                json.WriteString("participant", Participant(sender));
            }

            json.WriteString("timestamp", PackageRecords.Utc(m.SentAt));
            var body = m.Kind == MessageKind.Reaction ? (m.Body.Length > 0 ? $"Reacted {m.Body}" : "Removed a reaction") : m.Body;
            json.WriteString("body", body);
            if (m.Kind == MessageKind.Deleted || changes.Any(c => c.Change == "deletion"))
            {
                json.WriteBoolean("deleted", true);
            }

            if (m.Reactions.Count > 0)
            {
                json.WriteStartArray("reactions");
                foreach (var group in m.Reactions.GroupBy(r => r.Emoji, StringComparer.Ordinal))
                {
                    json.WriteStartObject();
                    json.WriteString("value", group.Key);
                    json.WriteNumber("count", group.Count());
                    json.WriteStartArray("participants");
                    foreach (var r in group.Where(r => r.SenderId is { } id && _participants.Contains(id)))
                    {
                        json.WriteStringValue(Participant(r.SenderId!.Value));
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            var edits = changes.Where(c => c.Change == "edit").ToList();
            if (edits.Count > 0)
            {
                json.WriteStartArray("edits");
                var previous = m.Body;
                foreach (var edit in edits)
                {
                    json.WriteStartObject();
                    json.WriteString("participant", edit.ParticipantId is { } id && _participants.Contains(id) ? Participant(id) : Participant(m.SenderId ?? 0));
                    json.WriteString("timestamp", PackageRecords.Utc(edit.At));
                    json.WriteString("previous", previous);
                    json.WriteString("new", edit.Body);
                    json.WriteEndObject();
                    previous = edit.Body;
                }

                json.WriteEndArray();
            }

            var stored = m.Attachments.Where(a => a.Status == AttachmentStatus.Stored && a.Sha256 is not null).ToList();
            if (stored.Count > 0)
            {
                json.WriteStartArray("attachments");
                foreach (var a in stored)
                {
                    var name = PackagePaths.RsmfAttachment(a);
                    _attachments.TryAdd(name, a);
                    json.WriteStartObject();
                    json.WriteString("id", name);
                    json.WriteString("display", a.FileName);
                    if (a.Length is { } size)
                    {
                        json.WriteNumber("size", size);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                AttachmentCount += stored.Count;
            }

            var missing = m.Attachments.Where(a => !stored.Contains(a)).Select(a => $"{a.FileName} ({PackageRecords.Status(a.Status)})").ToList();
            var change = PackageRecords.ChangeOf(m);
            WriteCustom(json,
                ("Kind", PackageRecords.KindName(m.Kind) + (m.IsEdited ? ", marked edited in the export" : "") + (m.KindUncertain ? ", uncertain" : "")),
                ("Reply to", m.ReplyTo is { } reply ? $"{(reply.Id is { } rid ? "M" + rid.ToString(CultureInfo.InvariantCulture) : "not in the archive")}: {reply.Sender}: {reply.Body}" : null),
                (change is null ? "Change" : $"{char.ToUpperInvariant(change[0])}{change[1..]} of", m.Target is { } target ? $"{target.Sender}: {target.Body ?? "a message not in the archive"}" : null),
                ("Attachments not in the archive", missing.Count > 0 ? string.Join("; ", missing) : null),
                ("Source", PackageRecords.SourceReference(m, _section.BatchFiles)),
                ("Chain hash", m.Hash));
            json.WriteEndObject();

            _text.Write('[');
            _text.Write(PackageRecords.Utc(m.SentAt));
            _text.Write("] ");
            _text.Write(isNotice ? "WhatsApp notice" : m.Sender ?? "Unknown sender");
            _text.Write(": ");
            _text.WriteLine(body.ReplaceLineEndings("\r\n    "));
            foreach (var a in m.Attachments)
            {
                _text.WriteLine($"    [attachment: {a.FileName}]");
            }

            Events++;
            First ??= m.SentAt;
            Last = m.SentAt;
        }

        /// <summary>Closes the manifest and adds every attachment it names.</summary>
        public async Task CloseZipAsync(IBlobStore blobs, CancellationToken ct)
        {
            var json = _json!;
            json.WriteEndArray();
            json.WriteEndObject();
            await json.FlushAsync(ct);
            await json.DisposeAsync();
            await _manifest!.DisposeAsync();
            foreach (var (name, attachment) in _attachments)
            {
                await using var content = await blobs.OpenReadAsync(attachment.Sha256!, ct)
                    ?? throw new InvalidOperationException($"Attachment {attachment.Id} ({attachment.FileName}) is recorded as stored but its blob {attachment.Sha256} is missing.");
                await using var entry = await _zip!.CreateEntry(name, CompressionLevel.NoCompression).OpenAsync(ct);
                await content.CopyToAsync(entry, ct);
            }

            await _zip!.DisposeAsync();
            await _text.FlushAsync(ct);
        }

        /// <summary>Writes the RFC 5322 message: headers, the readable text, then rsmf.zip, both base64 in 76-character lines.</summary>
        public async Task WriteMessageAsync(Stream output, string generator, string collectionId, CancellationToken ct)
        {
            var header = new StringBuilder();
            var date = First ?? DateTimeOffset.UnixEpoch;
            var participants = _section.Header.Participants;
            Header(header, "MIME-Version", "1.0");
            Header(header, "Date", date.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture));
            Header(header, "From", _section.Header.Custodians.Count > 0 ? _section.Header.Custodians[0] : "ComplianceHub archive <archive@compliancehub.invalid>");
            var to = participants.Where(p => p.PhoneE164 is not null)
                .Select(p => $"{Mime.Phrase(p.DisplayName)} <{p.PhoneE164!.TrimStart('+')}@s.whatsapp.net>").ToList();
            if (to.Count > 0)
            {
                header.Append("To: ").Append(string.Join(",\r\n ", to)).Append("\r\n");
            }

            Header(header, "Subject", Mime.Text(_section.Header.Title));
            Header(header, "X-RSMF-Version", Version);
            Header(header, "X-RSMF-Generator", generator);
            Header(header, "X-RSMF-Application", "WhatsApp");
            if (First is { } first && Last is { } last)
            {
                Header(header, "X-RSMF-BeginDate", PackageRecords.Utc(first));
                Header(header, "X-RSMF-EndDate", PackageRecords.Utc(last));
            }

            Header(header, "X-RSMF-EventCount", Events.ToString(CultureInfo.InvariantCulture));
            Header(header, "X-RSMF-AttachmentCount", AttachmentCount.ToString(CultureInfo.InvariantCulture));
            if (_section.Header.Custodians.Count > 0)
            {
                Header(header, "X-RSMF-Custodian", Mime.Text(string.Join(", ", _section.Header.Custodians)));
            }

            Header(header, "X-RSMF-Participants", Mime.Text(string.Join(", ", participants.Select(p => p.DisplayName))));
            Header(header, "X-RSMF-EventCollectionID", collectionId);
            const string boundary = "ComplianceHub-RSMF-boundary";
            Header(header, "Content-Type", $"multipart/mixed; boundary=\"{boundary}\"");
            header.Append("\r\n");
            header.Append($"--{boundary}\r\nContent-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
            await output.WriteAsync(Encoding.ASCII.GetBytes(header.ToString()), ct);
            await Mime.Base64LinesAsync(_textFile, output, ct);
            await output.WriteAsync(Encoding.ASCII.GetBytes(
                $"\r\n--{boundary}\r\nContent-Type: application/zip; name=\"rsmf.zip\"\r\nContent-Disposition: attachment; filename=\"rsmf.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"), ct);
            await Mime.Base64LinesAsync(_zipFile, output, ct);
            await output.WriteAsync(Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n"), ct);
        }

        public async ValueTask DisposeAsync()
        {
            await _text.DisposeAsync();
            await _textFile.DisposeAsync();
            await _zipFile.DisposeAsync();
        }

        private static string Participant(long id) => "P" + id.ToString(CultureInfo.InvariantCulture);

        private static void Header(StringBuilder header, string name, string value) => header.Append(name).Append(": ").Append(value).Append("\r\n");

        private static void WriteCustom(Utf8JsonWriter json, params (string Name, string? Value)[] values)
        {
            var present = values.Where(v => !string.IsNullOrEmpty(v.Value)).ToList();
            if (present.Count == 0)
            {
                return;
            }

            json.WriteStartArray("custom");
            foreach (var (name, value) in present)
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("value", value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        private static FileStream TempFile() => new(
            Path.Combine(Path.GetTempPath(), $"compliancehub-rsmf-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
    }
}

/// <summary>The little of MIME the RSMF files need: RFC 2047 encoded words and base64 bodies in 76-character lines.</summary>
internal static class Mime
{
    /// <summary>The text as is when it is printable ASCII, else as UTF-8 encoded words folded onto continuation lines.</summary>
    public static string Text(string value)
    {
        if (value.All(c => c is >= ' ' and <= '~') && value.Length <= 900)
        {
            return value;
        }

        var words = new List<string>();
        var chunk = new List<byte>();
        var buffer = new byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            var r = Rune.IsControl(rune) ? new Rune(' ') : rune;
            var length = r.EncodeToUtf8(buffer);
            if (chunk.Count + length > 45)
            {
                words.Add(Word(chunk));
                chunk.Clear();
            }

            chunk.AddRange(buffer.AsSpan(0, length));
        }

        if (chunk.Count > 0 || words.Count == 0)
        {
            words.Add(Word(chunk));
        }

        return string.Join("\r\n ", words);

        static string Word(List<byte> bytes) => $"=?utf-8?B?{Convert.ToBase64String(bytes.ToArray())}?=";
    }

    /// <summary>A display name for an address: quoted when printable ASCII, else encoded words.</summary>
    public static string Phrase(string name) => name.All(c => c is >= ' ' and <= '~')
        ? "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
        : Text(name);

    /// <summary>Copies <paramref name="source"/> from its start as base64, 76 characters to a line (CRLF).</summary>
    public static async Task Base64LinesAsync(Stream source, Stream output, CancellationToken ct)
    {
        source.Position = 0;
        const int LineBytes = 57;
        var input = new byte[LineBytes * 1024];
        var text = new char[(LineBytes * 1024 / 3 * 4) + (1024 * 2)];
        var bytes = new byte[text.Length];
        int read;
        var carry = 0;
        while ((read = await source.ReadAtLeastAsync(input.AsMemory(carry), input.Length - carry, throwOnEndOfStream: false, ct)) > 0 || carry > 0)
        {
            var available = carry + read;
            var whole = read == 0 ? available : available - (available % LineBytes);
            var written = 0;
            for (var offset = 0; offset < whole; offset += LineBytes)
            {
                Convert.TryToBase64Chars(input.AsSpan(offset, Math.Min(LineBytes, whole - offset)), text.AsSpan(written), out var chars);
                written += chars;
                text[written++] = '\r';
                text[written++] = '\n';
            }

            var count = Encoding.ASCII.GetBytes(text, 0, written, bytes, 0);
            await output.WriteAsync(bytes.AsMemory(0, count), ct);
            carry = available - whole;
            input.AsSpan(whole, carry).CopyTo(input);
            if (read == 0)
            {
                break;
            }
        }
    }
}
