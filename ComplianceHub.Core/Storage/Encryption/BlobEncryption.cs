using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ComplianceHub.Core.Storage.Encryption;

/// <summary>
/// How a blob's bytes are sealed on disk: AES-256-GCM under a random data key of its own, in segments of 64 KiB, so
/// that gigabyte exports stream through in constant memory and a reader may seek.
/// <code>
/// "CHBLOB" 0x00 0x01 | key id length (1) | key id (ASCII) | data key sealed by the archive key (12 + 32 + 16)
/// | nonce prefix (7) | segment 0: ciphertext (64 KiB) + tag (16) | … | last segment: ciphertext (0..64 KiB) + tag (16)
/// </code>
/// Each segment's nonce is the prefix, its number (4 bytes, big-endian) and a last-segment flag (the STREAM
/// construction), so segments cannot be reordered, dropped, or the blob cut short without the tag check failing.
/// </summary>
public static class BlobEncryption
{
    public const int SegmentSize = 64 * 1024;
    private const int TagSize = 16;
    private const int PrefixSize = 7;
    private const int DataKeySize = 32;
    private static readonly byte[] Magic = [(byte)'C', (byte)'H', (byte)'B', (byte)'L', (byte)'O', (byte)'B', 0, 1];

    /// <summary>True when <paramref name="start"/> (a file's first bytes) begins a sealed blob.</summary>
    public static bool IsSealed(ReadOnlySpan<byte> start) => start.StartsWith(Magic);

    /// <summary>The key id a sealed file's header names, or null for a file written before blobs were sealed.</summary>
    public static string? KeyIdOf(Stream file)
    {
        Span<byte> head = stackalloc byte[Magic.Length + 1 + 64];
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read < Magic.Length + 1 || !IsSealed(head[..read]))
        {
            return null;
        }

        var length = head[Magic.Length];
        return read < Magic.Length + 1 + length ? null : Encoding.ASCII.GetString(head.Slice(Magic.Length + 1, length));
    }

    /// <summary>
    /// Reads <paramref name="plaintext"/> to its end, writing it sealed to <paramref name="output"/> and adding the
    /// plain bytes to <paramref name="hash"/>. Returns the plain length.
    /// </summary>
    public static async Task<long> SealAsync(Stream plaintext, Stream output, ArchiveKeys keys, IncrementalHash hash, CancellationToken ct)
    {
        var dataKey = RandomNumberGenerator.GetBytes(DataKeySize);
        var keyId = Encoding.ASCII.GetBytes(keys.ActiveId);
        var wrapped = keys.Wrap(dataKey, ArchiveKeys.Context("blob", keys.ActiveId));
        var prefix = RandomNumberGenerator.GetBytes(PrefixSize);
        var header = new byte[Magic.Length + 1 + keyId.Length + wrapped.Length + PrefixSize];
        Magic.CopyTo(header, 0);
        header[Magic.Length] = (byte)keyId.Length;
        keyId.CopyTo(header, Magic.Length + 1);
        wrapped.CopyTo(header, Magic.Length + 1 + keyId.Length);
        prefix.CopyTo(header, header.Length - PrefixSize);
        await output.WriteAsync(header, ct);

        using var aes = new AesGcm(dataKey, TagSize);
        CryptographicOperations.ZeroMemory(dataKey);
        // Two buffers: the segment being filled, and the one read ahead to learn whether it is the last.
        var current = new byte[SegmentSize];
        var next = new byte[SegmentSize];
        var sealedSegment = new byte[SegmentSize + TagSize];
        var filled = await plaintext.ReadAtLeastAsync(current, SegmentSize, throwOnEndOfStream: false, ct);
        long length = 0;
        uint number = 0;
        while (true)
        {
            var ahead = filled == SegmentSize ? await plaintext.ReadAtLeastAsync(next, SegmentSize, throwOnEndOfStream: false, ct) : 0;
            var last = ahead == 0;
            hash.AppendData(current, 0, filled);
            Seal(aes, prefix, number, last, current.AsSpan(0, filled), sealedSegment);
            await output.WriteAsync(sealedSegment.AsMemory(0, filled + TagSize), ct);
            length += filled;
            if (last)
            {
                return length;
            }

            (current, next) = (next, current);
            filled = ahead;
            number = checked(number + 1);
        }
    }

    /// <summary>
    /// A seekable stream of a sealed file's plain bytes; <paramref name="file"/> is owned by it. What fails (here or
    /// while reading) is an <see cref="InvalidDataException"/> whose message starts with <paramref name="label"/>.
    /// </summary>
    public static Stream Open(FileStream file, ArchiveKeys keys, string label)
    {
        try
        {
            return OpenSealed(file, keys, label);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{label} {e.Message}", e);
        }
    }

    private static OpenedBlob OpenSealed(FileStream file, ArchiveKeys keys, string label)
    {
        var fixedPart = Magic.Length + 1;
        var head = new byte[fixedPart + 255 + 60 + PrefixSize];
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read < fixedPart || !IsSealed(head))
        {
            throw new InvalidDataException("It is not a sealed blob.");
        }

        var idLength = head[Magic.Length];
        var headerLength = fixedPart + idLength + 60 + PrefixSize;
        if (read < headerLength + TagSize)
        {
            throw new InvalidDataException("Its header is cut short.");
        }

        var keyId = Encoding.ASCII.GetString(head, fixedPart, idLength);
        var dataKey = keys.Unwrap(keyId, head.AsSpan(fixedPart + idLength, 60), ArchiveKeys.Context("blob", keyId));
        var prefix = head.AsSpan(headerLength - PrefixSize, PrefixSize).ToArray();
        return new OpenedBlob(file, dataKey, prefix, headerLength, label);
    }

    private static void Seal(AesGcm aes, byte[] prefix, uint number, bool last, ReadOnlySpan<byte> plain, Span<byte> output)
    {
        Span<byte> nonce = stackalloc byte[12];
        Nonce(prefix, number, last, nonce);
        aes.Encrypt(nonce, plain, output[..plain.Length], output.Slice(plain.Length, TagSize));
    }

    private static void Nonce(ReadOnlySpan<byte> prefix, uint number, bool last, Span<byte> nonce)
    {
        prefix.CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[PrefixSize..], number);
        nonce[11] = last ? (byte)1 : (byte)0;
    }

    /// <summary>The plain bytes of a sealed file, a segment at a time, each checked before any of it is handed out.</summary>
    private sealed class OpenedBlob : Stream
    {
        private readonly FileStream _file;
        private readonly AesGcm _aes;
        private readonly byte[] _prefix;
        private readonly long _bodyStart;
        private readonly long _segments;
        private readonly string _label;
        private readonly byte[] _sealed = new byte[SegmentSize + TagSize];
        private readonly byte[] _plain = new byte[SegmentSize];
        private long _loaded = -1;
        private int _loadedLength;
        private long _position;

        public OpenedBlob(FileStream file, byte[] dataKey, byte[] prefix, long bodyStart, string label)
        {
            _file = file;
            _label = label;
            _aes = new AesGcm(dataKey, TagSize);
            CryptographicOperations.ZeroMemory(dataKey);
            _prefix = prefix;
            _bodyStart = bodyStart;
            var body = file.Length - bodyStart;
            _segments = Math.Max(1, (body + SegmentSize + TagSize - 1) / (SegmentSize + TagSize));
            Length = body - (_segments * TagSize);
            if (Length < 0)
            {
                throw new InvalidDataException("It is cut short.");
            }
        }

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length { get; }

        public override long Position
        {
            get => _position;
            set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= Length || buffer.IsEmpty)
            {
                return 0;
            }

            var segment = _position / SegmentSize;
            Load(segment);
            var within = (int)(_position - (segment * SegmentSize));
            var count = Math.Min(buffer.Length, _loadedLength - within);
            _plain.AsSpan(within, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _file.Dispose();
                _aes.Dispose();
                CryptographicOperations.ZeroMemory(_plain);
            }

            base.Dispose(disposing);
        }

        private void Load(long segment)
        {
            if (segment == _loaded)
            {
                return;
            }

            var last = segment == _segments - 1;
            var plainLength = last ? (int)(Length - (segment * SegmentSize)) : SegmentSize;
            _file.Position = _bodyStart + (segment * (SegmentSize + TagSize));
            _file.ReadExactly(_sealed, 0, plainLength + TagSize);
            Span<byte> nonce = stackalloc byte[12];
            Nonce(_prefix, (uint)segment, last, nonce);
            try
            {
                _aes.Decrypt(nonce, _sealed.AsSpan(0, plainLength), _sealed.AsSpan(plainLength, TagSize), _plain.AsSpan(0, plainLength));
            }
            catch (AuthenticationTagMismatchException e)
            {
                _loaded = -1;
                throw new InvalidDataException($"{_label} Its segment {segment + 1} of {_segments} fails authentication: the file was altered, cut short or extended.", e);
            }

            _loaded = segment;
            _loadedLength = plainLength;
        }
    }
}
