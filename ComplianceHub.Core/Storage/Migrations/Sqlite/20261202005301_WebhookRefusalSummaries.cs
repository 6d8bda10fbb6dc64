using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WebhookRefusalSummaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Count",
                table: "WebhookRejections",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<long>(
                name: "LastAt",
                table: "WebhookRejections",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Rows written one per request before: each stands for one, ending when it began.
            migrationBuilder.Sql("UPDATE \"WebhookRejections\" SET \"LastAt\" = \"ReceivedAt\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Count",
                table: "WebhookRejections");

            migrationBuilder.DropColumn(
                name: "LastAt",
                table: "WebhookRejections");
        }
    }
}
