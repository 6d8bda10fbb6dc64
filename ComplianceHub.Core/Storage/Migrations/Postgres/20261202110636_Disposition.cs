using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Postgres
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
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "OriginalDisposedAt",
                table: "ImportBatches",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "OriginalDisposedByRun",
                table: "ImportBatches",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DispositionRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Trigger = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PlannedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Expired = table.Column<int>(type: "integer", nullable: false),
                    KeptByHold = table.Column<int>(type: "integer", nullable: false),
                    Named = table.Column<int>(type: "integer", nullable: false),
                    DecidedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RejectionReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Removed = table.Column<int>(type: "integer", nullable: false),
                    HeldSinceReport = table.Column<int>(type: "integer", nullable: false),
                    BlobsRemoved = table.Column<int>(type: "integer", nullable: false),
                    Summary = table.Column<string>(type: "text", nullable: true),
                    Signature = table.Column<string>(type: "text", nullable: true),
                    SignedByKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DispositionRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DispositionSettings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    RequireApproval = table.Column<bool>(type: "boolean", nullable: false),
                    ChangedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DispositionSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MessageTombstones",
                columns: table => new
                {
                    MessageId = table.Column<long>(type: "bigint", nullable: false),
                    ConversationId = table.Column<long>(type: "bigint", nullable: false),
                    ChainSequence = table.Column<long>(type: "bigint", nullable: false),
                    PreviousHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    RuleId = table.Column<long>(type: "bigint", nullable: true),
                    Rule = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    RemovedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RemovedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    StillNamed = table.Column<bool>(type: "boolean", nullable: false)
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
                    RunId = table.Column<long>(type: "bigint", nullable: false),
                    MessageId = table.Column<long>(type: "bigint", nullable: false),
                    ConversationId = table.Column<long>(type: "bigint", nullable: false),
                    RuleId = table.Column<long>(type: "bigint", nullable: true),
                    Rule = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false)
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
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION archive_delete_unfinished_only() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE batch bigint;
                BEGIN
                    IF TG_TABLE_NAME = 'ChatMessages' THEN
                        IF EXISTS (SELECT 1 FROM "MessageTombstones" t
                                   JOIN "DispositionItems" i ON i."RunId" = t."RunId" AND i."MessageId" = t."MessageId"
                                   JOIN "DispositionRuns" r ON r."Id" = t."RunId" AND r."Status" = 2
                                   WHERE t."MessageId" = OLD."Id" AND t."ConversationId" = OLD."ConversationId"
                                     AND t."ChainSequence" = OLD."ChainSequence" AND t."Hash" = OLD."Hash") THEN
                            RETURN OLD;
                        END IF;
                    ELSIF EXISTS (SELECT 1 FROM "MessageTombstones" t JOIN "DispositionRuns" r ON r."Id" = t."RunId" AND r."Status" = 2
                                  WHERE t."MessageId" = OLD."MessageId") THEN
                        RETURN OLD;
                    END IF;
                    IF TG_TABLE_NAME = 'ChatAttachments' THEN
                        SELECT m."ImportBatchId" INTO batch FROM "ChatMessages" m WHERE m."Id" = OLD."MessageId";
                    ELSE
                        batch := OLD."ImportBatchId";
                    END IF;
                    IF batch IS NOT NULL AND EXISTS (SELECT 1 FROM "ImportBatches" b WHERE b."Id" = batch AND b."CompletedAt" IS NULL) THEN
                        RETURN OLD;
                    END IF;
                    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
                END;
                $$;

                -- A webhook payload may be emptied once, by a removing run, keeping its time and hash; nothing else of it changes.
                CREATE OR REPLACE FUNCTION webhook_payload_kept() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        RAISE EXCEPTION 'Webhook payloads are evidence and cannot be deleted';
                    END IF;
                    IF OLD."PayloadDisposedByRun" IS NULL AND NEW."PayloadDisposedByRun" IS NOT NULL AND NEW."Body" = '' AND NEW."RawBody" IS NULL
                       AND NEW."BodySha256" = OLD."BodySha256" AND NEW."ReceivedAt" = OLD."ReceivedAt"
                       AND EXISTS (SELECT 1 FROM "DispositionRuns" r WHERE r."Id" = NEW."PayloadDisposedByRun" AND r."Status" = 2) THEN
                        RETURN NEW;
                    END IF;
                    IF NEW."ReceivedAt" IS DISTINCT FROM OLD."ReceivedAt" OR NEW."Body" IS DISTINCT FROM OLD."Body"
                       OR NEW."BodySha256" IS DISTINCT FROM OLD."BodySha256" OR NEW."RawBody" IS DISTINCT FROM OLD."RawBody"
                       OR NEW."PayloadDisposedByRun" IS DISTINCT FROM OLD."PayloadDisposedByRun" THEN
                        RAISE EXCEPTION 'Webhook payloads are evidence and cannot change';
                    END IF;
                    RETURN NEW;
                END $$;

                -- An import's original is released once, by a removing run.
                CREATE FUNCTION import_original_released_once() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF (NEW."OriginalDisposedByRun" IS DISTINCT FROM OLD."OriginalDisposedByRun" OR NEW."OriginalDisposedAt" IS DISTINCT FROM OLD."OriginalDisposedAt")
                       AND (OLD."OriginalDisposedByRun" IS NOT NULL
                            OR NOT EXISTS (SELECT 1 FROM "DispositionRuns" r WHERE r."Id" = NEW."OriginalDisposedByRun" AND r."Status" = 2)) THEN
                        RAISE EXCEPTION 'An import''s original is released only by a disposition run, once';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER import_original_released_once BEFORE UPDATE ON "ImportBatches" FOR EACH ROW EXECUTE FUNCTION import_original_released_once();

                -- Tombstones, reports and settings are written once; a run's record closes when it completes or is rejected.
                CREATE TRIGGER message_tombstones_no_update_delete BEFORE UPDATE OR DELETE ON "MessageTombstones" FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                CREATE TRIGGER disposition_items_no_update_delete BEFORE UPDATE OR DELETE ON "DispositionItems" FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                CREATE TRIGGER disposition_settings_no_update_delete BEFORE UPDATE OR DELETE ON "DispositionSettings" FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                CREATE TRIGGER disposition_blobs_no_delete BEFORE DELETE ON "DispositionBlobs" FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                CREATE FUNCTION disposition_run_closed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        RAISE EXCEPTION 'Disposition runs are kept on record';
                    END IF;
                    IF OLD."Status" IN (3, 4) THEN
                        RAISE EXCEPTION 'A completed or rejected disposition run stays as it closed';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER disposition_run_closed BEFORE UPDATE OR DELETE ON "DispositionRuns" FOR EACH ROW EXECUTE FUNCTION disposition_run_closed();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER disposition_run_closed ON "DispositionRuns";
                DROP FUNCTION disposition_run_closed();
                DROP TRIGGER message_tombstones_no_update_delete ON "MessageTombstones";
                DROP TRIGGER disposition_items_no_update_delete ON "DispositionItems";
                DROP TRIGGER disposition_settings_no_update_delete ON "DispositionSettings";
                DROP TRIGGER disposition_blobs_no_delete ON "DispositionBlobs";
                DROP TRIGGER import_original_released_once ON "ImportBatches";
                DROP FUNCTION import_original_released_once();
                CREATE OR REPLACE FUNCTION webhook_payload_kept() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        RAISE EXCEPTION 'Webhook payloads are evidence and cannot be deleted';
                    END IF;
                    IF NEW."ReceivedAt" IS DISTINCT FROM OLD."ReceivedAt" OR NEW."Body" IS DISTINCT FROM OLD."Body"
                       OR NEW."BodySha256" IS DISTINCT FROM OLD."BodySha256" OR NEW."RawBody" IS DISTINCT FROM OLD."RawBody" THEN
                        RAISE EXCEPTION 'Webhook payloads are evidence and cannot change';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE OR REPLACE FUNCTION archive_delete_unfinished_only() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE batch bigint;
                BEGIN
                    IF TG_TABLE_NAME = 'ChatAttachments' THEN
                        SELECT m."ImportBatchId" INTO batch FROM "ChatMessages" m WHERE m."Id" = OLD."MessageId";
                    ELSE
                        batch := OLD."ImportBatchId";
                    END IF;
                    IF batch IS NOT NULL AND EXISTS (SELECT 1 FROM "ImportBatches" b WHERE b."Id" = batch AND b."CompletedAt" IS NULL) THEN
                        RETURN OLD;
                    END IF;
                    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
                END;
                $$;
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
