using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Search;

/// <summary>
/// A search a user named and kept: its words and filters as JSON (<see cref="MessageSearchCriteria"/>),
/// so it can be run again, and later taken as the scope of a legal hold.
/// </summary>
public sealed class SavedSearch
{
    public const int MaxNameLength = 100;

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private SavedSearch()
    {
    }

    internal SavedSearch(string ownerUserId, string name, MessageSearchCriteria criteria, DateTimeOffset now)
    {
        OwnerUserId = ownerUserId;
        Name = name;
        CreatedAt = now;
        Update(criteria, now);
    }

    public long Id { get; private set; }
    public string OwnerUserId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string CriteriaJson { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public MessageSearchCriteria Criteria => JsonSerializer.Deserialize<MessageSearchCriteria>(CriteriaJson, JsonOptions)!;

    internal void Update(MessageSearchCriteria criteria, DateTimeOffset now)
    {
        CriteriaJson = JsonSerializer.Serialize(criteria, JsonOptions);
        UpdatedAt = now;
    }
}

internal sealed class SavedSearchConfiguration : IEntityTypeConfiguration<SavedSearch>
{
    public void Configure(EntityTypeBuilder<SavedSearch> builder)
    {
        builder.ToTable("SavedSearches");
        builder.Property(s => s.OwnerUserId).HasMaxLength(450).IsRequired();
        builder.Property(s => s.Name).HasMaxLength(SavedSearch.MaxNameLength).IsRequired();
        builder.Property(s => s.CriteriaJson).IsRequired();
        builder.Ignore(s => s.Criteria);
        builder.HasIndex(s => new { s.OwnerUserId, s.Name }).IsUnique();
    }
}
