using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Backstroke.Data.Migrations
{
    /// <inheritdoc />
    public partial class ForkProgress : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ForkLists",
                columns: table => new
                {
                    LinkId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Upstream = table.Column<string>(type: "TEXT", nullable: true),
                    HeadSha = table.Column<string>(type: "TEXT", nullable: true),
                    HeadETag = table.Column<string>(type: "TEXT", nullable: true),
                    PageETags = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    LinkId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    RepoId = table.Column<long>(type: "INTEGER", nullable: false),
                    Page = table.Column<int>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Owner = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Archived = table.Column<bool>(type: "INTEGER", nullable: false),
                    Disabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    OptedIn = table.Column<bool>(type: "INTEGER", nullable: false),
                    LabelETag = table.Column<string>(type: "TEXT", nullable: true),
                    OptedOut = table.Column<bool>(type: "INTEGER", nullable: false),
                    OptOutETag = table.Column<string>(type: "TEXT", nullable: true),
                    SyncedSha = table.Column<string>(type: "TEXT", nullable: true),
                    OperationId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    Message = table.Column<string>(type: "TEXT", nullable: true),
                    PullNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    PullUrl = table.Column<string>(type: "TEXT", nullable: true),
                    MergeType = table.Column<string>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
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

            migrationBuilder.CreateIndex(
                name: "IX_ForkStates_LinkId_Page_Position",
                table: "ForkStates",
                columns: new[] { "LinkId", "Page", "Position" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ForkLists");

            migrationBuilder.DropTable(
                name: "ForkStates");
        }
    }
}
