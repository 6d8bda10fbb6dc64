using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RetiredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RetiredBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PolicyDocuments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PolicyVersions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DocumentId = table.Column<long>(type: "bigint", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Content = table.Column<string>(type: "character varying(200000)", maxLength: 200000, nullable: false),
                    ContentSha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: true),
                    AudienceKind = table.Column<int>(type: "integer", nullable: false),
                    AudienceValues = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    DueDays = table.Column<int>(type: "integer", nullable: false),
                    ReattestMonths = table.Column<int>(type: "integer", nullable: true),
                    ChangeSummary = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    IsMaterial = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PublishedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    VersionId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    UserEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    FullName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ContentSha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    AcknowledgedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    IpAddress = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    UserAgent = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    OnBehalfBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    OnBehalfReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
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
            migrationBuilder.Sql("""
                CREATE FUNCTION policy_versions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        RAISE EXCEPTION 'Policy versions are kept';
                    END IF;
                    IF OLD."Status" <> 0 AND (NEW."Status" = 0 OR NEW."Content" <> OLD."Content" OR NEW."ContentSha256" IS DISTINCT FROM OLD."ContentSha256"
                        OR NEW."Number" <> OLD."Number" OR NEW."DocumentId" <> OLD."DocumentId" OR NEW."PublishedAt" IS DISTINCT FROM OLD."PublishedAt"
                        OR NEW."PublishedBy" IS DISTINCT FROM OLD."PublishedBy" OR NEW."IsMaterial" <> OLD."IsMaterial"
                        OR NEW."ChangeSummary" IS DISTINCT FROM OLD."ChangeSummary" OR NEW."AudienceKind" <> OLD."AudienceKind"
                        OR NEW."AudienceValues" <> OLD."AudienceValues" OR NEW."DueDays" <> OLD."DueDays"
                        OR NEW."ReattestMonths" IS DISTINCT FROM OLD."ReattestMonths"
                        OR (OLD."EndedAt" IS NOT NULL AND NEW."EndedAt" IS DISTINCT FROM OLD."EndedAt")) THEN
                        RAISE EXCEPTION 'A published policy version is frozen';
                    END IF;
                    RETURN NEW;
                END;
                $$;
                CREATE FUNCTION policy_documents_kept() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'Policies are kept: retire one instead';
                END;
                $$;
                CREATE TRIGGER policy_versions_frozen BEFORE UPDATE OR DELETE ON "PolicyVersions"
                    FOR EACH ROW EXECUTE FUNCTION policy_versions_frozen();
                CREATE TRIGGER policy_documents_kept BEFORE DELETE ON "PolicyDocuments"
                    FOR EACH ROW EXECUTE FUNCTION policy_documents_kept();
                CREATE TRIGGER policy_acknowledgements_immutable BEFORE UPDATE OR DELETE ON "PolicyAcknowledgements"
                    FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                CREATE TRIGGER policy_acknowledgements_no_truncate BEFORE TRUNCATE ON "PolicyAcknowledgements"
                    FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS policy_acknowledgements_no_truncate ON \"PolicyAcknowledgements\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS policy_acknowledgements_immutable ON \"PolicyAcknowledgements\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS policy_documents_kept ON \"PolicyDocuments\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS policy_versions_frozen ON \"PolicyVersions\";");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS policy_documents_kept();");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS policy_versions_frozen();");

            migrationBuilder.DropTable(
                name: "PolicyAcknowledgements");

            migrationBuilder.DropTable(
                name: "PolicyVersions");

            migrationBuilder.DropTable(
                name: "PolicyDocuments");
        }
    }
}
