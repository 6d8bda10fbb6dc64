using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LegalHolds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LegalHolds",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    MatterNumber = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    ScopeFrom = table.Column<long>(type: "INTEGER", nullable: true),
                    ScopeUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    ScopeFromKey = table.Column<long>(type: "INTEGER", nullable: true),
                    ScopeUntilKey = table.Column<long>(type: "INTEGER", nullable: true),
                    SourceCriteriaJson = table.Column<string>(type: "TEXT", nullable: true),
                    PlacedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    PlacedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReleasedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ReleasedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReleaseReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegalHolds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LegalHoldConversations",
                columns: table => new
                {
                    HoldId = table.Column<long>(type: "INTEGER", nullable: false),
                    ConversationId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegalHoldConversations", x => new { x.HoldId, x.ConversationId });
                    table.ForeignKey(
                        name: "FK_LegalHoldConversations_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LegalHoldConversations_LegalHolds_HoldId",
                        column: x => x.HoldId,
                        principalTable: "LegalHolds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LegalHoldCustodians",
                columns: table => new
                {
                    HoldId = table.Column<long>(type: "INTEGER", nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegalHoldCustodians", x => new { x.HoldId, x.Email });
                    table.ForeignKey(
                        name: "FK_LegalHoldCustodians_LegalHolds_HoldId",
                        column: x => x.HoldId,
                        principalTable: "LegalHolds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LegalHoldConversations_ConversationId",
                table: "LegalHoldConversations",
                column: "ConversationId");

            migrationBuilder.CreateIndex(
                name: "IX_LegalHoldCustodians_Email",
                table: "LegalHoldCustodians",
                column: "Email");

            migrationBuilder.CreateIndex(
                name: "IX_LegalHolds_Name",
                table: "LegalHolds",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LegalHolds_ReleasedAt",
                table: "LegalHolds",
                column: "ReleasedAt");

            // A hold and its scope are kept for good: only the release is written later, once.
            migrationBuilder.Sql("CREATE TRIGGER LegalHolds_NoDelete BEFORE DELETE ON LegalHolds BEGIN SELECT RAISE(ABORT, 'Legal holds are kept: release a hold instead'); END;");
            migrationBuilder.Sql("""
                CREATE TRIGGER LegalHolds_OnlyRelease BEFORE UPDATE ON LegalHolds
                WHEN OLD.ReleasedAt IS NOT NULL OR NEW.Name IS NOT OLD.Name OR NEW.MatterNumber IS NOT OLD.MatterNumber
                    OR NEW.Description IS NOT OLD.Description OR NEW.ScopeFromKey IS NOT OLD.ScopeFromKey OR NEW.ScopeUntilKey IS NOT OLD.ScopeUntilKey
                    OR NEW.PlacedBy IS NOT OLD.PlacedBy OR NEW.PlacedAt IS NOT OLD.PlacedAt
                BEGIN SELECT RAISE(ABORT, 'A legal hold can only be released, once'); END;
                """);
            foreach (var table in new[] { "LegalHoldConversations", "LegalHoldCustodians" })
            {
                migrationBuilder.Sql($"CREATE TRIGGER {table}_NoUpdate BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, 'A legal hold''s scope is fixed'); END;");
                migrationBuilder.Sql($"CREATE TRIGGER {table}_NoDelete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, 'A legal hold''s scope is fixed'); END;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in new[] { "LegalHolds_NoDelete", "LegalHolds_OnlyRelease", "LegalHoldConversations_NoUpdate", "LegalHoldConversations_NoDelete", "LegalHoldCustodians_NoUpdate", "LegalHoldCustodians_NoDelete" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {trigger};");
            }

            migrationBuilder.DropTable(
                name: "LegalHoldConversations");

            migrationBuilder.DropTable(
                name: "LegalHoldCustodians");

            migrationBuilder.DropTable(
                name: "LegalHolds");
        }
    }
}
