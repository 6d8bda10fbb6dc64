using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Roster : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "People",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    WorkEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    EmployeeId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Department = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ManagerId = table.Column<long>(type: "INTEGER", nullable: true),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Company = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Role = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    RelationshipOwnerId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_People", x => x.Id);
                    table.ForeignKey(
                        name: "FK_People_People_ManagerId",
                        column: x => x.ManagerId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_People_People_RelationshipOwnerId",
                        column: x => x.RelationshipOwnerId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AuthorizedNumbers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonId = table.Column<long>(type: "INTEGER", nullable: false),
                    PhoneE164 = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Device = table.Column<int>(type: "INTEGER", nullable: false),
                    Capture = table.Column<int>(type: "INTEGER", nullable: false),
                    AuthorizedFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    AuthorizedUntil = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    StatusReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ApprovedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuthorizedNumbers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AuthorizedNumbers_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "NumberStatusChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AuthorizedNumberId = table.Column<long>(type: "INTEGER", nullable: false),
                    FromStatus = table.Column<int>(type: "INTEGER", nullable: true),
                    ToStatus = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NumberStatusChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_NumberStatusChanges_AuthorizedNumbers_AuthorizedNumberId",
                        column: x => x.AuthorizedNumberId,
                        principalTable: "AuthorizedNumbers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuthorizedNumbers_PersonId_PhoneE164",
                table: "AuthorizedNumbers",
                columns: new[] { "PersonId", "PhoneE164" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuthorizedNumbers_PhoneE164",
                table: "AuthorizedNumbers",
                column: "PhoneE164");

            migrationBuilder.CreateIndex(
                name: "IX_NumberStatusChanges_AuthorizedNumberId",
                table: "NumberStatusChanges",
                column: "AuthorizedNumberId");

            migrationBuilder.CreateIndex(
                name: "IX_People_EmployeeId",
                table: "People",
                column: "EmployeeId",
                unique: true,
                filter: "\"EmployeeId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_People_ManagerId",
                table: "People",
                column: "ManagerId");

            migrationBuilder.CreateIndex(
                name: "IX_People_RelationshipOwnerId",
                table: "People",
                column: "RelationshipOwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_People_WorkEmail",
                table: "People",
                column: "WorkEmail",
                unique: true,
                filter: "\"WorkEmail\" IS NOT NULL");

            // An authorization's status history is append-only in the database too.
            migrationBuilder.Sql("CREATE TRIGGER NumberStatusChanges_NoUpdate BEFORE UPDATE ON NumberStatusChanges BEGIN SELECT RAISE(ABORT, 'NumberStatusChanges is append-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER NumberStatusChanges_NoDelete BEFORE DELETE ON NumberStatusChanges BEGIN SELECT RAISE(ABORT, 'NumberStatusChanges is append-only'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS NumberStatusChanges_NoUpdate;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS NumberStatusChanges_NoDelete;");

            migrationBuilder.DropTable(
                name: "NumberStatusChanges");

            migrationBuilder.DropTable(
                name: "AuthorizedNumbers");

            migrationBuilder.DropTable(
                name: "People");
        }
    }
}
