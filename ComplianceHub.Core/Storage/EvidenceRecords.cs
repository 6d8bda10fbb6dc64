using ComplianceHub.Core.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Storage;

/// <summary>
/// A record that is evidence without a chain of its own (a stay in an official group, a change of a number's status, a
/// legal hold and its scope), as checkpoints seal it: the digest of what must never change (<paramref name="Fixed"/>),
/// and of what may be written once to close it (<paramref name="Closing"/>: when a stay ended, a hold's release; null
/// while open). A sealed open record may close later; anything else that differs from its seal is tampering.
/// </summary>
public sealed record EvidenceRecord(long Id, string Fixed, string? Closing)
{
    public bool Closed => Closing is not null;
    public string Digest => new CanonicalWriter().Add(Fixed).Add(Closing).Sha256Hex();

    /// <summary>The digest the record had before it closed.</summary>
    public string OpenDigest => new CanonicalWriter().Add(Fixed).Add((string?)null).Sha256Hex();
}

/// <summary>
/// One kind of <see cref="EvidenceRecord"/>, registered by the feature that owns it
/// (<see cref="EvidenceRecordsServiceCollectionExtensions.AddEvidenceRecords{TRow}"/>) so that checkpoints can seal it
/// and <c>verify</c> check it without knowing the feature.
/// </summary>
public abstract class EvidenceRecords
{
    /// <summary>What the records are called in findings ("official-group stay").</summary>
    public abstract string Kind { get; }

    public abstract Task<IReadOnlyList<EvidenceRecord>> ReadAsync(ComplianceHubDbContext db, CancellationToken ct);
}

internal sealed class EvidenceRecords<TRow>(string kind, Func<ComplianceHubDbContext, IQueryable<TRow>> query, Func<TRow, EvidenceRecord> seal)
    : EvidenceRecords
{
    public override string Kind => kind;

    public override async Task<IReadOnlyList<EvidenceRecord>> ReadAsync(ComplianceHubDbContext db, CancellationToken ct) =>
        (await query(db).ToListAsync(ct)).Select(seal).ToList();
}

public static class EvidenceRecordsServiceCollectionExtensions
{
    /// <summary>Registers records of <paramref name="kind"/>: <paramref name="query"/> reads them, <paramref name="seal"/> says what of each is fixed and what closes it.</summary>
    public static IServiceCollection AddEvidenceRecords<TRow>(
        this IServiceCollection services, string kind, Func<ComplianceHubDbContext, IQueryable<TRow>> query, Func<TRow, EvidenceRecord> seal) =>
        services.AddSingleton<EvidenceRecords>(new EvidenceRecords<TRow>(kind, query, seal));
}
