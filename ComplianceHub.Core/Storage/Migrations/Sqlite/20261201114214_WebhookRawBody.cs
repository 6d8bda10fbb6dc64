using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
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
                type: "BLOB",
                nullable: true);

            // What arrived is evidence: its bytes, hash and time never change and no delivery is deleted (processing updates only its status).
            migrationBuilder.Sql("CREATE TRIGGER WebhookDeliveries_EvidenceNoUpdate BEFORE UPDATE OF ReceivedAt, Body, BodySha256, RawBody ON WebhookDeliveries BEGIN SELECT RAISE(ABORT, 'Webhook payloads are evidence and cannot change'); END;");
            migrationBuilder.Sql("CREATE TRIGGER WebhookDeliveries_NoDelete BEFORE DELETE ON WebhookDeliveries BEGIN SELECT RAISE(ABORT, 'Webhook payloads are evidence and cannot be deleted'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS WebhookDeliveries_EvidenceNoUpdate;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS WebhookDeliveries_NoDelete;");

            migrationBuilder.DropColumn(
                name: "RawBody",
                table: "WebhookDeliveries");
        }
    }
}
