using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
{
    /// <summary>
    /// A stay in an official group is kept for good: it can only be ended, once. (Apart from the
    /// OfficialGroups migration, whose table rebuilds run after its own SQL.)
    /// </summary>
    public partial class GroupMemberTriggers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE TRIGGER IF NOT EXISTS GroupMembers_NoDelete BEFORE DELETE ON GroupMembers BEGIN SELECT RAISE(ABORT, 'GroupMembers keeps every stay: record the leaving date instead'); END;");
            migrationBuilder.Sql("""
                CREATE TRIGGER IF NOT EXISTS GroupMembers_OnlyLeave BEFORE UPDATE ON GroupMembers
                WHEN OLD.LeftOn IS NOT NULL OR NEW.GroupId IS NOT OLD.GroupId OR NEW.PersonId IS NOT OLD.PersonId
                    OR NEW.PhoneE164 IS NOT OLD.PhoneE164 OR NEW.JoinedOn IS NOT OLD.JoinedOn
                BEGIN SELECT RAISE(ABORT, 'A group stay can only be ended, once'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS GroupMembers_NoDelete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS GroupMembers_OnlyLeave;");
        }
    }
}
