using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Postgres
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
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AttachmentLength",
                table: "PolicyVersions",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AttachmentSha256",
                table: "PolicyVersions",
                type: "character(64)",
                fixedLength: true,
                maxLength: 64,
                nullable: true);

            // A published version's attachment is frozen with its text.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION policy_versions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
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
                        OR NEW."AttachmentSha256" IS DISTINCT FROM OLD."AttachmentSha256" OR NEW."AttachmentFileName" IS DISTINCT FROM OLD."AttachmentFileName"
                        OR NEW."AttachmentLength" IS DISTINCT FROM OLD."AttachmentLength"
                        OR (OLD."EndedAt" IS NOT NULL AND NEW."EndedAt" IS DISTINCT FROM OLD."EndedAt")) THEN
                        RAISE EXCEPTION 'A published policy version is frozen';
                    END IF;
                    RETURN NEW;
                END;
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION policy_versions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
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
