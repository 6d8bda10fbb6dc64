using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Storage.Blobs;

/// <summary>One record that keeps a blob in the store: the blob's SHA-256, what kind of evidence it is, and the record in words.</summary>
public sealed record BlobUse(string Sha256, string Kind, string Record);

/// <summary>
/// A column that names blobs by their SHA-256. Every feature that stores blobs registers its columns
/// (<see cref="BlobUsesServiceCollectionExtensions.AddBlobUses{T, TRow}"/>): <c>verify</c> re-hashes every blob a column names, and
/// the orphan sweep removes only blobs that no column names. A column left unregistered would have its blobs swept, so
/// a test holds every <c>…Sha256</c> column of the model to being registered or declared not to name a blob.
/// </summary>
public abstract class BlobUses
{
    public abstract string Kind { get; }
    public abstract Type Entity { get; }
    public abstract string Property { get; }

    /// <summary>The SHA-256s the column names (nulls left out), for the sweep.</summary>
    public abstract IQueryable<string> Hashes(ComplianceHubDbContext db);

    /// <summary>The column's records, each described, for <c>verify</c>'s findings.</summary>
    public abstract Task<IReadOnlyList<BlobUse>> ReadAsync(ComplianceHubDbContext db, CancellationToken ct);
}

internal sealed class BlobUses<T, TRow>(
    string kind, Expression<Func<T, string?>> column, Expression<Func<T, TRow>> row, Func<TRow, (string? Sha256, string Record)> describe,
    Expression<Func<T, bool>>? keeps)
    : BlobUses where T : class
{
    private readonly Expression<Func<T, bool>> _present = Present(column, keeps);

    /// <summary>The column is not null, and the record still keeps its blob (<paramref name="keeps"/>, when given).</summary>
    private static Expression<Func<T, bool>> Present(Expression<Func<T, string?>> column, Expression<Func<T, bool>>? keeps)
    {
        Expression body = Expression.NotEqual(column.Body, Expression.Constant(null, typeof(string)));
        if (keeps is not null)
        {
            body = Expression.AndAlso(body, new ReplaceParameter(keeps.Parameters[0], column.Parameters[0]).Visit(keeps.Body));
        }

        return Expression.Lambda<Func<T, bool>>(body, column.Parameters);
    }

    private sealed class ReplaceParameter(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    public override string Kind => kind;
    public override Type Entity => typeof(T);
    public override string Property => ((MemberExpression)column.Body).Member.Name;

    public override IQueryable<string> Hashes(ComplianceHubDbContext db) =>
        db.Set<T>().IgnoreQueryFilters().Where(_present).Select(column)!;

    public override async Task<IReadOnlyList<BlobUse>> ReadAsync(ComplianceHubDbContext db, CancellationToken ct)
    {
        var rows = await db.Set<T>().IgnoreQueryFilters().AsNoTracking().Where(_present).Select(row).ToListAsync(ct);
        var uses = new List<BlobUse>(rows.Count);
        foreach (var item in rows)
        {
            var (sha256, record) = describe(item);
            if (sha256 is not null)
            {
                uses.Add(new BlobUse(sha256.Trim(), kind, record));
            }
        }

        return uses;
    }
}

public static class BlobUsesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <paramref name="column"/> of <typeparamref name="T"/> as naming blobs of <paramref name="kind"/>;
    /// <paramref name="row"/> projects what <paramref name="describe"/> needs to name the record in a finding. With
    /// <paramref name="keeps"/>, only the records it holds for name their blob (a record whose file a disposition released
    /// no longer does).
    /// </summary>
    public static IServiceCollection AddBlobUses<T, TRow>(
        this IServiceCollection services, string kind, Expression<Func<T, string?>> column,
        Expression<Func<T, TRow>> row, Func<TRow, (string? Sha256, string Record)> describe, Expression<Func<T, bool>>? keeps = null) where T : class =>
        services.AddSingleton<BlobUses>(new BlobUses<T, TRow>(kind, column, row, describe, keeps));
}
