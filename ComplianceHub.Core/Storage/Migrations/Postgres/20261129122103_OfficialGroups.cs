using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OfficialGroups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_RosterAlerts_Kind_Phone_ConversationId",
                table: "RosterAlerts");

            migrationBuilder.DropIndex(
                name: "IX_RecertificationReviews_CampaignId_AuthorizedNumberId",
                table: "RecertificationReviews");

            migrationBuilder.AddColumn<string>(
                name: "Subject",
                table: "RosterAlerts",
                type: "character varying(300)",
                maxLength: 300,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AlterColumn<long>(
                name: "AuthorizedNumberId",
                table: "RecertificationReviews",
                type: "bigint",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AddColumn<long>(
                name: "GroupMemberId",
                table: "RecertificationReviews",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ContactPhoneE164",
                table: "People",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "OfficialGroups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Purpose = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    OwnerId = table.Column<long>(type: "bigint", nullable: false),
                    WhatsAppGroupId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    InviteLink = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    ConversationId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OfficialGroups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OfficialGroups_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_OfficialGroups_People_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "GroupMembers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    GroupId = table.Column<long>(type: "bigint", nullable: false),
                    PersonId = table.Column<long>(type: "bigint", nullable: false),
                    PhoneE164 = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    JoinedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    LeftOn = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GroupMembers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GroupMembers_OfficialGroups_GroupId",
                        column: x => x.GroupId,
                        principalTable: "OfficialGroups",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_GroupMembers_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RosterAlerts_Kind_Phone_ConversationId_Subject",
                table: "RosterAlerts",
                columns: new[] { "Kind", "Phone", "ConversationId", "Subject" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RecertificationReviews_CampaignId_AuthorizedNumberId",
                table: "RecertificationReviews",
                columns: new[] { "CampaignId", "AuthorizedNumberId" },
                unique: true,
                filter: "\"AuthorizedNumberId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_RecertificationReviews_CampaignId_GroupMemberId",
                table: "RecertificationReviews",
                columns: new[] { "CampaignId", "GroupMemberId" },
                unique: true,
                filter: "\"GroupMemberId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_RecertificationReviews_GroupMemberId",
                table: "RecertificationReviews",
                column: "GroupMemberId");

            migrationBuilder.AddCheckConstraint(
                name: "CK_RecertificationReviews_OneSubject",
                table: "RecertificationReviews",
                sql: "(\"AuthorizedNumberId\" IS NULL) <> (\"GroupMemberId\" IS NULL)");

            migrationBuilder.CreateIndex(
                name: "IX_People_ContactPhoneE164",
                table: "People",
                column: "ContactPhoneE164",
                unique: true,
                filter: "\"ContactPhoneE164\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_People_UserId",
                table: "People",
                column: "UserId",
                unique: true,
                filter: "\"UserId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_GroupMembers_GroupId_PhoneE164",
                table: "GroupMembers",
                columns: new[] { "GroupId", "PhoneE164" });

            migrationBuilder.CreateIndex(
                name: "IX_GroupMembers_PersonId",
                table: "GroupMembers",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_OfficialGroups_ConversationId",
                table: "OfficialGroups",
                column: "ConversationId",
                unique: true,
                filter: "\"ConversationId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_OfficialGroups_Name",
                table: "OfficialGroups",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OfficialGroups_OwnerId",
                table: "OfficialGroups",
                column: "OwnerId");

            migrationBuilder.AddForeignKey(
                name: "FK_People_AspNetUsers_UserId",
                table: "People",
                column: "UserId",
                principalTable: "AspNetUsers",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_RecertificationReviews_GroupMembers_GroupMemberId",
                table: "RecertificationReviews",
                column: "GroupMemberId",
                principalTable: "GroupMembers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            // A stay in a group is kept for good: it can only be ended, once.
            migrationBuilder.Sql("""
                CREATE FUNCTION group_members_only_leave() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        RAISE EXCEPTION 'GroupMembers keeps every stay: record the leaving date instead';
                    END IF;
                    IF OLD."LeftOn" IS NOT NULL OR NEW."GroupId" <> OLD."GroupId" OR NEW."PersonId" <> OLD."PersonId"
                        OR NEW."PhoneE164" <> OLD."PhoneE164" OR NEW."JoinedOn" <> OLD."JoinedOn" THEN
                        RAISE EXCEPTION 'A group stay can only be ended, once';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER group_members_only_leave BEFORE UPDATE OR DELETE ON "GroupMembers"
                    FOR EACH ROW EXECUTE FUNCTION group_members_only_leave();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS group_members_only_leave ON \"GroupMembers\";");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS group_members_only_leave();");

            migrationBuilder.DropForeignKey(
                name: "FK_People_AspNetUsers_UserId",
                table: "People");

            migrationBuilder.DropForeignKey(
                name: "FK_RecertificationReviews_GroupMembers_GroupMemberId",
                table: "RecertificationReviews");

            migrationBuilder.DropTable(
                name: "GroupMembers");

            migrationBuilder.DropTable(
                name: "OfficialGroups");

            migrationBuilder.DropIndex(
                name: "IX_RosterAlerts_Kind_Phone_ConversationId_Subject",
                table: "RosterAlerts");

            migrationBuilder.DropIndex(
                name: "IX_RecertificationReviews_CampaignId_AuthorizedNumberId",
                table: "RecertificationReviews");

            migrationBuilder.DropIndex(
                name: "IX_RecertificationReviews_CampaignId_GroupMemberId",
                table: "RecertificationReviews");

            migrationBuilder.DropIndex(
                name: "IX_RecertificationReviews_GroupMemberId",
                table: "RecertificationReviews");

            migrationBuilder.DropCheckConstraint(
                name: "CK_RecertificationReviews_OneSubject",
                table: "RecertificationReviews");

            migrationBuilder.DropIndex(
                name: "IX_People_ContactPhoneE164",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_People_UserId",
                table: "People");

            migrationBuilder.DropColumn(
                name: "Subject",
                table: "RosterAlerts");

            migrationBuilder.DropColumn(
                name: "GroupMemberId",
                table: "RecertificationReviews");

            migrationBuilder.DropColumn(
                name: "ContactPhoneE164",
                table: "People");

            migrationBuilder.AlterColumn<long>(
                name: "AuthorizedNumberId",
                table: "RecertificationReviews",
                type: "bigint",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_RosterAlerts_Kind_Phone_ConversationId",
                table: "RosterAlerts",
                columns: new[] { "Kind", "Phone", "ConversationId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RecertificationReviews_CampaignId_AuthorizedNumberId",
                table: "RecertificationReviews",
                columns: new[] { "CampaignId", "AuthorizedNumberId" },
                unique: true);
        }
    }
}
