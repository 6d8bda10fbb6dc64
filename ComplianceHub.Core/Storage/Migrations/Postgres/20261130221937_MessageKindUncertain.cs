using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MessageKindUncertain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "KindUncertain",
                table: "ChatMessages",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "KindUncertain",
                table: "ChatMessages");
        }
    }
}
