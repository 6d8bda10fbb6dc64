using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ConversationId = table.Column<long>(type: "INTEGER", nullable: false),
                    MessageId = table.Column<long>(type: "INTEGER", nullable: false),
                    ImportBatchId = table.Column<long>(type: "INTEGER", nullable: false),
                    LineNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    LocalTimestampText = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TimeZoneId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Author = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DedupKey = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
            migrationBuilder.Sql("CREATE TRIGGER MessageExportSources_NoUpdate BEFORE UPDATE ON MessageExportSources BEGIN SELECT RAISE(ABORT, 'MessageExportSources is append-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER MessageExportSources_NoDelete BEFORE DELETE ON MessageExportSources BEGIN SELECT RAISE(ABORT, 'MessageExportSources is append-only'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS MessageExportSources_NoUpdate;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS MessageExportSources_NoDelete;");
            migrationBuilder.DropTable(
                name: "MessageExportSources");
        }
    }
}
