using Backstroke.Data;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Xunit.Abstractions;

namespace Backstroke.Tests.Data;

public sealed class MigrationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_model_has_no_changes_missing_from_the_migrations()
    {
        await using var app = new BackstrokeApplication(new Dictionary<string, string?> { ["Database:MigrateOnStart"] = "false" }, output: output);
        using var client = app.CreateClient();

        var pending = await app.WithDbAsync(db => Task.FromResult(db.Database.HasPendingModelChanges()));

        pending.Should().BeFalse("every change to the model needs a migration: run `dotnet ef migrations add <Name> --project Backstroke --output-dir Data/Migrations`");
    }

    [Fact]
    public async Task Upgrading_keeps_links_level_with_the_head_they_knew_and_marks_the_ones_whose_last_sync_failed()
    {
        await using var app = new BackstrokeApplication(new Dictionary<string, string?> { ["Database:MigrateOnStart"] = "false" });
        using var client = app.CreateClient();

        var links = await app.WithDbAsync(async db =>
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261126111336_WatchUpstreams");
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "Users" ("Id", "GitHubId", "Login", "Scopes", "CreatedAt") VALUES (1, 1, 'old', '', 0);
                INSERT INTO "Links" ("Id", "Name", "Enabled", "OwnerId", "ForkType", "SyncMode", "WebhookId", "CreatedAt", "UpdatedAt",
                    "RepositoryDeleted", "ConsecutiveFailures", "UpstreamSha", "LastError", "LastOperationId") VALUES
                    ('synced', 'a', 1, 1, 'Repo', 'PullRequest', 'w1', 0, 0, 0, 0, 'aaaa', NULL, 'op-ok'),
                    ('check-failed', 'b', 1, 1, 'Repo', 'PullRequest', 'w2', 0, 0, 0, 2, 'bbbb', 'Couldn''t check the upstream o/r@main: GitHub answered 502.', NULL),
                    ('sync-failed', 'c', 1, 1, 'Repo', 'PullRequest', 'w3', 0, 0, 0, 3, 'cccc', 'GitHub failed 5 times in a row; the last time: 502', 'op-err'),
                    ('never-checked', 'd', 1, 1, 'Repo', 'PullRequest', 'w4', 0, 0, 0, 0, NULL, NULL, NULL);
                INSERT INTO "Operations" ("Id", "LinkId", "Kind", "Status", "Attempts", "EnqueuedAt", "Error") VALUES
                    ('op-old', 'synced', 'Manual', 'Error', 1, 0, 'Superseded by operation op-ok, queued for the same link, which will run this sync.');
                """);
            await migrator.MigrateAsync();
            return await db.Links.AsNoTracking().OrderBy(l => l.Id).ToDictionaryAsync(l => l.Id);
        });
        var superseded = await app.WithDbAsync(db => db.Operations.AsNoTracking().SingleAsync(o => o.Id == "op-old"));

        links["synced"].SyncedSha.Should().Be("aaaa", "its last sync left no error");
        links["synced"].SyncFailures.Should().Be(0);
        links["check-failed"].SyncedSha.Should().Be("bbbb", "a failed check says nothing against the last sync");
        links["sync-failed"].SyncedSha.Should().BeNull("its last sync failed: the next check queues it");
        links["sync-failed"].SyncFailures.Should().Be(3);
        links["never-checked"].SyncedSha.Should().BeNull();
        links["never-checked"].SyncFailures.Should().Be(0, "the first check finds a new head anyway");
        links.Values.Should().OnlyContain(l => l.SyncRetryAt == null);
        superseded.Status.Should().Be(OperationStatus.Superseded);
        superseded.SupersededBy.Should().Be("op-ok");
        superseded.Error.Should().BeNull();
    }
}
