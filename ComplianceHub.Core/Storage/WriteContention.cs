namespace ComplianceHub.Core.Storage;

/// <summary>
/// How many saves through a <see cref="ComplianceHubDbContext"/> are under way in this process. SQLite has one
/// write lock and a save that finds it taken retries after a pause, so a long import that takes the lock again
/// the moment it commits a step could keep a sign-in's audit event waiting for its whole length. Between steps
/// the import waits while this count is above zero (<see cref="LetOthersInAsync"/>), and those saves get the lock.
/// </summary>
public static class WriteContention
{
    private static int s_saving;

    /// <summary>Longest an import waits between two steps, however many others are saving.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    internal static void Enter() => Interlocked.Increment(ref s_saving);

    internal static void Exit() => Interlocked.Decrement(ref s_saving);

    /// <summary>Returns once no other save is under way, or after <see cref="MaxWait"/>.</summary>
    public static async Task LetOthersInAsync(CancellationToken ct)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref s_saving) > 0 && waited.Elapsed < MaxWait)
        {
            await Task.Delay(5, ct);
        }
    }
}
