using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Backstroke.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PostgresInitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ClassicPushes",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Owner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Repo = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Branch = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    DefaultBranch = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    IsFork = table.Column<bool>(type: "boolean", nullable: false),
                    ReceivedAt = table.Column<long>(type: "bigint", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "bigint", nullable: false),
                    ClaimedUntil = table.Column<long>(type: "bigint", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ClassicPushes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "text", nullable: true),
                    Xml = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Installations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    AccountLogin = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RepositorySelection = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Suspended = table.Column<bool>(type: "boolean", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Installations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Upstreams",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Key = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Owner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Repo = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Branch = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    HeadSha = table.Column<string>(type: "text", nullable: true),
                    ETag = table.Column<string>(type: "text", nullable: true),
                    LastCheckedAt = table.Column<long>(type: "bigint", nullable: true),
                    ConsecutiveFailures = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    NextCheckAt = table.Column<long>(type: "bigint", nullable: true),
                    LastError = table.Column<string>(type: "text", nullable: true),
                    LastPushAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Upstreams", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Users",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    GitHubId = table.Column<long>(type: "bigint", nullable: false),
                    Login = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Email = table.Column<string>(type: "text", nullable: true),
                    AvatarUrl = table.Column<string>(type: "text", nullable: true),
                    AccessTokenProtected = table.Column<string>(type: "text", nullable: true),
                    Scopes = table.Column<string>(type: "text", nullable: false),
                    SecurityStamp = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    LastLoginAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Users", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WebhookDeliveries",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Event = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ReceivedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookDeliveries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "InstallationRepositories",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    InstallationId = table.Column<long>(type: "bigint", nullable: false),
                    Owner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Fork = table.Column<bool>(type: "boolean", nullable: false),
                    DefaultBranch = table.Column<string>(type: "text", nullable: true),
                    ParentOwner = table.Column<string>(type: "text", nullable: true),
                    ParentName = table.Column<string>(type: "text", nullable: true),
                    ParentDefaultBranch = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InstallationRepositories", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InstallationRepositories_Installations_InstallationId",
                        column: x => x.InstallationId,
                        principalTable: "Installations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Links",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    OwnerId = table.Column<long>(type: "bigint", nullable: true),
                    InstallationId = table.Column<long>(type: "bigint", nullable: true),
                    UpstreamOwner = table.Column<string>(type: "text", nullable: true),
                    UpstreamRepo = table.Column<string>(type: "text", nullable: true),
                    UpstreamBranch = table.Column<string>(type: "text", nullable: true),
                    ForkType = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ForkOwner = table.Column<string>(type: "text", nullable: true),
                    ForkRepo = table.Column<string>(type: "text", nullable: true),
                    ForkBranch = table.Column<string>(type: "text", nullable: true),
                    SyncMode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    WebhookId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UpstreamId = table.Column<long>(type: "bigint", nullable: true),
                    SyncedSha = table.Column<string>(type: "text", nullable: true),
                    SyncFailures = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    SyncRetryAt = table.Column<long>(type: "bigint", nullable: true),
                    RepositoryDeleted = table.Column<bool>(type: "boolean", nullable: false, defaultValue: false),
                    LastOperationId = table.Column<string>(type: "text", nullable: true),
                    LastError = table.Column<string>(type: "text", nullable: true),
                    ConsecutiveFailures = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Links", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Links_Installations_InstallationId",
                        column: x => x.InstallationId,
                        principalTable: "Installations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Links_Upstreams_UpstreamId",
                        column: x => x.UpstreamId,
                        principalTable: "Upstreams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Links_Users_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ForkLists",
                columns: table => new
                {
                    LinkId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Upstream = table.Column<string>(type: "text", nullable: true),
                    HeadSha = table.Column<string>(type: "text", nullable: true),
                    HeadETag = table.Column<string>(type: "text", nullable: true),
                    PageETags = table.Column<List<string>>(type: "text[]", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ForkLists", x => x.LinkId);
                    table.ForeignKey(
                        name: "FK_ForkLists_Links_LinkId",
                        column: x => x.LinkId,
                        principalTable: "Links",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ForkStates",
                columns: table => new
                {
                    LinkId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    RepoId = table.Column<long>(type: "bigint", nullable: false),
                    Page = table.Column<int>(type: "integer", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Owner = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Archived = table.Column<bool>(type: "boolean", nullable: false),
                    Disabled = table.Column<bool>(type: "boolean", nullable: false),
                    OptedIn = table.Column<bool>(type: "boolean", nullable: false),
                    LabelETag = table.Column<string>(type: "text", nullable: true),
                    OptedOut = table.Column<bool>(type: "boolean", nullable: false),
                    OptOutETag = table.Column<string>(type: "text", nullable: true),
                    SyncedSha = table.Column<string>(type: "text", nullable: true),
                    OperationId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Status = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    Message = table.Column<string>(type: "text", nullable: true),
                    PullNumber = table.Column<int>(type: "integer", nullable: true),
                    PullUrl = table.Column<string>(type: "text", nullable: true),
                    MergeType = table.Column<string>(type: "text", nullable: true),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ForkStates", x => new { x.LinkId, x.RepoId });
                    table.ForeignKey(
                        name: "FK_ForkStates_Links_LinkId",
                        column: x => x.LinkId,
                        principalTable: "Links",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Operations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    LinkId = table.Column<string>(type: "character varying(32)", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "bigint", nullable: true),
                    EnqueuedAt = table.Column<long>(type: "bigint", nullable: false),
                    StartedAt = table.Column<long>(type: "bigint", nullable: true),
                    FinishedAt = table.Column<long>(type: "bigint", nullable: true),
                    ClaimedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LeaseUntil = table.Column<long>(type: "bigint", nullable: true),
                    FromRequest = table.Column<string>(type: "text", nullable: true),
                    Output = table.Column<string>(type: "text", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true),
                    SupersededBy = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
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
                name: "IX_ClassicPushes_NextAttemptAt",
                table: "ClassicPushes",
                column: "NextAttemptAt");

            migrationBuilder.CreateIndex(
                name: "IX_ForkStates_LinkId_Page_Position",
                table: "ForkStates",
                columns: new[] { "LinkId", "Page", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_InstallationRepositories_InstallationId",
                table: "InstallationRepositories",
                column: "InstallationId");

            migrationBuilder.CreateIndex(
                name: "IX_InstallationRepositories_Owner_Name",
                table: "InstallationRepositories",
                columns: new[] { "Owner", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_Links_InstallationId",
                table: "Links",
                column: "InstallationId");

            migrationBuilder.CreateIndex(
                name: "IX_Links_OwnerId_CreatedAt",
                table: "Links",
                columns: new[] { "OwnerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Links_UpstreamId",
                table: "Links",
                column: "UpstreamId");

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
                name: "IX_Operations_Claim",
                table: "Operations",
                columns: new[] { "NextAttemptAt", "EnqueuedAt" },
                filter: "\"Status\" = 'Queued'");

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
                name: "IX_Operations_LinkId_Running",
                table: "Operations",
                column: "LinkId",
                unique: true,
                filter: "\"Status\" = 'Running'");

            migrationBuilder.CreateIndex(
                name: "IX_Operations_LinkId_Status",
                table: "Operations",
                columns: new[] { "LinkId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Operations_Status_NextAttemptAt",
                table: "Operations",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Upstreams_Key",
                table: "Upstreams",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Upstreams_LastCheckedAt",
                table: "Upstreams",
                column: "LastCheckedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Users_GitHubId",
                table: "Users",
                column: "GitHubId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_ReceivedAt",
                table: "WebhookDeliveries",
                column: "ReceivedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ClassicPushes");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "ForkLists");

            migrationBuilder.DropTable(
                name: "ForkStates");

            migrationBuilder.DropTable(
                name: "InstallationRepositories");

            migrationBuilder.DropTable(
                name: "Operations");

            migrationBuilder.DropTable(
                name: "WebhookDeliveries");

            migrationBuilder.DropTable(
                name: "Links");

            migrationBuilder.DropTable(
                name: "Installations");

            migrationBuilder.DropTable(
                name: "Upstreams");

            migrationBuilder.DropTable(
                name: "Users");
        }
    }
}
