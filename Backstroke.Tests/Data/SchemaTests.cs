using Backstroke.Data;
using Backstroke.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Backstroke.Tests.Data;

public sealed class SchemaTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_app_creates_its_database_and_schema_in_a_fresh_data_directory()
    {
        await using var app = new BackstrokeApplication(output: output);
        var dataDirectory = Path.Combine(app.DataDirectory, "nested", "not-yet-there");
        await using var nested = new BackstrokeApplication(new Dictionary<string, string?> { ["Backstroke:DataDirectory"] = dataDirectory }, output: output);
        using var client = nested.CreateClient();

        File.Exists(Path.Combine(dataDirectory, "backstroke.db")).Should().BeTrue();
        var applied = await nested.WithDbAsync(db => db.Database.GetAppliedMigrationsAsync());
        var known = await nested.WithDbAsync(db => Task.FromResult(db.Database.GetMigrations()));
        applied.Should().Equal(known).And.NotBeEmpty();

        // The tables are usable: a user with a link and an operation round-trips.
        var linkId = Ids.NewLinkId();
        await nested.WithDbAsync(async db =>
        {
            var user = new User { GitHubId = 1, Login = "octocat", CreatedAt = DateTimeOffset.UnixEpoch };
            db.Users.Add(user);
            db.Links.Add(new Link { Id = linkId, WebhookId = Ids.NewWebhookId(), Owner = user, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch });
            db.Operations.Add(new Operation { Id = Ids.NewOperationId(), LinkId = linkId, EnqueuedAt = DateTimeOffset.UnixEpoch });
            return await db.SaveChangesAsync();
        });
        var count = await nested.WithDbAsync(db => db.Operations.CountAsync(o => o.LinkId == linkId));
        count.Should().Be(1);
    }

    [Fact]
    public async Task The_database_runs_in_WAL_mode()
    {
        await using var app = new BackstrokeApplication(output: output);
        using var client = app.CreateClient();

        var mode = await app.WithDbAsync(db => db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync());

        mode.Should().Equal("wal");
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("Full", 2)]
    public async Task Commits_are_made_durable_as_Database_Synchronous_says(string? setting, long expected)
    {
        await using var app = new BackstrokeApplication(setting is null ? null : new Dictionary<string, string?> { ["Database:Synchronous"] = setting }, output: output);
        using var client = app.CreateClient();

        // 1 is NORMAL (a process crash loses nothing), 2 is FULL (an fsync per commit).
        var level = await app.WithDbAsync(db => db.Database.SqlQueryRaw<long>("PRAGMA synchronous").ToListAsync());

        level.Should().Equal(expected);
    }

    [Fact]
    public async Task With_migrations_turned_off_the_schema_is_left_alone()
    {
        await using var app = new BackstrokeApplication(new Dictionary<string, string?> { ["Database:MigrateOnStart"] = "false" }, output: output);
        using var client = app.CreateClient();

        var applied = await app.WithDbAsync(db => db.Database.GetAppliedMigrationsAsync());

        applied.Should().BeEmpty();
    }

    [Fact]
    public async Task A_second_queued_operation_for_the_same_link_is_refused_by_the_database()
    {
        await using var app = new BackstrokeApplication(output: output);
        using var client = app.CreateClient();
        var linkId = Ids.NewLinkId();
        await app.WithDbAsync(async db =>
        {
            var user = new User { GitHubId = 2, Login = "hubot" };
            db.Links.Add(new Link { Id = linkId, WebhookId = Ids.NewWebhookId(), Owner = user });
            db.Operations.Add(new Operation { Id = Ids.NewOperationId(), LinkId = linkId });
            return await db.SaveChangesAsync();
        });

        var second = () => app.WithDbAsync(db =>
        {
            db.Operations.Add(new Operation { Id = Ids.NewOperationId(), LinkId = linkId });
            return db.SaveChangesAsync();
        });

        await second.Should().ThrowAsync<DbUpdateException>();
    }
}
