using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ComplianceHub.Core.Common;

/// <summary>
/// Builds the canonical byte form of a record for hash chains: every field length-prefixed (or a fixed
/// 8 bytes), so no value can imitate a separator, and the same fields always give the same bytes.
/// </summary>
public sealed class CanonicalWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    public CanonicalWriter Add(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public CanonicalWriter Add(string? value)
    {
        if (value is null)
        {
            return Add(-1L);
        }

        var length = Encoding.UTF8.GetByteCount(value);
        Add(length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
        return this;
    }

    public CanonicalWriter Add(bool value) => Add(value ? 1L : 0L);

    public byte[] ToBytes() => _buffer.WrittenSpan.ToArray();

    /// <summary>Lowercase hex SHA-256 of everything added.</summary>
    public string Sha256Hex() => Convert.ToHexStringLower(SHA256.HashData(_buffer.WrittenSpan));
}
