using ComplianceHub.Core.Archive.Writing;
using ComplianceHub.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ComplianceHub.Core.Search;

public static class SearchServiceCollectionExtensions
{
    /// <summary>The provider's full-text index (also the archive writer's <see cref="ISearchIndex"/>), search and saved searches.</summary>
    public static IServiceCollection AddSearch(this IServiceCollection services)
    {
        services.AddSingleton<IMessageSearch>(sp => sp.GetRequiredService<StorageSettings>().Provider switch
        {
            DatabaseProvider.Postgres => new PostgresMessageSearch(),
            _ => new SqliteMessageSearch(),
        });
        services.AddSingleton<ISearchIndex>(sp => sp.GetRequiredService<IMessageSearch>());
        services.AddSingleton<IAfterMigrations, SearchIndexRebuild>();
        services.AddSingleton<MessageSearchService>();
        services.AddSingleton<SearchIndexCheck>();
        services.AddSingleton<SavedSearchService>();
        services.AddSingleton<LegalHoldFromSearchService>();
        return services;
    }
}
