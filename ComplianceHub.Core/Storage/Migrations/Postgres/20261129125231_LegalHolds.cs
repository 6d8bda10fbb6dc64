using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    MatterNumber = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    ScopeFrom = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ScopeUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ScopeFromKey = table.Column<long>(type: "bigint", nullable: true),
                    ScopeUntilKey = table.Column<long>(type: "bigint", nullable: true),
                    SourceCriteriaJson = table.Column<string>(type: "text", nullable: true),
                    PlacedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    PlacedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReleasedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ReleasedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReleaseReason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegalHolds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LegalHoldConversations",
                columns: table => new
                {
                    HoldId = table.Column<long>(type: "bigint", nullable: false),
                    ConversationId = table.Column<long>(type: "bigint", nullable: false)
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
                    HoldId = table.Column<long>(type: "bigint", nullable: false),
                    Email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
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
            migrationBuilder.Sql("""
                CREATE FUNCTION legal_holds_only_release() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        RAISE EXCEPTION 'Legal holds are kept: release a hold instead';
                    END IF;
                    IF OLD."ReleasedAt" IS NOT NULL OR NEW."Name" <> OLD."Name" OR NEW."MatterNumber" IS DISTINCT FROM OLD."MatterNumber"
                        OR NEW."Description" <> OLD."Description" OR NEW."ScopeFromKey" IS DISTINCT FROM OLD."ScopeFromKey"
                        OR NEW."ScopeUntilKey" IS DISTINCT FROM OLD."ScopeUntilKey" OR NEW."PlacedBy" <> OLD."PlacedBy" OR NEW."PlacedAt" <> OLD."PlacedAt" THEN
                        RAISE EXCEPTION 'A legal hold can only be released, once';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER legal_holds_only_release BEFORE UPDATE OR DELETE ON "LegalHolds"
                    FOR EACH ROW EXECUTE FUNCTION legal_holds_only_release();
                CREATE TRIGGER legal_hold_conversations_fixed BEFORE UPDATE OR DELETE ON "LegalHoldConversations"
                    FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                CREATE TRIGGER legal_hold_custodians_fixed BEFORE UPDATE OR DELETE ON "LegalHoldCustodians"
                    FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS legal_hold_custodians_fixed ON \"LegalHoldCustodians\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS legal_hold_conversations_fixed ON \"LegalHoldConversations\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS legal_holds_only_release ON \"LegalHolds\";");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS legal_holds_only_release();");

            migrationBuilder.DropTable(
                name: "LegalHoldConversations");

            migrationBuilder.DropTable(
                name: "LegalHoldCustodians");

            migrationBuilder.DropTable(
                name: "LegalHolds");
        }
    }
}
