using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Backstroke.Data.Migrations
{
    /// <inheritdoc />
    public partial class UpstreamEntities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Upstreams",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Repo = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Branch = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    HeadSha = table.Column<string>(type: "TEXT", nullable: true),
                    ETag = table.Column<string>(type: "TEXT", nullable: true),
                    LastCheckedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConsecutiveFailures = table.Column<int>(type: "INTEGER", nullable: false, defaultValue: 0),
                    NextCheckAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", nullable: true),
                    LastPushAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Upstreams", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Upstreams_Key",
                table: "Upstreams",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Upstreams_LastCheckedAt",
                table: "Upstreams",
                column: "LastCheckedAt");

            migrationBuilder.AddColumn<long>(
                name: "UpstreamId",
                table: "Links",
                type: "INTEGER",
                nullable: true);

            // One upstream per watched branch (owner and repository without regard to case, as GitHub treats them),
            // carrying the head, ETag and check state of the most recently checked of its links: SQLite takes the
            // bare columns of a MAX() aggregate from the row holding the maximum. Then every link points at its row.
            migrationBuilder.Sql("""
                INSERT INTO "Upstreams" ("Key", "Owner", "Repo", "Branch", "HeadSha", "ETag", "LastCheckedAt", "NextCheckAt", "ConsecutiveFailures")
                SELECT lower("UpstreamOwner") || '/' || lower("UpstreamRepo") || ':' || "UpstreamBranch",
                    "UpstreamOwner", "UpstreamRepo", "UpstreamBranch", "UpstreamSha", "UpstreamETag", "LastSyncedAt", "PollNotBefore", 0
                FROM (SELECT *, MAX(COALESCE("LastSyncedAt", -1)) FROM "Links"
                    WHERE "UpstreamOwner" <> '' AND "UpstreamRepo" <> '' AND "UpstreamBranch" <> ''
                    GROUP BY lower("UpstreamOwner"), lower("UpstreamRepo"), "UpstreamBranch");
                UPDATE "Links" SET "UpstreamId" = (SELECT u."Id" FROM "Upstreams" u
                    WHERE u."Key" = lower("Links"."UpstreamOwner") || '/' || lower("Links"."UpstreamRepo") || ':' || "Links"."UpstreamBranch");
                """);

            migrationBuilder.DropIndex(
                name: "IX_Links_Enabled_LastSyncedAt",
                table: "Links");

            migrationBuilder.DropColumn(
                name: "LastSyncedAt",
                table: "Links");

            migrationBuilder.DropColumn(
                name: "UpstreamETag",
                table: "Links");

            migrationBuilder.DropColumn(
                name: "UpstreamSha",
                table: "Links");

            migrationBuilder.DropColumn(
                name: "PollNotBefore",
                table: "Links");

            migrationBuilder.CreateIndex(
                name: "IX_Links_UpstreamId",
                table: "Links",
                column: "UpstreamId");

            migrationBuilder.AddForeignKey(
                name: "FK_Links_Upstreams_UpstreamId",
                table: "Links",
                column: "UpstreamId",
                principalTable: "Upstreams",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Links_Upstreams_UpstreamId",
                table: "Links");

            migrationBuilder.DropIndex(
                name: "IX_Links_UpstreamId",
                table: "Links");

            migrationBuilder.AddColumn<long>(
                name: "PollNotBefore",
                table: "Links",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastSyncedAt",
                table: "Links",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UpstreamETag",
                table: "Links",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UpstreamSha",
                table: "Links",
                type: "TEXT",
                nullable: true);

            // Each link takes back its upstream's head and check state.
            migrationBuilder.Sql("""
                UPDATE "Links" SET ("UpstreamSha", "UpstreamETag", "LastSyncedAt", "PollNotBefore") =
                    (SELECT u."HeadSha", u."ETag", u."LastCheckedAt", u."NextCheckAt" FROM "Upstreams" u WHERE u."Id" = "Links"."UpstreamId");
                """);

            migrationBuilder.DropColumn(
                name: "UpstreamId",
                table: "Links");

            migrationBuilder.DropTable(
                name: "Upstreams");

            migrationBuilder.CreateIndex(
                name: "IX_Links_Enabled_LastSyncedAt",
                table: "Links",
                columns: new[] { "Enabled", "LastSyncedAt" });
        }
    }
}
