using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MessageExportSources : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MessageExportSources",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConversationId = table.Column<long>(type: "bigint", nullable: false),
                    MessageId = table.Column<long>(type: "bigint", nullable: false),
                    ImportBatchId = table.Column<long>(type: "bigint", nullable: false),
                    LineNumber = table.Column<int>(type: "integer", nullable: false),
                    LocalTimestampText = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TimeZoneId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Author = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    DedupKey = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MessageExportSources", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MessageExportSources_ChatMessages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "ChatMessages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MessageExportSources_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MessageExportSources_ImportBatches_ImportBatchId",
                        column: x => x.ImportBatchId,
                        principalTable: "ImportBatches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MessageExportSources_ConversationId",
                table: "MessageExportSources",
                column: "ConversationId");

            migrationBuilder.CreateIndex(
                name: "IX_MessageExportSources_ImportBatchId_LineNumber",
                table: "MessageExportSources",
                columns: new[] { "ImportBatchId", "LineNumber" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MessageExportSources_MessageId",
                table: "MessageExportSources",
                column: "MessageId");

            // A second source is evidence like the message: append-only.
            migrationBuilder.Sql("""
                CREATE TRIGGER message_export_sources_no_update_delete BEFORE UPDATE OR DELETE ON "MessageExportSources"
                    FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                CREATE TRIGGER message_export_sources_no_truncate BEFORE TRUNCATE ON "MessageExportSources"
                    FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS message_export_sources_no_update_delete ON "MessageExportSources";
                DROP TRIGGER IF EXISTS message_export_sources_no_truncate ON "MessageExportSources";
                """);
            migrationBuilder.DropTable(
                name: "MessageExportSources");
        }
    }
}
