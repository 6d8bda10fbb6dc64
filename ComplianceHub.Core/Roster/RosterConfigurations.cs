using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Roster;

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.ToTable("People");
        builder.Property(p => p.Kind).HasConversion<int>();
        builder.Property(p => p.Name).HasMaxLength(Person.MaxNameLength).IsRequired();
        builder.Property(p => p.WorkEmail).HasMaxLength(256);
        builder.Property(p => p.EmployeeId).HasMaxLength(64);
        builder.Property(p => p.Department).HasMaxLength(200);
        builder.Property(p => p.UserId).HasMaxLength(450);
        builder.Property(p => p.Company).HasMaxLength(200);
        builder.Property(p => p.Role).HasMaxLength(200);
        builder.HasIndex(p => p.WorkEmail).IsUnique().HasFilter("\"WorkEmail\" IS NOT NULL");
        builder.HasIndex(p => p.EmployeeId).IsUnique().HasFilter("\"EmployeeId\" IS NOT NULL");
        builder.Property(p => p.ContactPhoneE164).HasMaxLength(20);
        builder.HasIndex(p => p.ContactPhoneE164).IsUnique().HasFilter("\"ContactPhoneE164\" IS NOT NULL");
        builder.HasIndex(p => p.UserId).IsUnique().HasFilter("\"UserId\" IS NOT NULL");
        builder.HasOne<Identity.ApplicationUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Person>().WithMany().HasForeignKey(p => p.ManagerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Person>().WithMany().HasForeignKey(p => p.RelationshipOwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(p => p.Numbers).WithOne().HasForeignKey(n => n.PersonId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AuthorizedNumberConfiguration : IEntityTypeConfiguration<AuthorizedNumber>
{
    public void Configure(EntityTypeBuilder<AuthorizedNumber> builder)
    {
        builder.ToTable("AuthorizedNumbers");
        builder.Property(n => n.PhoneE164).HasMaxLength(20).IsRequired();
        builder.Property(n => n.Device).HasConversion<int>();
        builder.Property(n => n.Capture).HasConversion<int>();
        builder.Property(n => n.Status).HasConversion<int>();
        builder.Property(n => n.StatusReason).HasMaxLength(1000);
        builder.Property(n => n.ApprovedBy).HasMaxLength(256);
        builder.HasIndex(n => new { n.PersonId, n.PhoneE164 }).IsUnique();
        builder.HasIndex(n => n.PhoneE164);
        builder.HasMany(n => n.History).WithOne().HasForeignKey(h => h.AuthorizedNumberId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class NumberStatusChangeConfiguration : IEntityTypeConfiguration<NumberStatusChange>
{
    public void Configure(EntityTypeBuilder<NumberStatusChange> builder)
    {
        builder.ToTable("NumberStatusChanges");
        builder.Property(h => h.FromStatus).HasConversion<int?>();
        builder.Property(h => h.ToStatus).HasConversion<int>();
        builder.Property(h => h.Reason).HasMaxLength(1000);
        builder.Property(h => h.ChangedBy).HasMaxLength(256).IsRequired();
        builder.HasIndex(h => h.AuthorizedNumberId);
    }
}
