using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ImportsCompleteAtOnce : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CompletedAt",
                table: "ImportBatches",
                type: "INTEGER",
                nullable: true);

            // Every import before this one completed in a single transaction: it completed when it was uploaded.
            migrationBuilder.Sql("UPDATE \"ImportBatches\" SET \"CompletedAt\" = \"UploadedAt\";");

            migrationBuilder.CreateIndex(
                name: "IX_ImportBatches_Running",
                table: "ImportBatches",
                column: "Id",
                filter: "\"CompletedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ImportBatches_Running",
                table: "ImportBatches");

            migrationBuilder.DropColumn(
                name: "CompletedAt",
                table: "ImportBatches");
        }
    }
}
