using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Postgres
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

            migrationBuilder.DropIndex(
                name: "IX_ChatMessages_SearchVector",
                table: "ChatMessages");

            migrationBuilder.DropColumn(
                name: "SearchVector",
                table: "ChatMessages");

            migrationBuilder.AddColumn<long>(
                name: "SearchKey",
                table: "ChatMessages",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Existing messages get their search keys (second of sending, then storage order) with the
            // append-only guard lifted for this one derived column.
            migrationBuilder.Sql("""
                ALTER TABLE "ChatMessages" DISABLE TRIGGER chat_messages_no_update_delete;
                UPDATE "ChatMessages" SET "SearchKey" = k."Key"
                FROM (SELECT "Id", floor(extract(epoch FROM "SentAt"))::bigint * 1048576
                             + ROW_NUMBER() OVER (PARTITION BY floor(extract(epoch FROM "SentAt")) ORDER BY "Id") - 1 AS "Key"
                      FROM "ChatMessages") AS k
                WHERE k."Id" = "ChatMessages"."Id";
                ALTER TABLE "ChatMessages" ENABLE TRIGGER chat_messages_no_update_delete;
                """);

            // The search index moves to its own table of SearchTokenizer terms keyed by search key. It is
            // refilled from the messages when the database is next opened (DatabaseInitializer).
            migrationBuilder.Sql("""
                CREATE TABLE "ChatMessageSearch" ("SearchKey" bigint PRIMARY KEY, "Terms" tsvector NOT NULL);
                CREATE INDEX "IX_ChatMessageSearch_Terms" ON "ChatMessageSearch" USING GIN ("Terms");
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

            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "SearchVector",
                table: "ChatMessages",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "to_tsvector('simple', \"Body\")",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_ConversationId_SentAt",
                table: "ChatMessages",
                columns: new[] { "ConversationId", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_ParticipantId",
                table: "ChatMessages",
                column: "ParticipantId");

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_SearchVector",
                table: "ChatMessages",
                column: "SearchVector")
                .Annotation("Npgsql:IndexMethod", "GIN");
        }
    }
}
