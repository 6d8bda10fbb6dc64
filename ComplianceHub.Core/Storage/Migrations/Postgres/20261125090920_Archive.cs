using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using NpgsqlTypes;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Archive : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Conversations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Title = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    WhatsAppGroupId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Conversations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ImportBatches",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConversationId = table.Column<long>(type: "bigint", nullable: false),
                    OriginalFileName = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    OriginalSha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    OriginalLength = table.Column<long>(type: "bigint", nullable: false),
                    UploadedByName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    UploadedByUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    TimeZoneId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CustodianEmail = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    DetectedFormat = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    DateOrder = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    DateOrderSource = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    MessagesInFile = table.Column<int>(type: "integer", nullable: false),
                    MessagesAdded = table.Column<int>(type: "integer", nullable: false),
                    MessagesAlreadyPresent = table.Column<int>(type: "integer", nullable: false),
                    SystemMessages = table.Column<int>(type: "integer", nullable: false),
                    AttachmentsStored = table.Column<int>(type: "integer", nullable: false),
                    AttachmentsMissing = table.Column<int>(type: "integer", nullable: false),
                    Warnings = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportBatches", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ChatParticipants",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConversationId = table.Column<long>(type: "bigint", nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    PhoneE164 = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    FirstSeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChatParticipants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ChatParticipants_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ConversationCustodians",
                columns: table => new
                {
                    ConversationId = table.Column<long>(type: "bigint", nullable: false),
                    Email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    AddedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConversationCustodians", x => new { x.ConversationId, x.Email });
                    table.ForeignKey(
                        name: "FK_ConversationCustodians_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ChatMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ConversationId = table.Column<long>(type: "bigint", nullable: false),
                    ParticipantId = table.Column<long>(type: "bigint", nullable: true),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LocalTimestampText = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    TimeZoneId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    TimestampFlag = table.Column<int>(type: "integer", nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    IsEdited = table.Column<bool>(type: "boolean", nullable: false),
                    Source = table.Column<int>(type: "integer", nullable: false),
                    ImportBatchId = table.Column<long>(type: "bigint", nullable: true),
                    LineNumber = table.Column<int>(type: "integer", nullable: true),
                    DedupKey = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ChainSequence = table.Column<long>(type: "bigint", nullable: false),
                    PreviousHash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    SearchVector = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: true, computedColumnSql: "to_tsvector('simple', \"Body\")", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChatMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ChatMessages_ChatParticipants_ParticipantId",
                        column: x => x.ParticipantId,
                        principalTable: "ChatParticipants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ChatMessages_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ChatMessages_ImportBatches_ImportBatchId",
                        column: x => x.ImportBatchId,
                        principalTable: "ImportBatches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ChatAttachments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MessageId = table.Column<long>(type: "bigint", nullable: false),
                    Ordinal = table.Column<int>(type: "integer", nullable: false),
                    FileName = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    MediaType = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Length = table.Column<long>(type: "bigint", nullable: true),
                    Sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: true),
                    Status = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChatAttachments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ChatAttachments_ChatMessages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "ChatMessages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ChatAttachments_MessageId_Ordinal",
                table: "ChatAttachments",
                columns: new[] { "MessageId", "Ordinal" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ChatAttachments_Sha256",
                table: "ChatAttachments",
                column: "Sha256");

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_ConversationId_ChainSequence",
                table: "ChatMessages",
                columns: new[] { "ConversationId", "ChainSequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_ConversationId_SentAt",
                table: "ChatMessages",
                columns: new[] { "ConversationId", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_ImportBatchId",
                table: "ChatMessages",
                column: "ImportBatchId");

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_ParticipantId",
                table: "ChatMessages",
                column: "ParticipantId");

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_SearchVector",
                table: "ChatMessages",
                column: "SearchVector")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateIndex(
                name: "IX_ChatMessages_SentAt",
                table: "ChatMessages",
                column: "SentAt");

            migrationBuilder.CreateIndex(
                name: "IX_ChatParticipants_ConversationId_DisplayName",
                table: "ChatParticipants",
                columns: new[] { "ConversationId", "DisplayName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ChatParticipants_PhoneE164",
                table: "ChatParticipants",
                column: "PhoneE164");

            migrationBuilder.CreateIndex(
                name: "IX_ConversationCustodians_Email",
                table: "ConversationCustodians",
                column: "Email");

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_Title",
                table: "Conversations",
                column: "Title");

            migrationBuilder.CreateIndex(
                name: "IX_ImportBatches_ConversationId",
                table: "ImportBatches",
                column: "ConversationId");

            migrationBuilder.CreateIndex(
                name: "IX_ImportBatches_OriginalSha256",
                table: "ImportBatches",
                column: "OriginalSha256");

            migrationBuilder.CreateIndex(
                name: "IX_ImportBatches_UploadedAt",
                table: "ImportBatches",
                column: "UploadedAt");

            // Archived messages and their attachments are append-only in the database too.
            migrationBuilder.Sql("""
                CREATE FUNCTION archive_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
                END;
                $$;
                CREATE TRIGGER chat_messages_no_update_delete BEFORE UPDATE OR DELETE ON "ChatMessages"
                    FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                CREATE TRIGGER chat_messages_no_truncate BEFORE TRUNCATE ON "ChatMessages"
                    FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
                CREATE TRIGGER chat_attachments_no_update_delete BEFORE UPDATE OR DELETE ON "ChatAttachments"
                    FOR EACH ROW EXECUTE FUNCTION archive_append_only();
                CREATE TRIGGER chat_attachments_no_truncate BEFORE TRUNCATE ON "ChatAttachments"
                    FOR EACH STATEMENT EXECUTE FUNCTION archive_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS chat_messages_no_update_delete ON "ChatMessages";
                DROP TRIGGER IF EXISTS chat_messages_no_truncate ON "ChatMessages";
                DROP TRIGGER IF EXISTS chat_attachments_no_update_delete ON "ChatAttachments";
                DROP TRIGGER IF EXISTS chat_attachments_no_truncate ON "ChatAttachments";
                DROP FUNCTION IF EXISTS archive_append_only();
                """);

            migrationBuilder.DropTable(
                name: "ChatAttachments");

            migrationBuilder.DropTable(
                name: "ConversationCustodians");

            migrationBuilder.DropTable(
                name: "ChatMessages");

            migrationBuilder.DropTable(
                name: "ChatParticipants");

            migrationBuilder.DropTable(
                name: "ImportBatches");

            migrationBuilder.DropTable(
                name: "Conversations");
        }
    }
}
