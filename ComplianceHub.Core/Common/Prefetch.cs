using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace ComplianceHub.Core.Common;

/// <summary>
/// Reads a sequence ahead on another thread, up to <c>capacity</c> items: the consumer (a PDF being drawn) works while
/// the next items are read and prepared (database, blob store), and memory stays bounded by the capacity.
/// </summary>
public static class Prefetch
{
    public static async IAsyncEnumerable<TResult> AheadAsync<TSource, TResult>(
        this IAsyncEnumerable<TSource> source, Func<TSource, CancellationToken, Task<TResult>> prepare, int capacity,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var channel = Channel.CreateBounded<TResult>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(async () =>
        {
            try
            {
                await foreach (var item in source.WithCancellation(stop.Token))
                {
                    await channel.Writer.WriteAsync(await prepare(item, stop.Token), stop.Token);
                }

                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(ct))
            {
                yield return item;
            }
        }
        finally
        {
            // The consumer stopped early (or failed): stop the reader and wait for it, so nothing outlives the enumeration.
            await stop.CancelAsync();
            try
            {
                await producer;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
