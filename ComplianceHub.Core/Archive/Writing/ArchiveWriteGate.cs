using ComplianceHub.Core.Storage;
using Microsoft.EntityFrameworkCore.Storage;

namespace ComplianceHub.Core.Archive.Writing;

/// <summary>
/// The archive's writers' way to the process's write turn (<see cref="WriteTurns"/>): imports, the webhook
/// processor's batches, the inbox's group commits and media downloads take turns instead of contending for
/// SQLite's single write lock, whose busy-retry waits would show up as webhook latency. Archive
/// writers also take the database's own archive lock (<see cref="ComplianceHubDbContext.LockArchiveWritesAsync"/>),
/// which serialises them across hosts sharing a PostgreSQL database.
/// </summary>
public sealed class ArchiveWriteGate(ISearchIndex index, WriteTurns turns)
{
    /// <summary>Counts commits by writers without a cache (imports, the demo), whose appends a cache cannot know of.</summary>
    private long _uncachedCommits;

    /// <summary>Writers without a cache open now: imports (and the demo), which hold the turn a step at a time.</summary>
    private int _longWriters;

    /// <summary>
    /// True while an import is writing: a turn may then be a step's length away (a quarter of a second or more), which
    /// the webhook inbox does not wait for (it spools instead).
    /// </summary>
    public bool LongWriterRunning => Volatile.Read(ref _longWriters) > 0;

    /// <summary>
    /// A turn at the database's write lock, for writes that do not append to the archive (the inbox, media). Saves
    /// on <paramref name="db"/> during the turn do not ask for another (<see cref="ComplianceHubDbContext.HoldsWriteTurn"/>).
    /// </summary>
    public async Task<IDisposable> EnterAsync(ComplianceHubDbContext db, CancellationToken ct)
    {
        var turn = await turns.EnterAsync(ct);
        db.HoldsWriteTurn = true;
        return new ContextTurn(db, turn);
    }

    private sealed class ContextTurn(ComplianceHubDbContext db, IDisposable turn) : IDisposable
    {
        public void Dispose()
        {
            db.HoldsWriteTurn = false;
            turn.Dispose();
        }
    }

    /// <summary>
    /// Waits for the write turn, begins a transaction on <paramref name="db"/> and takes the archive's
    /// write lock in it: the only way to an <see cref="ArchiveWriter"/>. A long-lived writer (the webhook
    /// processor) passes a cache of chain heads and participants kept between transactions, and must clear
    /// it when a transaction does not commit; the gate clears it too, once it holds the turn, when another
    /// writer has committed appends since the cache last saw the gate (an import into a captured chat).
    /// </summary>
    internal async Task<ArchiveWriter> BeginAsync(ComplianceHubDbContext db, CancellationToken ct, ConversationStateCache? cache = null)
    {
        var longWriter = cache is null;
        if (longWriter)
        {
            Interlocked.Increment(ref _longWriters);
        }

        IDisposable turn;
        IDbContextTransaction transaction;
        try
        {
            (turn, transaction) = await OpenAsync(db, ct);
        }
        catch when (longWriter)
        {
            Interlocked.Decrement(ref _longWriters);
            throw;
        }

        var uncachedCommits = Interlocked.Read(ref _uncachedCommits);
        if (cache is not null && cache.SeenUncachedCommits != uncachedCommits)
        {
            cache.Clear();
            cache.SeenUncachedCommits = uncachedCommits;
        }

        return new ArchiveWriter(db, transaction, turn, index, cache,
            cache is null ? () => Interlocked.Increment(ref _uncachedCommits) : null, token => OpenAsync(db, token),
            longWriter ? () => Interlocked.Decrement(ref _longWriters) : null);
    }

    /// <summary>The write turn, a transaction on <paramref name="db"/> and the archive's write lock in it, in that order.</summary>
    private async Task<(IDisposable Turn, IDbContextTransaction Transaction)> OpenAsync(ComplianceHubDbContext db, CancellationToken ct)
    {
        var turn = await EnterAsync(db, ct);
        try
        {
            var transaction = await db.Database.BeginTransactionAsync(ct);
            try
            {
                await db.LockArchiveWritesAsync(ct);
                return (turn, transaction);
            }
            catch
            {
                await transaction.DisposeAsync();
                throw;
            }
        }
        catch
        {
            turn.Dispose();
            throw;
        }
    }
}
