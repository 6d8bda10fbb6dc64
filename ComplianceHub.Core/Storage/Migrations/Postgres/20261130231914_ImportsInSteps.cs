using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ImportsInSteps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LastStepAt",
                table: "ImportBatches",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.Sql("UPDATE \"ImportBatches\" SET \"LastStepAt\" = \"UploadedAt\";");

            // An import writes in steps and becomes visible when it completes. Until then, and only then, its rows
            // may be removed again (a failed or abandoned import); a completed import stays completed.
            migrationBuilder.Sql("""
                CREATE FUNCTION archive_delete_unfinished_only() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE batch bigint;
                BEGIN
                    IF TG_TABLE_NAME = 'ChatAttachments' THEN
                        SELECT m."ImportBatchId" INTO batch FROM "ChatMessages" m WHERE m."Id" = OLD."MessageId";
                    ELSE
                        batch := OLD."ImportBatchId";
                    END IF;
                    IF batch IS NOT NULL AND EXISTS (SELECT 1 FROM "ImportBatches" b WHERE b."Id" = batch AND b."CompletedAt" IS NULL) THEN
                        RETURN OLD;
                    END IF;
                    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
                END;
                $$;
                CREATE FUNCTION import_batch_stays_completed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF OLD."CompletedAt" IS NOT NULL AND (TG_OP = 'DELETE' OR NEW."CompletedAt" IS DISTINCT FROM OLD."CompletedAt") THEN
                        RAISE EXCEPTION 'A completed import stays completed';
                    END IF;
                    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END;
                $$;
                DROP TRIGGER chat_messages_no_update_delete ON "ChatMessages";
                CREATE TRIGGER chat_messages_no_update BEFORE UPDATE ON "ChatMessages" FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                CREATE TRIGGER chat_messages_no_delete BEFORE DELETE ON "ChatMessages" FOR EACH ROW EXECUTE FUNCTION archive_delete_unfinished_only();
                DROP TRIGGER chat_attachments_no_update_delete ON "ChatAttachments";
                CREATE TRIGGER chat_attachments_no_update BEFORE UPDATE ON "ChatAttachments" FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                CREATE TRIGGER chat_attachments_no_delete BEFORE DELETE ON "ChatAttachments" FOR EACH ROW EXECUTE FUNCTION archive_delete_unfinished_only();
                DROP TRIGGER message_export_sources_no_update_delete ON "MessageExportSources";
                CREATE TRIGGER message_export_sources_no_update BEFORE UPDATE ON "MessageExportSources" FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                CREATE TRIGGER message_export_sources_no_delete BEFORE DELETE ON "MessageExportSources" FOR EACH ROW EXECUTE FUNCTION archive_delete_unfinished_only();
                CREATE TRIGGER import_batches_stay_completed BEFORE UPDATE OR DELETE ON "ImportBatches" FOR EACH ROW EXECUTE FUNCTION import_batch_stays_completed();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER import_batches_stay_completed ON "ImportBatches";
                DROP TRIGGER chat_messages_no_update ON "ChatMessages";
                DROP TRIGGER chat_messages_no_delete ON "ChatMessages";
                CREATE TRIGGER chat_messages_no_update_delete BEFORE UPDATE OR DELETE ON "ChatMessages" FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                DROP TRIGGER chat_attachments_no_update ON "ChatAttachments";
                DROP TRIGGER chat_attachments_no_delete ON "ChatAttachments";
                CREATE TRIGGER chat_attachments_no_update_delete BEFORE UPDATE OR DELETE ON "ChatAttachments" FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                DROP TRIGGER message_export_sources_no_update ON "MessageExportSources";
                DROP TRIGGER message_export_sources_no_delete ON "MessageExportSources";
                CREATE TRIGGER message_export_sources_no_update_delete BEFORE UPDATE OR DELETE ON "MessageExportSources" FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                DROP FUNCTION archive_delete_unfinished_only();
                DROP FUNCTION import_batch_stays_completed();
                """);

            migrationBuilder.DropColumn(
                name: "LastStepAt",
                table: "ImportBatches");
        }
    }
}
