using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Backstroke.Data.Migrations
{
    /// <inheritdoc />
    public partial class TrackSyncedHead : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SupersededBy",
                table: "Operations",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SyncFailures",
                table: "Links",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "SyncRetryAt",
                table: "Links",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SyncedSha",
                table: "Links",
                type: "TEXT",
                nullable: true);

            // Existing links: NULL means "unknown". A link whose last sync left no error is taken as level with the
            // head it last saw, so an upgrade does not queue every link at once; a link whose last sync failed stays
            // unknown and counts as failed, so its next check queues it: that is the change an outage made it forget.
            // (A check's own failure is not a sync's: its error starts with "Couldn't check the upstream ".)
            migrationBuilder.Sql("""
                UPDATE "Links" SET "SyncedSha" = "UpstreamSha"
                WHERE "LastError" IS NULL OR "LastError" LIKE 'Couldn''t check the upstream %';
                UPDATE "Links" SET "SyncFailures" = MAX("ConsecutiveFailures", 1)
                WHERE "UpstreamSha" IS NOT NULL AND "SyncedSha" IS NULL;
                """);

            // Operations that earlier versions ended as errors reading "Superseded by operation <id>, ...".
            migrationBuilder.Sql("""
                UPDATE "Operations"
                SET "Status" = 'Superseded', "SupersededBy" = substr("Error", 25, instr("Error", ',') - 25), "Error" = NULL
                WHERE "Status" = 'Error' AND "Error" LIKE 'Superseded by operation %, queued for the same link%';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SupersededBy",
                table: "Operations");

            migrationBuilder.DropColumn(
                name: "SyncFailures",
                table: "Links");

            migrationBuilder.DropColumn(
                name: "SyncRetryAt",
                table: "Links");

            migrationBuilder.DropColumn(
                name: "SyncedSha",
                table: "Links");
        }
    }
}
