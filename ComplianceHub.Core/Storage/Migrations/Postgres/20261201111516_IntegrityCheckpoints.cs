using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Postgres
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
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    SealedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    LineSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AuditLength = table.Column<long>(type: "bigint", nullable: false),
                    Conversations = table.Column<int>(type: "integer", nullable: false),
                    Messages = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IntegrityCheckpoints", x => x.Sequence);
                });

            // The database's notes of checkpoints are append-only, like the audit trail.
            migrationBuilder.Sql("CREATE TRIGGER \"IntegrityCheckpoints_immutable\" BEFORE UPDATE OR DELETE ON \"IntegrityCheckpoints\" FOR EACH ROW EXECUTE FUNCTION archive_append_only();");
            migrationBuilder.Sql("CREATE TRIGGER \"IntegrityCheckpoints_no_truncate\" BEFORE TRUNCATE ON \"IntegrityCheckpoints\" FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"IntegrityCheckpoints_immutable\" ON \"IntegrityCheckpoints\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"IntegrityCheckpoints_no_truncate\" ON \"IntegrityCheckpoints\";");

            migrationBuilder.DropTable(
                name: "IntegrityCheckpoints");
        }
    }
}
