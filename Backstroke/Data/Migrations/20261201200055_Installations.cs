using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Backstroke.Data.Migrations
{
    /// <inheritdoc />
    public partial class Installations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(
                name: "SyncFailures",
                table: "Links",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<bool>(
                name: "RepositoryDeleted",
                table: "Links",
                type: "INTEGER",
                nullable: false,
                defaultValue: false,
                oldClrType: typeof(bool),
                oldType: "INTEGER");

            migrationBuilder.AlterColumn<long>(
                name: "OwnerId",
                table: "Links",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<long>(
                name: "InstallationId",
                table: "Links",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Installations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    AccountLogin = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RepositorySelection = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Suspended = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Installations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "InstallationRepositories",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    InstallationId = table.Column<long>(type: "INTEGER", nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Fork = table.Column<bool>(type: "INTEGER", nullable: false),
                    DefaultBranch = table.Column<string>(type: "TEXT", nullable: true),
                    ParentOwner = table.Column<string>(type: "TEXT", nullable: true),
                    ParentName = table.Column<string>(type: "TEXT", nullable: true),
                    ParentDefaultBranch = table.Column<string>(type: "TEXT", nullable: true)
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

            migrationBuilder.CreateIndex(
                name: "IX_Links_InstallationId",
                table: "Links",
                column: "InstallationId");

            migrationBuilder.CreateIndex(
                name: "IX_InstallationRepositories_InstallationId",
                table: "InstallationRepositories",
                column: "InstallationId");

            migrationBuilder.CreateIndex(
                name: "IX_InstallationRepositories_Owner_Name",
                table: "InstallationRepositories",
                columns: new[] { "Owner", "Name" });

            migrationBuilder.AddForeignKey(
                name: "FK_Links_Installations_InstallationId",
                table: "Links",
                column: "InstallationId",
                principalTable: "Installations",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Links_Installations_InstallationId",
                table: "Links");

            migrationBuilder.DropTable(
                name: "InstallationRepositories");

            migrationBuilder.DropTable(
                name: "Installations");

            migrationBuilder.DropIndex(
                name: "IX_Links_InstallationId",
                table: "Links");

            migrationBuilder.DropColumn(
                name: "InstallationId",
                table: "Links");

            migrationBuilder.AlterColumn<int>(
                name: "SyncFailures",
                table: "Links",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(int),
                oldType: "INTEGER",
                oldDefaultValue: 0);

            migrationBuilder.AlterColumn<bool>(
                name: "RepositoryDeleted",
                table: "Links",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(bool),
                oldType: "INTEGER",
                oldDefaultValue: false);

            migrationBuilder.AlterColumn<long>(
                name: "OwnerId",
                table: "Links",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
