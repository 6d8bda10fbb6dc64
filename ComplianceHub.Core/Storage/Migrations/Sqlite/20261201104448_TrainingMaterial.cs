using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CourseId = table.Column<long>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Length = table.Column<long>(type: "INTEGER", nullable: false),
                    UploadedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UploadedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RemovedAt = table.Column<long>(type: "INTEGER", nullable: true)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CourseId = table.Column<long>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    GrantedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    GrantedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CourseId = table.Column<long>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Length = table.Column<long>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    LaunchPath = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    LaunchParameters = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    MasteryScore = table.Column<int>(type: "INTEGER", nullable: true),
                    LaunchData = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    MaxTimeAllowed = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    TimeLimitAction = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    EntryCount = table.Column<int>(type: "INTEGER", nullable: false),
                    UploadedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UploadedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RemovedAt = table.Column<long>(type: "INTEGER", nullable: true)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PackageId = table.Column<long>(type: "INTEGER", nullable: false),
                    CourseId = table.Column<long>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    LessonStatus = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ScoreRaw = table.Column<decimal>(type: "TEXT", precision: 9, scale: 4, nullable: true),
                    ScoreMin = table.Column<decimal>(type: "TEXT", precision: 9, scale: 4, nullable: true),
                    ScoreMax = table.Column<decimal>(type: "TEXT", precision: 9, scale: 4, nullable: true),
                    LessonLocation = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    SuspendData = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    Comments = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    Exit = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    OtherDataJson = table.Column<string>(type: "TEXT", maxLength: 131072, nullable: false),
                    TotalSeconds = table.Column<double>(type: "REAL", nullable: false),
                    Sessions = table.Column<int>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletionId = table.Column<long>(type: "INTEGER", nullable: true)
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
            migrationBuilder.Sql("CREATE TRIGGER QuizRoundGrants_NoUpdate BEFORE UPDATE ON QuizRoundGrants BEGIN SELECT RAISE(ABORT, 'Training records are immutable'); END;");
            migrationBuilder.Sql("CREATE TRIGGER QuizRoundGrants_NoDelete BEFORE DELETE ON QuizRoundGrants BEGIN SELECT RAISE(ABORT, 'Training records are immutable'); END;");
            migrationBuilder.Sql("CREATE TRIGGER ScormPackages_NoDelete BEFORE DELETE ON ScormPackages BEGIN SELECT RAISE(ABORT, 'SCORM packages are kept on record'); END;");
            migrationBuilder.Sql("CREATE TRIGGER CourseFiles_NoDelete BEFORE DELETE ON CourseFiles BEGIN SELECT RAISE(ABORT, 'Course files are kept on record'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS QuizRoundGrants_NoUpdate;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS QuizRoundGrants_NoDelete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS ScormPackages_NoDelete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS CourseFiles_NoDelete;");

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
