using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Backstroke.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Users",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    GitHubId = table.Column<long>(type: "INTEGER", nullable: false),
                    Login = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Email = table.Column<string>(type: "TEXT", nullable: true),
                    AvatarUrl = table.Column<string>(type: "TEXT", nullable: true),
                    AccessTokenProtected = table.Column<string>(type: "TEXT", nullable: true),
                    Scopes = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastLoginAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Users", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Links",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    OwnerId = table.Column<long>(type: "INTEGER", nullable: false),
                    UpstreamOwner = table.Column<string>(type: "TEXT", nullable: true),
                    UpstreamRepo = table.Column<string>(type: "TEXT", nullable: true),
                    UpstreamBranch = table.Column<string>(type: "TEXT", nullable: true),
                    ForkType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ForkOwner = table.Column<string>(type: "TEXT", nullable: true),
                    ForkRepo = table.Column<string>(type: "TEXT", nullable: true),
                    ForkBranch = table.Column<string>(type: "TEXT", nullable: true),
                    SyncMode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    WebhookId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LastSyncedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PollNotBefore = table.Column<long>(type: "INTEGER", nullable: true),
                    UpstreamSha = table.Column<string>(type: "TEXT", nullable: true),
                    UpstreamETag = table.Column<string>(type: "TEXT", nullable: true),
                    LastOperationId = table.Column<string>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", nullable: true),
                    ConsecutiveFailures = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Links", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Links_Users_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Operations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    LinkId = table.Column<string>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EnqueuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FromRequest = table.Column<string>(type: "TEXT", nullable: true),
                    Output = table.Column<string>(type: "TEXT", nullable: true),
                    Error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Operations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Operations_Links_LinkId",
                        column: x => x.LinkId,
                        principalTable: "Links",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Links_Enabled_LastSyncedAt",
                table: "Links",
                columns: new[] { "Enabled", "LastSyncedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Links_OwnerId_CreatedAt",
                table: "Links",
                columns: new[] { "OwnerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Links_UpstreamOwner_UpstreamRepo_UpstreamBranch",
                table: "Links",
                columns: new[] { "UpstreamOwner", "UpstreamRepo", "UpstreamBranch" });

            migrationBuilder.CreateIndex(
                name: "IX_Links_WebhookId",
                table: "Links",
                column: "WebhookId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Operations_LinkId_EnqueuedAt",
                table: "Operations",
                columns: new[] { "LinkId", "EnqueuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Operations_LinkId_Queued",
                table: "Operations",
                column: "LinkId",
                unique: true,
                filter: "\"Status\" = 'Queued'");

            migrationBuilder.CreateIndex(
                name: "IX_Operations_LinkId_Status",
                table: "Operations",
                columns: new[] { "LinkId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Operations_Status_NextAttemptAt",
                table: "Operations",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Users_GitHubId",
                table: "Users",
                column: "GitHubId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Operations");

            migrationBuilder.DropTable(
                name: "Links");

            migrationBuilder.DropTable(
                name: "Users");
        }
    }
}
