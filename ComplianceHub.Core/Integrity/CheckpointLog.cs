using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ComplianceHub.Core.Storage;

namespace ComplianceHub.Core.Integrity;

/// <summary>What the checkpoint log holds, read from its first line: the checkpoints, their lines' hashes, what their deltas add up to, and anything wrong with it.</summary>
public sealed class CheckpointLogContents
{
    public List<(Checkpoint Checkpoint, string LineSha256)> Lines { get; } = [];

    /// <summary>Problems with the log itself: a line that does not parse, is not signed by the key, or does not follow the one before it.</summary>
    public List<string> Problems { get; } = [];

    public ChainHead Audit { get; set; } = new(0, "");
    public Dictionary<long, ConversationHead> Conversations { get; } = [];
    public Dictionary<long, string> Imports { get; } = [];
    public Dictionary<(string Kind, long Id), SealedRecord> Records { get; } = [];

    /// <summary>The inbox as each checkpoint sealed it, in order.</summary>
    public List<(long Sequence, SealedRange Range)> InboxRanges { get; } = [];

    /// <summary>Adds a checkpoint read from (or just appended to) the log.</summary>
    public void Apply(Checkpoint checkpoint, string lineSha256)
    {
        Lines.Add((checkpoint, lineSha256));
        Audit = checkpoint.Audit;
        foreach (var conversation in checkpoint.Conversations)
        {
            Conversations[conversation.Id] = conversation;
        }

        foreach (var import in checkpoint.Imports)
        {
            Imports[import.Id] = import.Digest;
        }

        foreach (var record in checkpoint.Records ?? [])
        {
            Records[(record.Kind, record.Id)] = record;
        }

        InboxRanges.Add((checkpoint.Sequence, checkpoint.Inbox));
    }

    public SealedRange Inbox => InboxRanges.Count == 0 ? ChainHeads.EmptyInbox : InboxRanges[^1].Range;
    public long Sequence => Lines.Count == 0 ? 0 : Lines[^1].Checkpoint.Sequence;
    public string LastLineSha256 => Lines.Count == 0 ? "" : Lines[^1].LineSha256;
}

/// <summary>
/// The append-only checkpoint log outside the data directory: one line per checkpoint, its JSON and a tab and its
/// signature, each naming the SHA-256 of the line before it. Written owner-only and flushed to disk; a copy goes to
/// the mirror directory when one is configured.
/// </summary>
public static class CheckpointLog
{
    public const string FileName = "checkpoints.log";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Reads and checks a log (a missing file is an empty log).</summary>
    public static CheckpointLogContents Read(string path, CheckpointSigner signer)
    {
        var contents = new CheckpointLogContents();
        if (!File.Exists(path))
        {
            return contents;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        Read(stream, signer, contents);
        return contents;
    }

    internal static void Read(Stream stream, CheckpointSigner signer, CheckpointLogContents contents)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false, true), false, 1 << 16, leaveOpen: true);
        var text = reader.ReadToEnd();
        var lines = text.Split('\n');
        if (lines[^1].Length > 0)
        {
            contents.Problems.Add($"the log's last line (line {lines.Length}) is cut short: it does not end in a line break");
        }

        for (var i = 0; i < lines.Length - 1; i++)
        {
            var number = i + 1;
            var line = lines[i];
            var tab = line.LastIndexOf('\t');
            Checkpoint? checkpoint = null;
            try
            {
                checkpoint = tab < 0 ? null : JsonSerializer.Deserialize<Checkpoint>(line.AsSpan(0, tab), Json);
            }
            catch (JsonException)
            {
            }

            if (checkpoint is null)
            {
                contents.Problems.Add($"line {number} of the log is not a checkpoint");
                return;
            }

            var body = Encoding.UTF8.GetBytes(line[..tab]);
            if (checkpoint.KeyId != signer.KeyId || !signer.Verify(body, line[(tab + 1)..]))
            {
                contents.Problems.Add($"checkpoint {checkpoint.Sequence} (line {number}) is not signed by the checkpoint key {signer.KeyId[..16]}…");
                return;
            }

            var expectedSequence = contents.Sequence + 1;
            if (checkpoint.Sequence != expectedSequence || checkpoint.Previous != contents.LastLineSha256)
            {
                contents.Problems.Add($"line {number} holds checkpoint {checkpoint.Sequence} where checkpoint {expectedSequence}, following the line before, was expected");
                return;
            }

            contents.Apply(checkpoint, LineHash(line));
        }
    }

    /// <summary>The line for a checkpoint: its JSON, a tab, its signature.</summary>
    public static string Line(Checkpoint checkpoint, CheckpointSigner signer)
    {
        var body = JsonSerializer.Serialize(checkpoint, Json);
        return body + "\t" + signer.Sign(Encoding.UTF8.GetBytes(body));
    }

    public static string LineHash(string line) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(line)));

    /// <summary>Appends a line and flushes it to the disk.</summary>
    public static void Append(FileStream stream, string line)
    {
        stream.Seek(0, SeekOrigin.End);
        stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Opens the log for reading and appending, alone (another host sealing at the same moment waits for it).</summary>
    public static async Task<FileStream> OpenExclusiveAsync(string path, CancellationToken ct)
    {
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, options);
            }
            catch (IOException) when (attempt < 100)
            {
                await Task.Delay(100, ct);
            }
        }
    }
}
