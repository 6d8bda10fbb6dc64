using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Roster;

/// <summary>A periodic review of the roster: every authorization still in force is put to someone responsible, due by a date.</summary>
public sealed class RecertificationCampaign
{
    private RecertificationCampaign()
    {
    }

    internal RecertificationCampaign(string name, DateOnly dueDate, string startedBy, DateTimeOffset startedAt)
    {
        Name = name;
        DueDate = dueDate;
        StartedBy = startedBy;
        StartedAt = startedAt;
    }

    public long Id { get; private set; }
    public string Name { get; private set; } = "";
    public DateOnly DueDate { get; private set; }
    public string StartedBy { get; private set; } = "";
    public DateTimeOffset StartedAt { get; private set; }
    public List<RecertificationReview> Reviews { get; private set; } = [];
}

internal sealed class RecertificationCampaignConfiguration : IEntityTypeConfiguration<RecertificationCampaign>
{
    public void Configure(EntityTypeBuilder<RecertificationCampaign> builder)
    {
        builder.ToTable("RecertificationCampaigns");
        builder.Property(c => c.Name).HasMaxLength(200).IsRequired();
        builder.Property(c => c.StartedBy).HasMaxLength(256).IsRequired();
        builder.HasMany(c => c.Reviews).WithOne().HasForeignKey(r => r.CampaignId).OnDelete(DeleteBehavior.Restrict);
    }
}
