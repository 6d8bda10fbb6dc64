using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PolicyAttachments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AttachmentFileName",
                table: "PolicyVersions",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AttachmentLength",
                table: "PolicyVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AttachmentSha256",
                table: "PolicyVersions",
                type: "TEXT",
                fixedLength: true,
                maxLength: 64,
                nullable: true);

            // A published version's attachment is frozen with its text.
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS PolicyVersions_Frozen;");
            migrationBuilder.Sql("""
                CREATE TRIGGER PolicyVersions_Frozen BEFORE UPDATE ON PolicyVersions
                WHEN OLD.Status <> 0 AND (NEW.Status = 0 OR NEW.Content IS NOT OLD.Content OR NEW.ContentSha256 IS NOT OLD.ContentSha256
                    OR NEW.Number IS NOT OLD.Number OR NEW.DocumentId IS NOT OLD.DocumentId OR NEW.PublishedAt IS NOT OLD.PublishedAt
                    OR NEW.PublishedBy IS NOT OLD.PublishedBy OR NEW.IsMaterial IS NOT OLD.IsMaterial OR NEW.ChangeSummary IS NOT OLD.ChangeSummary
                    OR NEW.AudienceKind IS NOT OLD.AudienceKind OR NEW.AudienceValues IS NOT OLD.AudienceValues OR NEW.DueDays IS NOT OLD.DueDays
                    OR NEW.ReattestMonths IS NOT OLD.ReattestMonths OR (OLD.EndedAt IS NOT NULL AND NEW.EndedAt IS NOT OLD.EndedAt)
                    OR NEW.AttachmentSha256 IS NOT OLD.AttachmentSha256 OR NEW.AttachmentFileName IS NOT OLD.AttachmentFileName
                    OR NEW.AttachmentLength IS NOT OLD.AttachmentLength)
                BEGIN SELECT RAISE(ABORT, 'A published policy version is frozen'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS PolicyVersions_Frozen;");
            migrationBuilder.Sql("""
                CREATE TRIGGER PolicyVersions_Frozen BEFORE UPDATE ON PolicyVersions
                WHEN OLD.Status <> 0 AND (NEW.Status = 0 OR NEW.Content IS NOT OLD.Content OR NEW.ContentSha256 IS NOT OLD.ContentSha256
                    OR NEW.Number IS NOT OLD.Number OR NEW.DocumentId IS NOT OLD.DocumentId OR NEW.PublishedAt IS NOT OLD.PublishedAt
                    OR NEW.PublishedBy IS NOT OLD.PublishedBy OR NEW.IsMaterial IS NOT OLD.IsMaterial OR NEW.ChangeSummary IS NOT OLD.ChangeSummary
                    OR NEW.AudienceKind IS NOT OLD.AudienceKind OR NEW.AudienceValues IS NOT OLD.AudienceValues OR NEW.DueDays IS NOT OLD.DueDays
                    OR NEW.ReattestMonths IS NOT OLD.ReattestMonths OR (OLD.EndedAt IS NOT NULL AND NEW.EndedAt IS NOT OLD.EndedAt))
                BEGIN SELECT RAISE(ABORT, 'A published policy version is frozen'); END;
                """);

            migrationBuilder.DropColumn(
                name: "AttachmentFileName",
                table: "PolicyVersions");

            migrationBuilder.DropColumn(
                name: "AttachmentLength",
                table: "PolicyVersions");

            migrationBuilder.DropColumn(
                name: "AttachmentSha256",
                table: "PolicyVersions");
        }
    }
}
