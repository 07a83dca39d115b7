using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Backstroke.Data.Migrations
{
    /// <inheritdoc />
    public partial class SecurityStamp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SecurityStamp",
                table: "Users",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            // Users who signed in before this migration get a stamp of their own; their old cookies carry none and
            // are refused, so they sign in once more.
            migrationBuilder.Sql("""UPDATE "Users" SET "SecurityStamp" = lower(hex(randomblob(16)));""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SecurityStamp",
                table: "Users");
        }
    }
}
