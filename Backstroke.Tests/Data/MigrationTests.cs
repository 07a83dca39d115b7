using Backstroke.Data;
using Backstroke.GitHub;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
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

    [Fact]
    public async Task Upgrading_to_upstreams_carries_each_branch_head_and_ETag_over_so_the_first_poll_is_a_304()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds()));
        await using var world = await WatchWorld.StartAsync(new Dictionary<string, string?> { ["Database:MigrateOnStart"] = "false" }, clock, output: output);
        var head = world.GitHub.BranchSha("up", "proj", "main")!;
        var etag = await ETagOfAsync(world);
        var now = clock.GetUtcNow();
        var (recent, older) = ((now - TimeSpan.FromMinutes(20)).ToUnixTimeMilliseconds(), (now - TimeSpan.FromMinutes(40)).ToUnixTimeMilliseconds());

        var links = await world.DbAsync(async db =>
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("20261201200055_Installations");
            var token = world.Services.GetRequiredService<TokenProtector>().Protect(WatchWorld.Token);
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "Users" ("Id", "GitHubId", "Login", "AccessTokenProtected", "Scopes", "CreatedAt") VALUES (1, 1, 'me', {0}, 'repo', 0);
                INSERT INTO "Links" ("Id", "Name", "Enabled", "OwnerId", "UpstreamOwner", "UpstreamRepo", "UpstreamBranch", "ForkType",
                    "ForkOwner", "ForkRepo", "ForkBranch", "SyncMode", "WebhookId", "LastSyncedAt", "UpstreamSha", "UpstreamETag", "SyncedSha",
                    "ConsecutiveFailures", "CreatedAt", "UpdatedAt") VALUES
                    ('recent', 'a', 1, 1, 'up', 'proj', 'main', 'Repo', 'me', 'proj', 'main', 'PullRequest', 'w1', {1}, {2}, {3}, {2}, 0, 0, 0),
                    ('older', 'b', 1, 1, 'Up', 'PROJ', 'main', 'Repo', 'me', 'proj', 'main', 'PullRequest', 'w2', {4}, 'aaaa', 'W/"old"', {2}, 0, 0, 0),
                    ('never', 'c', 1, 1, 'UP', 'Proj', 'main', 'Repo', 'me', 'proj', 'main', 'PullRequest', 'w3', NULL, NULL, NULL, {2}, 0, 0, 0),
                    ('other', 'd', 0, 1, 'up', 'other', 'dev', 'Repo', 'me', 'other', 'dev', 'PullRequest', 'w4', {4}, 'dddd', 'W/"d"', NULL, 0, 0, 0),
                    ('blank', '', 0, 1, NULL, NULL, NULL, 'Repo', NULL, NULL, NULL, 'PullRequest', 'w5', NULL, NULL, NULL, NULL, 0, 0, 0);
                """, token, recent, head, etag, older);
            await migrator.MigrateAsync();
            return await db.Links.AsNoTracking().ToDictionaryAsync(l => l.Id);
        });
        var upstreams = await world.DbAsync(db => db.Upstreams.AsNoTracking().ToDictionaryAsync(u => u.Key));

        upstreams.Keys.Should().BeEquivalentTo(["up/proj:main", "up/other:dev"], "one upstream per branch, whatever the case of its owner and repository");
        var proj = upstreams["up/proj:main"];
        (proj.HeadSha, proj.ETag, proj.LastCheckedAt).Should().Be((head, etag, DateTimeOffset.FromUnixTimeMilliseconds(recent)), "the most recently checked link's head and ETag are kept");
        (upstreams["up/other:dev"].HeadSha, upstreams["up/other:dev"].ETag).Should().Be(("dddd", "W/\"d\""));
        new[] { "recent", "older", "never" }.Should().OnlyContain(id => links[id].UpstreamId == proj.Id);
        links["other"].UpstreamId.Should().Be(upstreams["up/other:dev"].Id);
        links["blank"].UpstreamId.Should().BeNull();

        world.GitHub.ClearRequests();
        var tick = await world.Poller.PollOnceAsync(CancellationToken.None);

        world.Probes().Should().ContainSingle("the three links of up/proj share one probe").Which.Status.Should().Be(304, "the ETag came over with the head");
        tick.Queued.Should().Be(0, "every link had already synced the head");
        (await world.DbAsync(db => db.Operations.CountAsync())).Should().Be(0);
    }

    /// <summary>The ETag the simulator gives the head of up/proj@main, as a poll before the upgrade would have stored it.</summary>
    private static async Task<string> ETagOfAsync(WatchWorld world)
    {
        using var http = new HttpClient { BaseAddress = world.GitHub.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("repos/up/proj/commits/main", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + WatchWorld.Token);
        request.Headers.TryAddWithoutValidation("Accept", "application/vnd.github.sha");
        request.Headers.TryAddWithoutValidation("User-Agent", "Backstroke-tests");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.ETag!.ToString();
    }
}
