using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ComplianceHub.Core.Common;

/// <summary>
/// Checks that each entry of a zip inflates to exactly the size its header declares. .NET's reader stops at the
/// declared size, so an entry whose data holds more (a forged header, a spliced file) would be read cut short and
/// nothing would say so: this reads the central directory itself, inflates each entry's raw data to its real end and
/// names the first entry whose real length differs.
/// </summary>
public static class ZipLengths
{
    private const uint EndOfCentralDirectory = 0x06054b50;
    private const uint Zip64Locator = 0x07064b50;
    private const uint Zip64End = 0x06064b50;
    private const uint CentralHeader = 0x02014b50;
    private const uint LocalHeader = 0x04034b50;

    /// <summary>An entry whose data does not inflate to its declared size.</summary>
    public sealed record Mismatch(string Entry, long Declared, long Actual);

    /// <summary>The first entry (of those <paramref name="include"/> accepts; all when null) whose real length differs from its declared one, or null.</summary>
    public static Mismatch? FindMismatch(string path, Func<string, bool>? include = null)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        foreach (var entry in CentralDirectory(file))
        {
            if (entry.Name.EndsWith('/') || (include is not null && !include(entry.Name)) || entry.Method is not (0 or 8))
            {
                continue;
            }

            var actual = RealLength(file, entry);
            if (actual != entry.UncompressedSize)
            {
                return new Mismatch(entry.Name, entry.UncompressedSize, actual);
            }
        }

        return null;
    }

    private sealed record Entry(string Name, int Method, long CompressedSize, long UncompressedSize, long LocalHeaderOffset);

    private static long RealLength(FileStream file, Entry entry)
    {
        Span<byte> header = stackalloc byte[30];
        file.Position = entry.LocalHeaderOffset;
        file.ReadExactly(header);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalHeader)
        {
            throw new InvalidDataException($"the zip entry \"{entry.Name}\" has no local header where its directory entry says");
        }

        var dataStart = entry.LocalHeaderOffset + 30 + BinaryPrimitives.ReadUInt16LittleEndian(header[26..]) + BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
        if (entry.Method == 0)
        {
            return entry.CompressedSize;
        }

        file.Position = dataStart;
        using var raw = new Window(file, dataStart, entry.CompressedSize);
        using var inflate = new DeflateStream(raw, CompressionMode.Decompress, leaveOpen: true);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = inflate.Read(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static List<Entry> CentralDirectory(FileStream file)
    {
        // The end record is in the last 64 KiB + 22 bytes (its comment is at most 65,535 bytes).
        var tailLength = (int)Math.Min(file.Length, 65_535 + 22);
        var tail = new byte[tailLength];
        file.Position = file.Length - tailLength;
        file.ReadExactly(tail);
        var end = -1;
        for (var i = tailLength - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == EndOfCentralDirectory)
            {
                end = i;
                break;
            }
        }

        if (end < 0)
        {
            throw new InvalidDataException("it has no zip end-of-central-directory record");
        }

        long count = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(end + 10));
        long offset = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(end + 16));
        if ((count == 0xFFFF || offset == 0xFFFFFFFF) && end >= 20 && BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(end - 20)) == Zip64Locator)
        {
            var zip64End = (long)BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(end - 20 + 8));
            Span<byte> record = stackalloc byte[56];
            file.Position = zip64End;
            file.ReadExactly(record);
            if (BinaryPrimitives.ReadUInt32LittleEndian(record) == Zip64End)
            {
                count = (long)BinaryPrimitives.ReadUInt64LittleEndian(record[32..]);
                offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(record[48..]);
            }
        }

        var entries = new List<Entry>();
        file.Position = offset;
        Span<byte> fixedPart = stackalloc byte[46];
        for (long i = 0; i < count; i++)
        {
            file.ReadExactly(fixedPart);
            if (BinaryPrimitives.ReadUInt32LittleEndian(fixedPart) != CentralHeader)
            {
                throw new InvalidDataException("its central directory is damaged");
            }

            var flags = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart[8..]);
            var method = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart[10..]);
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[20..]);
            long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[24..]);
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart[28..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart[30..]);
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart[32..]);
            long local = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[42..]);
            var variable = new byte[nameLength + extraLength + commentLength];
            file.ReadExactly(variable);
            var name = ((flags & 0x800) != 0 ? Encoding.UTF8 : Encoding.Latin1).GetString(variable, 0, nameLength);
            ReadZip64(variable.AsSpan(nameLength, extraLength), ref uncompressed, ref compressed, ref local);
            entries.Add(new Entry(name, method, compressed, uncompressed, local));
        }

        return entries;
    }

    /// <summary>Sizes and offset marked 0xFFFFFFFF are in the Zip64 extra field, in this order, those marked only.</summary>
    private static void ReadZip64(ReadOnlySpan<byte> extra, ref long uncompressed, ref long compressed, ref long local)
    {
        while (extra.Length >= 4)
        {
            var id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            var size = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            var data = extra.Slice(4, Math.Min(size, extra.Length - 4));
            if (id == 0x0001)
            {
                var at = 0;
                if (uncompressed == 0xFFFFFFFF && data.Length >= at + 8)
                {
                    uncompressed = (long)BinaryPrimitives.ReadUInt64LittleEndian(data[at..]);
                    at += 8;
                }

                if (compressed == 0xFFFFFFFF && data.Length >= at + 8)
                {
                    compressed = (long)BinaryPrimitives.ReadUInt64LittleEndian(data[at..]);
                    at += 8;
                }

                if (local == 0xFFFFFFFF && data.Length >= at + 8)
                {
                    local = (long)BinaryPrimitives.ReadUInt64LittleEndian(data[at..]);
                }

                return;
            }

            extra = extra[Math.Min(extra.Length, 4 + size)..];
        }
    }

    /// <summary>A read-only window of <paramref name="length"/> bytes of a file from <paramref name="start"/>.</summary>
    private sealed class Window(FileStream file, long start, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var left = length - _position;
            if (left <= 0)
            {
                return 0;
            }

            file.Position = start + _position;
            var read = file.Read(buffer, offset, (int)Math.Min(count, left));
            _position += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
