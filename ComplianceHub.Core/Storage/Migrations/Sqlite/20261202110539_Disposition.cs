using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Disposition : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "PayloadDisposedByRun",
                table: "WebhookDeliveries",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "OriginalDisposedAt",
                table: "ImportBatches",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "OriginalDisposedByRun",
                table: "ImportBatches",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DispositionRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Trigger = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PlannedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Expired = table.Column<int>(type: "INTEGER", nullable: false),
                    KeptByHold = table.Column<int>(type: "INTEGER", nullable: false),
                    Named = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RejectionReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Removed = table.Column<int>(type: "INTEGER", nullable: false),
                    HeldSinceReport = table.Column<int>(type: "INTEGER", nullable: false),
                    BlobsRemoved = table.Column<int>(type: "INTEGER", nullable: false),
                    Summary = table.Column<string>(type: "TEXT", nullable: true),
                    Signature = table.Column<string>(type: "TEXT", nullable: true),
                    SignedByKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DispositionRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DispositionSettings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    RequireApproval = table.Column<bool>(type: "INTEGER", nullable: false),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DispositionSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MessageTombstones",
                columns: table => new
                {
                    MessageId = table.Column<long>(type: "INTEGER", nullable: false),
                    ConversationId = table.Column<long>(type: "INTEGER", nullable: false),
                    ChainSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RunId = table.Column<long>(type: "INTEGER", nullable: false),
                    RuleId = table.Column<long>(type: "INTEGER", nullable: true),
                    Rule = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    RemovedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MessageTombstones", x => x.MessageId);
                    table.ForeignKey(
                        name: "FK_MessageTombstones_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DispositionBlobs",
                columns: table => new
                {
                    RunId = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RemovedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    StillNamed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DispositionBlobs", x => new { x.RunId, x.Sha256 });
                    table.ForeignKey(
                        name: "FK_DispositionBlobs_DispositionRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "DispositionRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DispositionItems",
                columns: table => new
                {
                    RunId = table.Column<long>(type: "INTEGER", nullable: false),
                    MessageId = table.Column<long>(type: "INTEGER", nullable: false),
                    ConversationId = table.Column<long>(type: "INTEGER", nullable: false),
                    RuleId = table.Column<long>(type: "INTEGER", nullable: true),
                    Rule = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DispositionItems", x => new { x.RunId, x.MessageId });
                    table.ForeignKey(
                        name: "FK_DispositionItems_DispositionRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "DispositionRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DispositionItems_MessageId",
                table: "DispositionItems",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_DispositionItems_RunId_ConversationId",
                table: "DispositionItems",
                columns: new[] { "RunId", "ConversationId" });

            migrationBuilder.CreateIndex(
                name: "IX_DispositionRuns_Status",
                table: "DispositionRuns",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_MessageTombstones_ConversationId_ChainSequence",
                table: "MessageTombstones",
                columns: new[] { "ConversationId", "ChainSequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MessageTombstones_RunId",
                table: "MessageTombstones",
                column: "RunId");

            // Disposition is the one path that removes archived messages, and only those its run's report names, while the
            // run is removing, each once a tombstone with its position and hash stands in for it. Every other delete is
            // still refused; an unfinished import's rollback keeps its own allowance.
            migrationBuilder.Sql("DROP TRIGGER ChatMessages_NoDelete;");
            migrationBuilder.Sql("""
                CREATE TRIGGER ChatMessages_NoDelete BEFORE DELETE ON ChatMessages
                WHEN (OLD.ImportBatchId IS NULL OR NOT EXISTS (SELECT 1 FROM ImportBatches b WHERE b.Id = OLD.ImportBatchId AND b.CompletedAt IS NULL))
                 AND NOT EXISTS (SELECT 1 FROM MessageTombstones t
                                 JOIN DispositionItems i ON i.RunId = t.RunId AND i.MessageId = t.MessageId
                                 JOIN DispositionRuns r ON r.Id = t.RunId AND r.Status = 2
                                 WHERE t.MessageId = OLD.Id AND t.ConversationId = OLD.ConversationId AND t.ChainSequence = OLD.ChainSequence AND t.Hash = OLD.Hash)
                BEGIN SELECT RAISE(ABORT, 'ChatMessages is append-only'); END;
                """);
            migrationBuilder.Sql("DROP TRIGGER ChatAttachments_NoDelete;");
            migrationBuilder.Sql("""
                CREATE TRIGGER ChatAttachments_NoDelete BEFORE DELETE ON ChatAttachments
                WHEN NOT EXISTS (SELECT 1 FROM ChatMessages m JOIN ImportBatches b ON b.Id = m.ImportBatchId WHERE m.Id = OLD.MessageId AND b.CompletedAt IS NULL)
                 AND NOT EXISTS (SELECT 1 FROM MessageTombstones t JOIN DispositionRuns r ON r.Id = t.RunId AND r.Status = 2 WHERE t.MessageId = OLD.MessageId)
                BEGIN SELECT RAISE(ABORT, 'ChatAttachments is append-only'); END;
                """);
            migrationBuilder.Sql("DROP TRIGGER MessageExportSources_NoDelete;");
            migrationBuilder.Sql("""
                CREATE TRIGGER MessageExportSources_NoDelete BEFORE DELETE ON MessageExportSources
                WHEN NOT EXISTS (SELECT 1 FROM ImportBatches b WHERE b.Id = OLD.ImportBatchId AND b.CompletedAt IS NULL)
                 AND NOT EXISTS (SELECT 1 FROM MessageTombstones t JOIN DispositionRuns r ON r.Id = t.RunId AND r.Status = 2 WHERE t.MessageId = OLD.MessageId)
                BEGIN SELECT RAISE(ABORT, 'MessageExportSources is append-only'); END;
                """);

            // A webhook payload may be emptied once, by a removing run, keeping its time and hash; nothing else of it changes.
            migrationBuilder.Sql("DROP TRIGGER WebhookDeliveries_EvidenceNoUpdate;");
            migrationBuilder.Sql("""
                CREATE TRIGGER WebhookDeliveries_EvidenceNoUpdate BEFORE UPDATE OF ReceivedAt, Body, BodySha256, RawBody, PayloadDisposedByRun ON WebhookDeliveries
                WHEN NOT (OLD.PayloadDisposedByRun IS NULL AND NEW.PayloadDisposedByRun IS NOT NULL AND NEW.Body = '' AND NEW.RawBody IS NULL
                          AND NEW.BodySha256 = OLD.BodySha256 AND NEW.ReceivedAt = OLD.ReceivedAt
                          AND EXISTS (SELECT 1 FROM DispositionRuns r WHERE r.Id = NEW.PayloadDisposedByRun AND r.Status = 2))
                BEGIN SELECT RAISE(ABORT, 'Webhook payloads are evidence and cannot change'); END;
                """);

            // An import's original is released once, by a removing run.
            migrationBuilder.Sql("""
                CREATE TRIGGER ImportBatches_OriginalReleasedOnce BEFORE UPDATE OF OriginalDisposedByRun, OriginalDisposedAt ON ImportBatches
                WHEN OLD.OriginalDisposedByRun IS NOT NULL
                  OR NOT EXISTS (SELECT 1 FROM DispositionRuns r WHERE r.Id = NEW.OriginalDisposedByRun AND r.Status = 2)
                BEGIN SELECT RAISE(ABORT, 'An import''s original is released only by a disposition run, once'); END;
                """);

            // Tombstones, reports and settings are written once; a run's record closes when it completes or is rejected.
            foreach (var table in new[] { "MessageTombstones", "DispositionItems", "DispositionSettings" })
            {
                migrationBuilder.Sql($"CREATE TRIGGER {table}_NoUpdate BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;");
                migrationBuilder.Sql($"CREATE TRIGGER {table}_NoDelete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;");
            }

            migrationBuilder.Sql("CREATE TRIGGER DispositionRuns_NoDelete BEFORE DELETE ON DispositionRuns BEGIN SELECT RAISE(ABORT, 'Disposition runs are kept on record'); END;");
            migrationBuilder.Sql("CREATE TRIGGER DispositionRuns_Closed BEFORE UPDATE ON DispositionRuns WHEN OLD.Status IN (3, 4) BEGIN SELECT RAISE(ABORT, 'A completed or rejected disposition run stays as it closed'); END;");
            migrationBuilder.Sql("CREATE TRIGGER DispositionBlobs_NoDelete BEFORE DELETE ON DispositionBlobs BEGIN SELECT RAISE(ABORT, 'DispositionBlobs is kept on record'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "MessageTombstones", "DispositionItems", "DispositionSettings" })
            {
                migrationBuilder.Sql($"DROP TRIGGER {table}_NoUpdate;");
                migrationBuilder.Sql($"DROP TRIGGER {table}_NoDelete;");
            }

            migrationBuilder.Sql("DROP TRIGGER DispositionRuns_NoDelete;");
            migrationBuilder.Sql("DROP TRIGGER DispositionRuns_Closed;");
            migrationBuilder.Sql("DROP TRIGGER DispositionBlobs_NoDelete;");
            migrationBuilder.Sql("DROP TRIGGER ImportBatches_OriginalReleasedOnce;");
            migrationBuilder.Sql("DROP TRIGGER WebhookDeliveries_EvidenceNoUpdate;");
            migrationBuilder.Sql("CREATE TRIGGER WebhookDeliveries_EvidenceNoUpdate BEFORE UPDATE OF ReceivedAt, Body, BodySha256, RawBody ON WebhookDeliveries BEGIN SELECT RAISE(ABORT, 'Webhook payloads are evidence and cannot change'); END;");
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

            migrationBuilder.DropTable(
                name: "DispositionBlobs");

            migrationBuilder.DropTable(
                name: "DispositionItems");

            migrationBuilder.DropTable(
                name: "DispositionSettings");

            migrationBuilder.DropTable(
                name: "MessageTombstones");

            migrationBuilder.DropTable(
                name: "DispositionRuns");

            migrationBuilder.DropColumn(
                name: "PayloadDisposedByRun",
                table: "WebhookDeliveries");

            migrationBuilder.DropColumn(
                name: "OriginalDisposedAt",
                table: "ImportBatches");

            migrationBuilder.DropColumn(
                name: "OriginalDisposedByRun",
                table: "ImportBatches");
        }
    }
}
