using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ComplianceHub.Core.Storage.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    WhatsAppGroupId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Conversations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ImportBatches",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ConversationId = table.Column<long>(type: "INTEGER", nullable: false),
                    OriginalFileName = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    OriginalSha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    OriginalLength = table.Column<long>(type: "INTEGER", nullable: false),
                    UploadedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UploadedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    UploadedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    TimeZoneId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CustodianEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DetectedFormat = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    DateOrder = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    DateOrderSource = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MessagesInFile = table.Column<int>(type: "INTEGER", nullable: false),
                    MessagesAdded = table.Column<int>(type: "INTEGER", nullable: false),
                    MessagesAlreadyPresent = table.Column<int>(type: "INTEGER", nullable: false),
                    SystemMessages = table.Column<int>(type: "INTEGER", nullable: false),
                    AttachmentsStored = table.Column<int>(type: "INTEGER", nullable: false),
                    AttachmentsMissing = table.Column<int>(type: "INTEGER", nullable: false),
                    Warnings = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportBatches", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ChatParticipants",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ConversationId = table.Column<long>(type: "INTEGER", nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    PhoneE164 = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    FirstSeenAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    ConversationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ConversationId = table.Column<long>(type: "INTEGER", nullable: false),
                    ParticipantId = table.Column<long>(type: "INTEGER", nullable: true),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LocalTimestampText = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    TimeZoneId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    TimestampFlag = table.Column<int>(type: "INTEGER", nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    IsEdited = table.Column<bool>(type: "INTEGER", nullable: false),
                    Source = table.Column<int>(type: "INTEGER", nullable: false),
                    ImportBatchId = table.Column<long>(type: "INTEGER", nullable: true),
                    LineNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    DedupKey = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ChainSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    PreviousHash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MessageId = table.Column<long>(type: "INTEGER", nullable: false),
                    Ordinal = table.Column<int>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    MediaType = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Length = table.Column<long>(type: "INTEGER", nullable: true),
                    Sha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false)
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

            // Full-text index over message bodies (SqliteMessageSearch): external content, so bodies are
            // stored once; unicode61 folds diacritics; 2- and 3-character prefix indexes make prefix* fast.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "ChatMessageSearch" USING fts5(
                    "Body", content='ChatMessages', content_rowid='Id',
                    tokenize='unicode61 remove_diacritics 2', prefix='3');
                """);

            // Archived messages and their attachments are append-only in the database too.
            migrationBuilder.Sql("CREATE TRIGGER ChatMessages_NoUpdate BEFORE UPDATE ON ChatMessages BEGIN SELECT RAISE(ABORT, 'ChatMessages is append-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER ChatMessages_NoDelete BEFORE DELETE ON ChatMessages BEGIN SELECT RAISE(ABORT, 'ChatMessages is append-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER ChatAttachments_NoUpdate BEFORE UPDATE ON ChatAttachments BEGIN SELECT RAISE(ABORT, 'ChatAttachments is append-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER ChatAttachments_NoDelete BEFORE DELETE ON ChatAttachments BEGIN SELECT RAISE(ABORT, 'ChatAttachments is append-only'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS ChatMessages_NoUpdate;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS ChatMessages_NoDelete;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS ChatAttachments_NoUpdate;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS ChatAttachments_NoDelete;");
            migrationBuilder.Sql("DROP TABLE IF EXISTS \"ChatMessageSearch\";");

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
