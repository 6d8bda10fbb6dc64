using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BusinessPhoneNumbers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BusinessPhoneE164",
                table: "Conversations",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            // Conversations captured before the number was recorded: the business side is the participant whose
            // number is not the customer's (the key is "wa:<phone_number_id>:<customer>").
            migrationBuilder.Sql("""
                UPDATE "Conversations" SET "BusinessPhoneE164" = (
                    SELECT p."PhoneE164" FROM "ChatParticipants" p
                    WHERE p."ConversationId" = "Conversations"."Id" AND p."PhoneE164" IS NOT NULL
                      AND p."PhoneE164" <> '+' || substr("Conversations"."ExternalKey", length('wa:' || "Conversations"."BusinessPhoneNumberId" || ':') + 1)
                    ORDER BY p."Id" LIMIT 1)
                WHERE "BusinessPhoneNumberId" IS NOT NULL AND "ExternalKey" IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BusinessPhoneE164",
                table: "Conversations");
        }
    }
}
