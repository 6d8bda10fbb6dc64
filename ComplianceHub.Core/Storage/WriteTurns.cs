namespace ComplianceHub.Core.Storage;

/// <summary>
/// One writer at a time in this process, taken in the order they asked. SQLite has a single write lock, and a
/// writer that finds it taken only retries after a pause, so a long writer that commits and writes again at once
/// would keep others waiting; queued here, the next writer gets the lock the moment the previous one lets go. The
/// archive's writers take a turn through <c>ArchiveWriteGate</c>; on SQLite every save through a
/// <see cref="ComplianceHubDbContext"/> outside an explicit transaction takes one too (sign-ins, the audit trail).
/// </summary>
public sealed class WriteTurns : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    /// <summary>Waits for this process's write turn; disposing the result gives it to the next writer.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _semaphore.WaitAsync(ct);
        return new Turn(_semaphore);
    }

    public void Dispose() => _semaphore.Dispose();

    private sealed class Turn(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
