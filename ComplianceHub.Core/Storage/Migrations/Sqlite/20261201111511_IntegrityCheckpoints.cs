using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IntegrityCheckpoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "IntegrityCheckpoints",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    SealedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    LineSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AuditLength = table.Column<long>(type: "INTEGER", nullable: false),
                    Conversations = table.Column<int>(type: "INTEGER", nullable: false),
                    Messages = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IntegrityCheckpoints", x => x.Sequence);
                });

            // The database's notes of checkpoints are append-only, like the audit trail.
            migrationBuilder.Sql("CREATE TRIGGER IntegrityCheckpoints_NoUpdate BEFORE UPDATE ON IntegrityCheckpoints BEGIN SELECT RAISE(ABORT, 'Checkpoint notes are append-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER IntegrityCheckpoints_NoDelete BEFORE DELETE ON IntegrityCheckpoints BEGIN SELECT RAISE(ABORT, 'Checkpoint notes are append-only'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS IntegrityCheckpoints_NoUpdate;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS IntegrityCheckpoints_NoDelete;");

            migrationBuilder.DropTable(
                name: "IntegrityCheckpoints");
        }
    }
}
