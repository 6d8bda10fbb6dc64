using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 300,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AlterColumn<long>(
                name: "AuthorizedNumberId",
                table: "RecertificationReviews",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<long>(
                name: "GroupMemberId",
                table: "RecertificationReviews",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ContactPhoneE164",
                table: "People",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "OfficialGroups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    OwnerId = table.Column<long>(type: "INTEGER", nullable: false),
                    WhatsAppGroupId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    InviteLink = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    ConversationId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    GroupId = table.Column<long>(type: "INTEGER", nullable: false),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    PhoneE164 = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    JoinedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    LeftOn = table.Column<DateOnly>(type: "TEXT", nullable: true)
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

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER",
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
