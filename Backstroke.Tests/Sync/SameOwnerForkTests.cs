using Backstroke.Data;
using Backstroke.Sync;
using Backstroke.Tests.Support;

namespace Backstroke.Tests.Sync;

/// <summary>
/// A fork in its upstream's own account (org/proj → org/proj-fork): <c>org:main</c> alone names org/proj-fork itself,
/// so GitHub would answer "No commits between" and the fork would silently never be synced. Backstroke names the
/// upstream repository too (<c>head_repo</c>, and <c>org:proj:main</c> in compares).
/// </summary>
public sealed class SameOwnerForkTests : IAsyncLifetime
{
    private SyncWorld world = null!;

    public async Task InitializeAsync()
    {
        world = await SyncWorld.StartAsync();
        world.GitHub.CreateOrg("org");
        world.GitHub.CreateRepo("org", "proj");
        world.GitHub.CreateRepo("org", "proj-fork", forkOf: "org/proj");
        world.GitHub.Commit("org", "proj", "main", "Upstream work after the fork");
    }

    public async Task DisposeAsync() => await world.DisposeAsync();

    [Fact]
    public async Task The_pull_request_opens_from_the_upstream_repository()
    {
        var link = await world.AddLinkAsync(TestLinks.Repo("org", "proj", "main", "org", "proj-fork", "main"));

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        operation.Str("output", "message").Should().Be(SyncMessages.PullRequestCreated("org/proj-fork"));
        var pr = world.OpenPullRequests("org", "proj-fork").Should().ContainSingle().Subject;
        pr.HeadSha.Should().Be(world.GitHub.BranchSha("org", "proj", "main"), "the head is the upstream's branch, not the fork's own");
        pr.Body.Should().Contain($"{world.GitHub.BaseUrl}org/proj-fork/compare/main...org:proj:main");
        world.GitHub.Requests.Single(r => r.Method == "POST").Body.Should().Contain("\"head_repo\":\"org/proj\"");
    }

    [Fact]
    public async Task A_second_sync_finds_that_pull_request_instead_of_opening_another()
    {
        var link = await world.AddLinkAsync(TestLinks.Repo("org", "proj", "main", "org", "proj-fork", "main"));
        var first = await world.SyncAsync(link);

        var second = await world.SyncAsync(link);

        second.Str("output", "message").Should().Be(SyncMessages.PullRequestAlreadyOpen);
        second.Str("output", "pullRequest", "number").Should().Be(first.Str("output", "pullRequest", "number"));
        world.OpenPullRequests("org", "proj-fork").Should().ContainSingle();
    }

    [Fact]
    public async Task Fast_forward_compares_with_the_upstream_repository_and_moves_the_fork()
    {
        world.GitHub.AddCollaborator("org", "proj-fork", "me");
        var link = await world.AddLinkAsync(TestLinks.Repo("org", "proj", "main", "org", "proj-fork", "main", SyncMode.FastForward));

        var operation = await world.SyncAsync(link);

        operation.Str("status").Should().Be("ok");
        operation.Str("output", "message").Should().Be($"Fast-forwarded org/proj-fork@main to org/proj@main at {world.GitHub.BranchSha("org", "proj", "main")![..7]}.");
        world.GitHub.BranchSha("org", "proj-fork", "main").Should().Be(world.GitHub.BranchSha("org", "proj", "main"));
    }
}
