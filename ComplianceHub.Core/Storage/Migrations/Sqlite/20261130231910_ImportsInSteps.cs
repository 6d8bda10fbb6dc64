using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ImportsInSteps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LastStepAt",
                table: "ImportBatches",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.Sql("UPDATE \"ImportBatches\" SET \"LastStepAt\" = \"UploadedAt\";");

            // An import writes in steps and becomes visible when it completes. Until then, and only then, its rows
            // may be removed again (a failed or abandoned import); a completed import stays completed.
            migrationBuilder.Sql("DROP TRIGGER ChatMessages_NoDelete;");
            migrationBuilder.Sql("""
                CREATE TRIGGER ChatMessages_NoDelete BEFORE DELETE ON ChatMessages
                WHEN OLD.ImportBatchId IS NULL OR NOT EXISTS (SELECT 1 FROM ImportBatches b WHERE b.Id = OLD.ImportBatchId AND b.CompletedAt IS NULL)
                BEGIN SELECT RAISE(ABORT, 'ChatMessages is append-only'); END;
                """);
            migrationBuilder.Sql("DROP TRIGGER ChatAttachments_NoDelete;");
            migrationBuilder.Sql("""
                CREATE TRIGGER ChatAttachments_NoDelete BEFORE DELETE ON ChatAttachments
                WHEN NOT EXISTS (SELECT 1 FROM ChatMessages m JOIN ImportBatches b ON b.Id = m.ImportBatchId WHERE m.Id = OLD.MessageId AND b.CompletedAt IS NULL)
                BEGIN SELECT RAISE(ABORT, 'ChatAttachments is append-only'); END;
                """);
            migrationBuilder.Sql("DROP TRIGGER MessageExportSources_NoDelete;");
            migrationBuilder.Sql("""
                CREATE TRIGGER MessageExportSources_NoDelete BEFORE DELETE ON MessageExportSources
                WHEN NOT EXISTS (SELECT 1 FROM ImportBatches b WHERE b.Id = OLD.ImportBatchId AND b.CompletedAt IS NULL)
                BEGIN SELECT RAISE(ABORT, 'MessageExportSources is append-only'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER ImportBatches_StayCompleted BEFORE UPDATE OF CompletedAt ON ImportBatches
                WHEN OLD.CompletedAt IS NOT NULL AND (NEW.CompletedAt IS NULL OR NEW.CompletedAt <> OLD.CompletedAt)
                BEGIN SELECT RAISE(ABORT, 'A completed import stays completed'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER ImportBatches_NoDeleteCompleted BEFORE DELETE ON ImportBatches WHEN OLD.CompletedAt IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'A completed import stays completed'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER ImportBatches_StayCompleted;");
            migrationBuilder.Sql("DROP TRIGGER ImportBatches_NoDeleteCompleted;");
            migrationBuilder.Sql("DROP TRIGGER ChatMessages_NoDelete;");
            migrationBuilder.Sql("CREATE TRIGGER ChatMessages_NoDelete BEFORE DELETE ON ChatMessages BEGIN SELECT RAISE(ABORT, 'ChatMessages is append-only'); END;");
            migrationBuilder.Sql("DROP TRIGGER ChatAttachments_NoDelete;");
            migrationBuilder.Sql("CREATE TRIGGER ChatAttachments_NoDelete BEFORE DELETE ON ChatAttachments BEGIN SELECT RAISE(ABORT, 'ChatAttachments is append-only'); END;");
            migrationBuilder.Sql("DROP TRIGGER MessageExportSources_NoDelete;");
            migrationBuilder.Sql("CREATE TRIGGER MessageExportSources_NoDelete BEFORE DELETE ON MessageExportSources BEGIN SELECT RAISE(ABORT, 'MessageExportSources is append-only'); END;");

            migrationBuilder.DropColumn(
                name: "LastStepAt",
                table: "ImportBatches");
        }
    }
}
