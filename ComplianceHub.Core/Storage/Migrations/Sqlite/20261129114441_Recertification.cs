using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Recertification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RecertificationCampaigns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DueDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    StartedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecertificationCampaigns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RecertificationReviews",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CampaignId = table.Column<long>(type: "INTEGER", nullable: false),
                    AuthorizedNumberId = table.Column<long>(type: "INTEGER", nullable: false),
                    ReviewerId = table.Column<long>(type: "INTEGER", nullable: true),
                    Decision = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecertificationReviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RecertificationReviews_AuthorizedNumbers_AuthorizedNumberId",
                        column: x => x.AuthorizedNumberId,
                        principalTable: "AuthorizedNumbers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RecertificationReviews_People_ReviewerId",
                        column: x => x.ReviewerId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RecertificationReviews_RecertificationCampaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "RecertificationCampaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RecertificationReviews_AuthorizedNumberId",
                table: "RecertificationReviews",
                column: "AuthorizedNumberId");

            migrationBuilder.CreateIndex(
                name: "IX_RecertificationReviews_CampaignId_AuthorizedNumberId",
                table: "RecertificationReviews",
                columns: new[] { "CampaignId", "AuthorizedNumberId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RecertificationReviews_ReviewerId_Decision",
                table: "RecertificationReviews",
                columns: new[] { "ReviewerId", "Decision" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RecertificationReviews");

            migrationBuilder.DropTable(
                name: "RecertificationCampaigns");
        }
    }
}
