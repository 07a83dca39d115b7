using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Backstroke.Data.Migrations
{
    /// <inheritdoc />
    public partial class OperationLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ClaimedBy",
                table: "Operations",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LeaseUntil",
                table: "Operations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Operations_Claim",
                table: "Operations",
                columns: new[] { "NextAttemptAt", "EnqueuedAt" },
                filter: "\"Status\" = 'Queued'");

            migrationBuilder.CreateIndex(
                name: "IX_Operations_LinkId_Running",
                table: "Operations",
                column: "LinkId",
                unique: true,
                filter: "\"Status\" = 'Running'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Operations_Claim",
                table: "Operations");

            migrationBuilder.DropIndex(
                name: "IX_Operations_LinkId_Running",
                table: "Operations");

            migrationBuilder.DropColumn(
                name: "ClaimedBy",
                table: "Operations");

            migrationBuilder.DropColumn(
                name: "LeaseUntil",
                table: "Operations");
        }
    }
}
