using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExternalKey",
                table: "Conversations",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WhatsAppUserId",
                table: "ChatParticipants",
                type: "TEXT",
                maxLength: 160,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExternalId",
                table: "ChatMessages",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RawJson",
                table: "ChatMessages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReplyToExternalId",
                table: "ChatMessages",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TargetExternalId",
                table: "ChatMessages",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "WebhookDeliveryId",
                table: "ChatMessages",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "MediaDownloads",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AttachmentId = table.Column<long>(type: "INTEGER", nullable: false),
                    MediaId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    PhoneNumberId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ExpectedSha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    StoredSha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: true),
                    Length = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ExternalId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RecipientId = table.Column<string>(type: "TEXT", maxLength: 160, nullable: true),
                    PhoneNumberId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ErrorsJson = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: true),
                    WebhookDeliveryId = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
            migrationBuilder.Sql("CREATE TRIGGER MessageStatusEvents_NoUpdate BEFORE UPDATE ON MessageStatusEvents BEGIN SELECT RAISE(ABORT, 'MessageStatusEvents is append-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER MessageStatusEvents_NoDelete BEFORE DELETE ON MessageStatusEvents BEGIN SELECT RAISE(ABORT, 'MessageStatusEvents is append-only'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS MessageStatusEvents_NoUpdate;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS MessageStatusEvents_NoDelete;");

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
