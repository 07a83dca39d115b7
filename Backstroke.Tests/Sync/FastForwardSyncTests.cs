using Backstroke.Data;
using Backstroke.Sync;
using Backstroke.Tests.Support;
using Xunit.Abstractions;

namespace Backstroke.Tests.Sync;

/// <summary>Fast-forward when the fork has no commits of its own, a pull request when it has, never a force-push.</summary>
public class FastForwardSyncTests(ITestOutputHelper output) : IAsyncLifetime
{
    private SyncWorld world = null!;

    public async Task InitializeAsync() => world = await SyncWorld.StartAsync(output: output);

    public async Task DisposeAsync() => await world.DisposeAsync();

    private Task<Link> AddFastForwardLinkAsync() =>
        world.AddLinkAsync(TestLinks.Repo("up", "proj", "main", "me", "proj", "main", SyncMode.FastForward));

    [Fact]
    public async Task A_fork_behind_is_moved_to_the_upstream_head()
    {
        var link = await AddFastForwardLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        operation.Str("output", "mergeType").Should().Be("fast-forward");
        world.GitHub.BranchSha("me", "proj", "main").Should().Be(world.GitHub.BranchSha("up", "proj", "main"));
        world.OpenPullRequests().Should().BeEmpty();
    }

    [Fact]
    public async Task A_fork_with_commits_of_its_own_gets_a_pull_request_and_keeps_its_commits()
    {
        var own = world.GitHub.Commit("me", "proj", "main", "Fork's own work");
        var link = await AddFastForwardLinkAsync();

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        operation.Str("output", "mergeType").Should().Be("pull-request");
        world.GitHub.BranchSha("me", "proj", "main").Should().Be(own, "a diverged fork is never forced");
        world.OpenPullRequests().Should().ContainSingle();
    }

    [Fact]
    public async Task A_fork_ahead_of_its_upstream_is_already_up_to_date()
    {
        world.GitHub.CreateRepo("me", "ahead", forkOf: "up/proj");
        var own = world.GitHub.Commit("me", "ahead", "main", "Fork's own work");
        var link = await world.AddLinkAsync(TestLinks.Repo("up", "proj", "main", "me", "ahead", "main", SyncMode.FastForward));

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        operation.Str("output", "message").Should().Be(SyncMessages.UpToDate);
        world.GitHub.BranchSha("me", "ahead", "main").Should().Be(own);
        world.OpenPullRequests("me", "ahead").Should().BeEmpty();
    }
}
