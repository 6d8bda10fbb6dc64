namespace ComplianceHub.Core.Archive;

/// <summary>
/// What readers of the archive see: every message except those of an import still running
/// (<see cref="ImportBatch.CompletedAt"/> null), so an import is all or nothing to them even while it writes
/// in steps. Queries through the context get this from the query filters on <see cref="ChatMessage"/> and
/// <see cref="MessageExportSource"/>; SQL written by hand adds <see cref="SqlCondition"/>. Writers that
/// continue a chain and the integrity checks read everything (<c>IgnoreQueryFilters</c>).
/// </summary>
public static class ArchiveVisibility
{
    /// <summary>The SQL form, on the <c>"ChatMessages"</c> row aliased <paramref name="alias"/>.</summary>
    public static string SqlCondition(string alias) =>
        $"({alias}.\"ImportBatchId\" IS NULL OR {alias}.\"ImportBatchId\" NOT IN (SELECT \"Id\" FROM \"ImportBatches\" WHERE \"CompletedAt\" IS NULL))";
}
