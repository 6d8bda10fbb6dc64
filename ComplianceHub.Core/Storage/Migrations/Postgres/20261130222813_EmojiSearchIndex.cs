using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EmojiSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The tokenizer now writes emoji and the last character of each Chinese or Japanese run as terms:
            // the index is emptied here and refilled from the messages when the database is opened (SearchIndexRebuild).
            migrationBuilder.Sql("TRUNCATE \"ChatMessageSearch\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The index holds more terms than before; nothing to undo.
        }
    }
}
