using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ChatMessages_ConversationId_SentAt",
                table: "ChatMessages");

            migrationBuilder.DropIndex(
                name: "IX_ChatMessages_ParticipantId",
                table: "ChatMessages");

            migrationBuilder.AddColumn<long>(
                name: "SearchKey",
                table: "ChatMessages",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Existing messages get their search keys (second of sending, then storage order) with the
            // append-only guard lifted for this one derived column.
            migrationBuilder.Sql("DROP TRIGGER ChatMessages_NoUpdate;");
            migrationBuilder.Sql("""
                UPDATE "ChatMessages" SET "SearchKey" = k."Key"
                FROM (SELECT "Id", CAST(floor("SentAt" / 1000.0) AS INTEGER) * 1048576
                             + ROW_NUMBER() OVER (PARTITION BY CAST(floor("SentAt" / 1000.0) AS INTEGER) ORDER BY "Id") - 1 AS "Key"
                      FROM "ChatMessages") AS k
                WHERE k."Id" = "ChatMessages"."Id";
                """);
            migrationBuilder.Sql("CREATE TRIGGER ChatMessages_NoUpdate BEFORE UPDATE ON ChatMessages BEGIN SELECT RAISE(ABORT, 'ChatMessages is append-only'); END;");

            // The search index becomes contentless, keyed by search key, over SearchTokenizer's terms. It is
            // refilled from the messages when the database is next opened (DatabaseInitializer).
            migrationBuilder.Sql("DROP TABLE \"ChatMessageSearch\";");
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "ChatMessageSearch" USING fts5(
                    "Terms", content='', contentless_delete=1,
                    tokenize="unicode61 remove_diacritics 0 categories 'L* N* Co M*'", prefix='3');
                """);

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_ConversationId_SearchKey",
                table: "ChatMessages",
                columns: new[] { "ConversationId", "SearchKey" });

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_ParticipantId_SearchKey",
                table: "ChatMessages",
                columns: new[] { "ParticipantId", "SearchKey" });

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_SearchKey",
                table: "ChatMessages",
                column: "SearchKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE \"ChatMessageSearch\";");
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "ChatMessageSearch" USING fts5(
                    "Body", content='ChatMessages', content_rowid='Id',
                    tokenize='unicode61 remove_diacritics 2', prefix='3');
                INSERT INTO "ChatMessageSearch"("ChatMessageSearch") VALUES ('rebuild');
                """);

            migrationBuilder.DropIndex(
                name: "IX_ChatMessages_ConversationId_SearchKey",
                table: "ChatMessages");

            migrationBuilder.DropIndex(
                name: "IX_ChatMessages_ParticipantId_SearchKey",
                table: "ChatMessages");

            migrationBuilder.DropIndex(
                name: "IX_ChatMessages_SearchKey",
                table: "ChatMessages");

            migrationBuilder.DropColumn(
                name: "SearchKey",
                table: "ChatMessages");

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_ConversationId_SentAt",
                table: "ChatMessages",
                columns: new[] { "ConversationId", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_ParticipantId",
                table: "ChatMessages",
                column: "ParticipantId");
        }
    }
}
