using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WebhookProcessing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BusinessPhoneNumberId",
                table: "Conversations",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExternalKey",
                table: "Conversations",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WhatsAppUserId",
                table: "ChatParticipants",
                type: "character varying(160)",
                maxLength: 160,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExternalId",
                table: "ChatMessages",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RawJson",
                table: "ChatMessages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReplyToExternalId",
                table: "ChatMessages",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TargetExternalId",
                table: "ChatMessages",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "WebhookDeliveryId",
                table: "ChatMessages",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "MediaDownloads",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AttachmentId = table.Column<long>(type: "bigint", nullable: false),
                    MediaId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    PhoneNumberId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ExpectedSha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: true),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastError = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    StoredSha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: true),
                    Length = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MediaDownloads", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MediaDownloads_ChatAttachments_AttachmentId",
                        column: x => x.AttachmentId,
                        principalTable: "ChatAttachments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MessageStatusEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ExternalId = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    OccurredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RecipientId = table.Column<string>(type: "character varying(160)", maxLength: 160, nullable: true),
                    PhoneNumberId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ErrorsJson = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    WebhookDeliveryId = table.Column<long>(type: "bigint", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MessageStatusEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MessageStatusEvents_WebhookDeliveries_WebhookDeliveryId",
                        column: x => x.WebhookDeliveryId,
                        principalTable: "WebhookDeliveries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_BusinessPhoneNumberId",
                table: "Conversations",
                column: "BusinessPhoneNumberId");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_ExternalKey",
                table: "Conversations",
                column: "ExternalKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_ExternalId",
                table: "ChatMessages",
                column: "ExternalId",
                unique: true,
                filter: "\"ExternalId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_TargetExternalId",
                table: "ChatMessages",
                column: "TargetExternalId",
                filter: "\"TargetExternalId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_WebhookDeliveryId",
                table: "ChatMessages",
                column: "WebhookDeliveryId",
                filter: "\"WebhookDeliveryId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_MediaDownloads_AttachmentId",
                table: "MediaDownloads",
                column: "AttachmentId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MediaDownloads_Status_NextAttemptAt",
                table: "MediaDownloads",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MessageStatusEvents_ExternalId_Status",
                table: "MessageStatusEvents",
                columns: new[] { "ExternalId", "Status" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MessageStatusEvents_WebhookDeliveryId",
                table: "MessageStatusEvents",
                column: "WebhookDeliveryId");

            // Delivery history is evidence like the messages: append-only.
            migrationBuilder.Sql("""
                CREATE TRIGGER message_status_events_no_update_delete BEFORE UPDATE OR DELETE ON "MessageStatusEvents"
                    FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                CREATE TRIGGER message_status_events_no_truncate BEFORE TRUNCATE ON "MessageStatusEvents"
                    FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS message_status_events_no_update_delete ON "MessageStatusEvents";
                DROP TRIGGER IF EXISTS message_status_events_no_truncate ON "MessageStatusEvents";
                """);

            migrationBuilder.DropTable(
                name: "MediaDownloads");

            migrationBuilder.DropTable(
                name: "MessageStatusEvents");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_BusinessPhoneNumberId",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_ExternalKey",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_ChatMessages_ExternalId",
                table: "ChatMessages");

            migrationBuilder.DropIndex(
                name: "IX_ChatMessages_TargetExternalId",
                table: "ChatMessages");

            migrationBuilder.DropIndex(
                name: "IX_ChatMessages_WebhookDeliveryId",
                table: "ChatMessages");

            migrationBuilder.DropColumn(
                name: "BusinessPhoneNumberId",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "ExternalKey",
                table: "Conversations");

            migrationBuilder.DropColumn(
                name: "WhatsAppUserId",
                table: "ChatParticipants");

            migrationBuilder.DropColumn(
                name: "ExternalId",
                table: "ChatMessages");

            migrationBuilder.DropColumn(
                name: "RawJson",
                table: "ChatMessages");

            migrationBuilder.DropColumn(
                name: "ReplyToExternalId",
                table: "ChatMessages");

            migrationBuilder.DropColumn(
                name: "TargetExternalId",
                table: "ChatMessages");

            migrationBuilder.DropColumn(
                name: "WebhookDeliveryId",
                table: "ChatMessages");
        }
    }
}
