using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HoldNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HoldNotices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    HoldId = table.Column<long>(type: "bigint", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Text = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    TextSha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    IssuedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HoldNotices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HoldNotices_LegalHolds_HoldId",
                        column: x => x.HoldId,
                        principalTable: "LegalHolds",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "HoldNoticeAcknowledgements",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    NoticeId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    UserEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    FullName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    TextSha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    AcknowledgedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    IpAddress = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    UserAgent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HoldNoticeAcknowledgements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HoldNoticeAcknowledgements_HoldNotices_NoticeId",
                        column: x => x.NoticeId,
                        principalTable: "HoldNotices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "HoldNoticeRecipients",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    NoticeId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    FullName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HoldNoticeRecipients", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HoldNoticeRecipients_HoldNotices_NoticeId",
                        column: x => x.NoticeId,
                        principalTable: "HoldNotices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_HoldNoticeAcknowledgements_NoticeId_UserId",
                table: "HoldNoticeAcknowledgements",
                columns: new[] { "NoticeId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HoldNoticeRecipients_NoticeId_UserId",
                table: "HoldNoticeRecipients",
                columns: new[] { "NoticeId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HoldNoticeRecipients_UserId",
                table: "HoldNoticeRecipients",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_HoldNotices_HoldId_Version",
                table: "HoldNotices",
                columns: new[] { "HoldId", "Version" },
                unique: true);

            // A notice version, its recipients and their acknowledgements are written once: an amendment is a new version.
            migrationBuilder.Sql("""
                CREATE TRIGGER hold_notices_no_update_delete BEFORE UPDATE OR DELETE ON "HoldNotices" FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                CREATE TRIGGER hold_notice_recipients_no_update_delete BEFORE UPDATE OR DELETE ON "HoldNoticeRecipients" FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                CREATE TRIGGER hold_notice_acknowledgements_no_update_delete BEFORE UPDATE OR DELETE ON "HoldNoticeAcknowledgements" FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER hold_notices_no_update_delete ON "HoldNotices";
                DROP TRIGGER hold_notice_recipients_no_update_delete ON "HoldNoticeRecipients";
                DROP TRIGGER hold_notice_acknowledgements_no_update_delete ON "HoldNoticeAcknowledgements";
                """);

            migrationBuilder.DropTable(
                name: "HoldNoticeAcknowledgements");

            migrationBuilder.DropTable(
                name: "HoldNoticeRecipients");

            migrationBuilder.DropTable(
                name: "HoldNotices");
        }
    }
}
