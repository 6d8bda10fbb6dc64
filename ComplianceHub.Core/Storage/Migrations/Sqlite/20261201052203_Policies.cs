using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Policies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PolicyDocuments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RetiredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RetiredBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PolicyDocuments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PolicyVersions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DocumentId = table.Column<long>(type: "INTEGER", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Content = table.Column<string>(type: "TEXT", maxLength: 200000, nullable: false),
                    ContentSha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: true),
                    AudienceKind = table.Column<int>(type: "INTEGER", nullable: false),
                    AudienceValues = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    DueDays = table.Column<int>(type: "INTEGER", nullable: false),
                    ReattestMonths = table.Column<int>(type: "INTEGER", nullable: true),
                    ChangeSummary = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    IsMaterial = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PublishedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PolicyVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PolicyVersions_PolicyDocuments_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "PolicyDocuments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PolicyAcknowledgements",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    VersionId = table.Column<long>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    UserEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    FullName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ContentSha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    AcknowledgedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    IpAddress = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UserAgent = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    OnBehalfBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    OnBehalfReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PolicyAcknowledgements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PolicyAcknowledgements_PolicyVersions_VersionId",
                        column: x => x.VersionId,
                        principalTable: "PolicyVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PolicyAcknowledgements_UserId_VersionId",
                table: "PolicyAcknowledgements",
                columns: new[] { "UserId", "VersionId" });

            migrationBuilder.CreateIndex(
                name: "IX_PolicyAcknowledgements_VersionId",
                table: "PolicyAcknowledgements",
                column: "VersionId");

            migrationBuilder.CreateIndex(
                name: "IX_PolicyDocuments_Title",
                table: "PolicyDocuments",
                column: "Title",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PolicyVersions_DocumentId_Number",
                table: "PolicyVersions",
                columns: new[] { "DocumentId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PolicyVersions_Status_DocumentId",
                table: "PolicyVersions",
                columns: new[] { "Status", "DocumentId" });

            // Signatures are immutable; a published version's text, hash and facts are frozen (only its end is written);
            // documents and versions are kept for the record.
            foreach (var table in new[] { "PolicyAcknowledgements" })
            {
                migrationBuilder.Sql($"CREATE TRIGGER {table}_NoUpdate BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, 'Policy signatures are immutable'); END;");
                migrationBuilder.Sql($"CREATE TRIGGER {table}_NoDelete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, 'Policy signatures are immutable'); END;");
            }

            migrationBuilder.Sql("CREATE TRIGGER PolicyVersions_NoDelete BEFORE DELETE ON PolicyVersions BEGIN SELECT RAISE(ABORT, 'Policy versions are kept'); END;");
            migrationBuilder.Sql("CREATE TRIGGER PolicyDocuments_NoDelete BEFORE DELETE ON PolicyDocuments BEGIN SELECT RAISE(ABORT, 'Policies are kept: retire one instead'); END;");
            migrationBuilder.Sql("""
                CREATE TRIGGER PolicyVersions_Frozen BEFORE UPDATE ON PolicyVersions
                WHEN OLD.Status <> 0 AND (NEW.Status = 0 OR NEW.Content IS NOT OLD.Content OR NEW.ContentSha256 IS NOT OLD.ContentSha256
                    OR NEW.Number IS NOT OLD.Number OR NEW.DocumentId IS NOT OLD.DocumentId OR NEW.PublishedAt IS NOT OLD.PublishedAt
                    OR NEW.PublishedBy IS NOT OLD.PublishedBy OR NEW.IsMaterial IS NOT OLD.IsMaterial OR NEW.ChangeSummary IS NOT OLD.ChangeSummary
                    OR NEW.AudienceKind IS NOT OLD.AudienceKind OR NEW.AudienceValues IS NOT OLD.AudienceValues OR NEW.DueDays IS NOT OLD.DueDays
                    OR NEW.ReattestMonths IS NOT OLD.ReattestMonths OR (OLD.EndedAt IS NOT NULL AND NEW.EndedAt IS NOT OLD.EndedAt))
                BEGIN SELECT RAISE(ABORT, 'A published policy version is frozen'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var trigger in new[] { "PolicyAcknowledgements_NoUpdate", "PolicyAcknowledgements_NoDelete", "PolicyVersions_NoDelete", "PolicyDocuments_NoDelete", "PolicyVersions_Frozen" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {trigger};");
            }

            migrationBuilder.DropTable(
                name: "PolicyAcknowledgements");

            migrationBuilder.DropTable(
                name: "PolicyVersions");

            migrationBuilder.DropTable(
                name: "PolicyDocuments");
        }
    }
}
