namespace ComplianceHub.Core.Archive;

/// <summary>
/// The arithmetic of <see cref="ChatMessage.SearchKey"/>: the sent second (Unix time, floored) times
/// <see cref="PerSecond"/>, plus the message's order within that second.
/// </summary>
public static class SearchKeys
{
    /// <summary>How many messages one second can hold.</summary>
    public const long PerSecond = 1 << 20;

    /// <summary>The first key of the second holding <paramref name="instant"/>, or of the next second when <paramref name="roundUp"/> and it is not a whole second.</summary>
    public static long FirstOf(DateTimeOffset instant, bool roundUp = false)
    {
        var milliseconds = instant.ToUnixTimeMilliseconds();
        var second = FloorDivide(milliseconds, 1000);
        if (roundUp && second * 1000 != milliseconds)
        {
            second++;
        }

        return second * PerSecond;
    }

    /// <summary>The second (Unix time) a key belongs to.</summary>
    public static long SecondOf(long key) => FloorDivide(key, PerSecond);

    private static long FloorDivide(long value, long divisor)
    {
        var quotient = Math.DivRem(value, divisor, out var remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }
}
