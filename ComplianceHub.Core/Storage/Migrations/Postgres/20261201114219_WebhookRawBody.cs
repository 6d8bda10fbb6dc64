using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WebhookRawBody : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "RawBody",
                table: "WebhookDeliveries",
                type: "bytea",
                nullable: true);

            // What arrived is evidence: its bytes, hash and time never change and no delivery is deleted (processing updates only its status).
            migrationBuilder.Sql("""
                CREATE FUNCTION webhook_payload_kept() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        RAISE EXCEPTION 'Webhook payloads are evidence and cannot be deleted';
                    END IF;
                    IF NEW."ReceivedAt" IS DISTINCT FROM OLD."ReceivedAt" OR NEW."Body" IS DISTINCT FROM OLD."Body"
                       OR NEW."BodySha256" IS DISTINCT FROM OLD."BodySha256" OR NEW."RawBody" IS DISTINCT FROM OLD."RawBody" THEN
                        RAISE EXCEPTION 'Webhook payloads are evidence and cannot change';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER webhook_payload_kept BEFORE UPDATE OR DELETE ON "WebhookDeliveries" FOR EACH ROW EXECUTE FUNCTION webhook_payload_kept();
                CREATE TRIGGER webhook_payload_no_truncate BEFORE TRUNCATE ON "WebhookDeliveries" FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS webhook_payload_kept ON \"WebhookDeliveries\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS webhook_payload_no_truncate ON \"WebhookDeliveries\";");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS webhook_payload_kept();");

            migrationBuilder.DropColumn(
                name: "RawBody",
                table: "WebhookDeliveries");
        }
    }
}
