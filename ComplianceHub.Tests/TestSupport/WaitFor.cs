namespace ComplianceHub.Tests.TestSupport;

/// <summary>Waits for background work (the capture worker) to reach a state, polling the real store.</summary>
public static class WaitFor
{
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, int timeoutSeconds = 20) where T : class
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (started.Elapsed.TotalSeconds > timeoutSeconds)
            {
                throw new TimeoutException($"The expected state was not reached within {timeoutSeconds} s.");
            }

            await Task.Delay(50);
        }
    }
}
