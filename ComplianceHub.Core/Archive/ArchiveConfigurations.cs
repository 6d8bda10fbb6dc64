using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ComplianceHub.Core.Archive;

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        builder.ToTable("Conversations");
        builder.Property(c => c.Kind).HasConversion<int>();
        builder.Property(c => c.Title).HasMaxLength(256).IsRequired();
        builder.Property(c => c.WhatsAppGroupId).HasMaxLength(128);
        builder.Property(c => c.ExternalKey).HasMaxLength(256);
        builder.Property(c => c.BusinessPhoneNumberId).HasMaxLength(64);
        builder.HasIndex(c => c.Title);
        builder.HasIndex(c => c.ExternalKey).IsUnique();
        builder.HasIndex(c => c.BusinessPhoneNumberId);
        builder.HasMany(c => c.Custodians).WithOne().HasForeignKey(c => c.ConversationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ConversationCustodianConfiguration : IEntityTypeConfiguration<ConversationCustodian>
{
    public void Configure(EntityTypeBuilder<ConversationCustodian> builder)
    {
        builder.ToTable("ConversationCustodians");
        builder.HasKey(c => new { c.ConversationId, c.Email });
        builder.Property(c => c.Email).HasMaxLength(256);
        builder.HasIndex(c => c.Email);
    }
}

internal sealed class ChatParticipantConfiguration : IEntityTypeConfiguration<ChatParticipant>
{
    public void Configure(EntityTypeBuilder<ChatParticipant> builder)
    {
        builder.ToTable("ChatParticipants");
        builder.Property(p => p.DisplayName).HasMaxLength(256).IsRequired();
        builder.Property(p => p.PhoneE164).HasMaxLength(20);
        builder.Property(p => p.WhatsAppUserId).HasMaxLength(160);
        builder.HasIndex(p => new { p.ConversationId, p.DisplayName }).IsUnique();
        builder.HasIndex(p => p.PhoneE164);
        builder.HasOne<Conversation>().WithMany().HasForeignKey(p => p.ConversationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ChatMessageConfiguration : IEntityTypeConfiguration<ChatMessage>
{
    public void Configure(EntityTypeBuilder<ChatMessage> builder)
    {
        builder.ToTable("ChatMessages");
        builder.Property(m => m.LocalTimestampText).HasMaxLength(64);
        builder.Property(m => m.TimeZoneId).HasMaxLength(64);
        builder.Property(m => m.TimestampFlag).HasConversion<int>();
        builder.Property(m => m.Body).IsRequired();
        builder.Property(m => m.Kind).HasConversion<int>();
        builder.Property(m => m.Source).HasConversion<int>();
        builder.Property(m => m.DedupKey).HasMaxLength(32).IsRequired();
        builder.Property(m => m.ExternalId).HasMaxLength(256);
        builder.Property(m => m.ReplyToExternalId).HasMaxLength(256);
        builder.Property(m => m.TargetExternalId).HasMaxLength(256);
        builder.Property(m => m.PreviousHash).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(m => m.Hash).HasMaxLength(64).IsFixedLength().IsRequired();

        builder.HasIndex(m => new { m.ConversationId, m.ChainSequence }).IsUnique();
        // Time order: the search index's rowid, transcripts and keyset paging all run on the search key.
        builder.HasIndex(m => m.SearchKey).IsUnique();
        builder.HasIndex(m => new { m.ConversationId, m.SearchKey });
        builder.HasIndex(m => m.SentAt);
        builder.HasIndex(m => m.ImportBatchId);
        builder.HasIndex(m => new { m.ParticipantId, m.SearchKey });
        // One stored copy per WhatsApp message id (Meta redelivers for days); exports carry none.
        // Partial indexes: bulk imports (all null) pay nothing for them.
        builder.HasIndex(m => m.ExternalId).IsUnique().HasFilter("\"ExternalId\" IS NOT NULL");
        builder.HasIndex(m => m.TargetExternalId).HasFilter("\"TargetExternalId\" IS NOT NULL");
        builder.HasIndex(m => m.WebhookDeliveryId).HasFilter("\"WebhookDeliveryId\" IS NOT NULL");

        builder.HasOne<Conversation>().WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ChatParticipant>().WithMany().HasForeignKey(m => m.ParticipantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ImportBatch>().WithMany().HasForeignKey(m => m.ImportBatchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(m => m.Attachments).WithOne().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ChatAttachmentConfiguration : IEntityTypeConfiguration<ChatAttachment>
{
    public void Configure(EntityTypeBuilder<ChatAttachment> builder)
    {
        builder.ToTable("ChatAttachments");
        builder.Property(a => a.FileName).HasMaxLength(512).IsRequired();
        builder.Property(a => a.MediaType).HasMaxLength(128).IsRequired();
        builder.Property(a => a.Sha256).HasMaxLength(64).IsFixedLength();
        builder.Property(a => a.Status).HasConversion<int>();
        builder.HasIndex(a => new { a.MessageId, a.Ordinal }).IsUnique();
        builder.HasIndex(a => a.Sha256);
    }
}

internal sealed class ImportBatchConfiguration : IEntityTypeConfiguration<ImportBatch>
{
    public void Configure(EntityTypeBuilder<ImportBatch> builder)
    {
        builder.ToTable("ImportBatches");
        builder.Property(b => b.OriginalFileName).HasMaxLength(512).IsRequired();
        builder.Property(b => b.OriginalSha256).HasMaxLength(64).IsFixedLength().IsRequired();
        builder.Property(b => b.UploadedByName).HasMaxLength(256).IsRequired();
        builder.Property(b => b.UploadedByUserId).HasMaxLength(450);
        builder.Property(b => b.TimeZoneId).HasMaxLength(64).IsRequired();
        builder.Property(b => b.CustodianEmail).HasMaxLength(256);
        builder.Property(b => b.DetectedFormat).HasMaxLength(128);
        builder.Property(b => b.DateOrder).HasMaxLength(8);
        builder.Property(b => b.DateOrderSource).HasMaxLength(32);
        builder.HasIndex(b => b.UploadedAt);
        builder.HasIndex(b => b.OriginalSha256);
        builder.HasIndex(b => b.ConversationId);
    }
}
