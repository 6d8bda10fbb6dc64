using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ComplianceHub.Core.Storage;

/// <summary>
/// Stores instants as Unix milliseconds. EF's SQLite provider cannot compare or order
/// <see cref="DateTimeOffset"/> in SQL; integers compare, order and index well.
/// </summary>
internal sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));
