using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TrainingMaterial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CourseFiles",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CourseId = table.Column<long>(type: "bigint", nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Length = table.Column<long>(type: "bigint", nullable: false),
                    UploadedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RemovedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CourseFiles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CourseFiles_Courses_CourseId",
                        column: x => x.CourseId,
                        principalTable: "Courses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "QuizRoundGrants",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CourseId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    GrantedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    GrantedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuizRoundGrants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QuizRoundGrants_Courses_CourseId",
                        column: x => x.CourseId,
                        principalTable: "Courses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ScormPackages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CourseId = table.Column<long>(type: "bigint", nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Length = table.Column<long>(type: "bigint", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    LaunchPath = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    LaunchParameters = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    MasteryScore = table.Column<int>(type: "integer", nullable: true),
                    LaunchData = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: true),
                    MaxTimeAllowed = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    TimeLimitAction = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    EntryCount = table.Column<int>(type: "integer", nullable: false),
                    UploadedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RemovedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScormPackages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ScormPackages_Courses_CourseId",
                        column: x => x.CourseId,
                        principalTable: "Courses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ScormAttempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PackageId = table.Column<long>(type: "bigint", nullable: false),
                    CourseId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    LessonStatus = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ScoreRaw = table.Column<decimal>(type: "numeric(9,4)", precision: 9, scale: 4, nullable: true),
                    ScoreMin = table.Column<decimal>(type: "numeric(9,4)", precision: 9, scale: 4, nullable: true),
                    ScoreMax = table.Column<decimal>(type: "numeric(9,4)", precision: 9, scale: 4, nullable: true),
                    LessonLocation = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    SuspendData = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: false),
                    Comments = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: false),
                    Exit = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    OtherDataJson = table.Column<string>(type: "character varying(131072)", maxLength: 131072, nullable: false),
                    TotalSeconds = table.Column<double>(type: "double precision", nullable: false),
                    Sessions = table.Column<int>(type: "integer", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CompletionId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScormAttempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ScormAttempts_ScormPackages_PackageId",
                        column: x => x.PackageId,
                        principalTable: "ScormPackages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ScormAttempts_TrainingCompletions_CompletionId",
                        column: x => x.CompletionId,
                        principalTable: "TrainingCompletions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CourseFiles_CourseId",
                table: "CourseFiles",
                column: "CourseId");

            migrationBuilder.CreateIndex(
                name: "IX_QuizRoundGrants_CourseId",
                table: "QuizRoundGrants",
                column: "CourseId");

            migrationBuilder.CreateIndex(
                name: "IX_QuizRoundGrants_UserId_CourseId",
                table: "QuizRoundGrants",
                columns: new[] { "UserId", "CourseId" });

            migrationBuilder.CreateIndex(
                name: "IX_ScormAttempts_CompletionId",
                table: "ScormAttempts",
                column: "CompletionId");

            migrationBuilder.CreateIndex(
                name: "IX_ScormAttempts_PackageId",
                table: "ScormAttempts",
                column: "PackageId");

            migrationBuilder.CreateIndex(
                name: "IX_ScormAttempts_UserId_PackageId",
                table: "ScormAttempts",
                columns: new[] { "UserId", "PackageId" });

            migrationBuilder.CreateIndex(
                name: "IX_ScormPackages_CourseId",
                table: "ScormPackages",
                column: "CourseId");

            // A granted round is immutable; packages and files handed out are kept on record (removal is a date).
            migrationBuilder.Sql("CREATE TRIGGER \"QuizRoundGrants_immutable\" BEFORE UPDATE OR DELETE ON \"QuizRoundGrants\" FOR EACH ROW EXECUTE FUNCTION archive_append_only();");
            migrationBuilder.Sql("CREATE TRIGGER \"QuizRoundGrants_no_truncate\" BEFORE TRUNCATE ON \"QuizRoundGrants\" FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();");
            migrationBuilder.Sql("""
                CREATE FUNCTION training_material_kept() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION '% rows are kept on record', TG_TABLE_NAME;
                END $$;
                CREATE TRIGGER scorm_packages_kept BEFORE DELETE ON "ScormPackages" FOR EACH ROW EXECUTE FUNCTION training_material_kept();
                CREATE TRIGGER course_files_kept BEFORE DELETE ON "CourseFiles" FOR EACH ROW EXECUTE FUNCTION training_material_kept();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"QuizRoundGrants_immutable\" ON \"QuizRoundGrants\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"QuizRoundGrants_no_truncate\" ON \"QuizRoundGrants\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS scorm_packages_kept ON \"ScormPackages\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS course_files_kept ON \"CourseFiles\";");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS training_material_kept();");

            migrationBuilder.DropTable(
                name: "CourseFiles");

            migrationBuilder.DropTable(
                name: "QuizRoundGrants");

            migrationBuilder.DropTable(
                name: "ScormAttempts");

            migrationBuilder.DropTable(
                name: "ScormPackages");
        }
    }
}
